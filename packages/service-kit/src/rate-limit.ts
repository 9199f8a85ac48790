import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { decodeJwt } from 'jose';
import { HttpProblem } from './problem';

export interface RateLimit {
  /** Requests one key may make in a window. */
  limit: number;
  windowMs: number;
  /** What is counted, for the answer: "too many {what}". */
  what: string;
  key: (req: Request) => string;
  /** Requests this limit does not apply to. */
  skip?: (req: Request) => boolean;
  /** Which answers count: every one, only the refused (4xx/5xx), or only the accepted. */
  counts?: 'all' | 'failures' | 'successes';
}

/** The client's address as a key; an IPv6 client is keyed by its /56, which it can vary within. */
export const addressKey = (req: Request) =>
  `address:${ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? '')}`;

/**
 * A fixed-window limit per key, in this instance's memory (each instance limits on its own):
 * past it, 429 problem+json with Retry-After and nothing done. The RateLimit headers (IETF
 * draft 7) tell a well-behaved client how much is left.
 */
export function rateLimited({ limit, windowMs, what, key, skip, counts = 'all' }: RateLimit): RequestHandler {
  return rateLimit({
    limit,
    windowMs,
    keyGenerator: key,
    ...(skip ? { skip } : {}),
    skipFailedRequests: counts === 'successes',
    skipSuccessfulRequests: counts === 'failures',
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Behind the portal every request carries X-Forwarded-For; these limits never key on it.
    validate: { xForwardedForHeader: false },
    handler: (req, _res, next) => {
      const reset = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const wait = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
      next(
        new HttpProblem(429, 'Too Many Requests', `too many ${what}; try again in ${wait} s`, undefined, {
          'Retry-After': String(wait),
        }),
      );
    },
  });
}

const writes = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The subject of the bearer token, read without verifying it: the routes verify it afterwards,
 * and since only accepted writes count, a forged token naming someone else's subject (refused
 * with 401) uses up nothing of theirs.
 */
function subjectOf(req: Request): string | undefined {
  const token = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(req.get('authorization') ?? '')?.[1];
  if (!token) return undefined;
  try {
    const { sub } = decodeJwt(token);
    return typeof sub === 'string' && sub.length > 0 && sub.length <= 200 ? sub : undefined;
  } catch {
    return undefined;
  }
}

/** POST/PUT/PATCH/DELETE accepted per principal per minute; without a token, per address. */
export function limitWrites(perMinute: number): RequestHandler {
  return rateLimited({
    limit: perMinute,
    windowMs: 60_000,
    what: 'writes by you',
    key: (req) => {
      const subject = subjectOf(req);
      return subject ? `subject:${subject}` : addressKey(req);
    },
    skip: (req) => !writes.has(req.method),
    counts: 'successes',
  });
}
