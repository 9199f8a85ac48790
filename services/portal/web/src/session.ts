/**
 * The signed-in user: the access token, kept in sessionStorage (gone with the tab), and what its
 * payload says of the user. The payload is decoded here only to adapt the UI (name, roles, region);
 * the token is never verified in the browser: the API verifies it on every call and decides.
 */

export const knownRoles = [
  'programme-manager',
  'region',
  'reviewer',
  'approver',
  'auditor',
  'expert',
  'service',
] as const;
export type Role = (typeof knownRoles)[number];

export interface Session {
  token: string;
  username: string;
  roles: Role[];
  region?: string;
  country?: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

const storageKey = 's3p.token';

function payloadOf(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const base64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const payload: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The session a token gives, or undefined for a malformed or expired one. */
export function sessionOf(token: string, now = Date.now()): Session | undefined {
  const payload = payloadOf(token);
  if (!payload || typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return undefined;
  if (payload.exp * 1000 <= now) return undefined;
  const roles = Array.isArray(payload.roles)
    ? payload.roles.filter((role): role is Role => (knownRoles as readonly unknown[]).includes(role))
    : [];
  return {
    token,
    username: payload.sub,
    roles,
    ...(typeof payload.region === 'string' ? { region: payload.region } : {}),
    ...(typeof payload.country === 'string' ? { country: payload.country } : {}),
    expiresAt: payload.exp,
  };
}

export function storedSession(): Session | undefined {
  const token = sessionStorage.getItem(storageKey);
  const session = token ? sessionOf(token) : undefined;
  if (token && !session) sessionStorage.removeItem(storageKey);
  return session;
}

export function keepToken(token: string): void {
  sessionStorage.setItem(storageKey, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(storageKey);
}
