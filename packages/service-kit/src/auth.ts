import type { RequestHandler } from 'express';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { z } from 'zod';
import { HttpProblem } from './problem';

/** `service` is a machine client (another service acting with its own identity); it never acts for a region. */
export const roles = [
  'programme-manager',
  'region',
  'reviewer',
  'approver',
  'expert',
  'auditor',
  'service',
] as const;
export type Role = (typeof roles)[number];

/** Who is calling, from the verified token's claims. */
export interface Principal {
  sub: string;
  roles: Role[];
  /** NUTS code of the region the user acts for (role `region`). */
  region?: string;
  country?: string;
}

const claims = z.object({
  sub: z.string().min(1),
  roles: z.array(z.enum(roles)).min(1),
  region: z
    .string()
    .regex(/^[A-Z]{2}[0-9A-Z]{2}$/)
    .optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
});

export interface TokenVerification {
  /** The key set: the local issuer's in the embedded default, any OIDC provider's JWKS in production. */
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
}

/** Remote JWKS with caching and refetch on an unknown `kid`, so keys rotate without a restart. */
export const remoteKeys = (jwksUrl: string): JWTVerifyGetKey =>
  createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });

const unauthorized = (detail: string) =>
  new HttpProblem(401, 'Unauthorized', detail, undefined, { 'WWW-Authenticate': 'Bearer' });

/** Clock skew allowed between the issuer and this service. */
const clockToleranceSeconds = 30;

export async function verifyToken(token: string, verification: TokenVerification): Promise<Principal> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, verification.keys, {
      issuer: verification.issuer,
      audience: verification.audience,
      algorithms: ['RS256', 'ES256', 'EdDSA'],
      requiredClaims: ['sub', 'exp', 'iat'],
      clockTolerance: clockToleranceSeconds,
    }));
  } catch {
    // The reason (expired, wrong key, alg) stays out of the answer: it helps an attacker, not a user.
    throw unauthorized('the token is missing, invalid or expired');
  }
  // jose checks `iat` only against a maximum age: a token dated in the future is not valid yet.
  if (Number(payload.iat) > Date.now() / 1000 + clockToleranceSeconds) {
    throw unauthorized('the token is missing, invalid or expired');
  }
  const parsed = claims.safeParse(payload);
  if (!parsed.success) throw unauthorized('the token lacks the claims this platform needs');
  const { sub, roles: granted, region, country } = parsed.data;
  if (granted.includes('region') && !region) throw unauthorized('a region token must name its region');
  if (granted.includes('service') && region) throw unauthorized('a service token names no region');
  return { sub, roles: granted, ...(region ? { region } : {}), ...(country ? { country } : {}) };
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** Every request must carry a valid bearer token; the principal is on `req.principal` afterwards. */
export function authenticate(verification: TokenVerification): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header);
    if (!match?.[1]) return next(unauthorized('send a bearer token in the Authorization header'));
    try {
      req.principal = await verifyToken(match[1], verification);
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** 403 unless the caller holds one of these roles. */
export function requireRole(...allowed: Role[]): RequestHandler {
  return (req, _res, next) => {
    const held = req.principal?.roles ?? [];
    if (held.some((role) => allowed.includes(role))) return next();
    next(new HttpProblem(403, 'Forbidden', `this needs one of the roles: ${allowed.join(', ')}`));
  };
}

export function principalOf(req: { principal?: Principal }): Principal {
  if (!req.principal) throw unauthorized('not authenticated');
  return req.principal;
}
