/** The platform's API through the portal, as the signed-in user. The API decides; the UI only asks. */

/** A problem+json answer (RFC 9457), or a network failure as status 0. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
  ) {
    super(detail ?? title);
  }
}

interface Problem {
  title?: string;
  detail?: string;
}

async function problemOf(response: Response): Promise<ApiError> {
  let problem: Problem = {};
  try {
    problem = (await response.json()) as Problem;
  } catch {
    // Not JSON: the status says enough.
  }
  return new ApiError(response.status, problem.title ?? response.statusText, problem.detail);
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    throw new ApiError(0, 'Network error', (error as Error).message);
  }
}

/** `POST /api/auth/token`: the access token, or an ApiError (401 wrong, 429 too many tries). */
export async function requestToken(username: string, password: string): Promise<string> {
  const response = await send('/api/auth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw await problemOf(response);
  return ((await response.json()) as { access_token: string }).access_token;
}

export type Api = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => Promise<T>;

/** Calls with the token; `onUnauthorized` runs when the API no longer accepts it (expired, revoked). */
export function apiWith(token: string, onUnauthorized: () => void): Api {
  return async <T>(method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await send(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status === 401) onUnauthorized();
    if (!response.ok) throw await problemOf(response);
    return (await response.json()) as T;
  };
}

// What the pages read of the answers (the services' OpenAPI documents, /api/openapi.json, have all).

export interface Call {
  id: string;
  title: string;
  summary: string;
  pilotType: string;
  closesAt: string;
  perApplicationCeiling: number;
  totalBudget: number;
  remainingBudget?: number;
  passThreshold: number;
  eligibility: { countries: string[]; minPartners: number; maxPartners: number; minCountries: number };
  criteria: { id: string; name: string; weight: number; maxScore: number }[];
}

export interface PilotSummary {
  pilotId: string;
  stage: string;
  callId: string;
  region: string;
  title?: string;
}

export interface PendingTask {
  kind: string;
  assignee: string;
  dueAt?: string;
  milestone?: number;
}

export interface Pilot extends PilotSummary {
  title: string;
  partners: string[];
  pendingTasks: PendingTask[];
}

export interface Notification {
  id: string;
  kind: string;
  mandatory: boolean;
  subject: string;
  body: string;
  link: string;
  read: boolean;
  occurredAt: string;
}

export interface Inbox {
  items: Notification[];
  unreadCount: number;
  nextCursor?: string;
}

export interface Milestone {
  id: string;
  pilotId: string;
  index: number;
  title: string;
  dueAt: string;
  region: string;
  status: string;
}

export interface AuditEntry {
  sequence: number;
  eventId: string;
  type: string;
  subject: string;
  actor: { kind?: string; sub?: string } & Record<string, unknown>;
  occurredAt: string;
}

export interface ChainVerification {
  valid: boolean;
  entries: number;
  head: string;
  firstBroken?: { sequence: number; eventId: string | null; reason: string; detail: string };
}
