import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpProblem, writeProblem } from './problem';

export type NodeMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/** What a page of an allowed origin may send, and read back, beyond the CORS-safelisted ones. */
const allowedMethods = 'GET, POST, PUT, PATCH, DELETE';
const allowedHeaders = 'authorization, content-type, idempotency-key, if-match, x-request-id';
const exposedHeaders = 'etag, location, retry-after, x-request-id, idempotent-replayed';
/** Browsers cap it lower anyway (Chromium at 2 h); ten minutes keeps a changed policy from lingering. */
const preflightMaxAgeSeconds = 600;

function varyByOrigin(res: ServerResponse): void {
  const vary = res.getHeader('vary');
  const listed = typeof vary === 'string' ? vary : '';
  if (!/(^|,)\s*origin\s*(,|$)/i.test(listed)) res.setHeader('vary', listed ? `${listed}, Origin` : 'Origin');
}

/**
 * Strict CORS: pages of the listed origins may call the API from a browser (bearer tokens, no
 * cookies, so never with credentials); no other origin gets an allow header, and `*` is never
 * sent. A preflight from another origin is refused outright. Same-origin pages need no entry.
 * A plain Node middleware, so the portal can put it in front of what it forwards as well.
 */
export function corsPolicy(allowedOrigins: readonly string[]): NodeMiddleware {
  const allowed = new Set(allowedOrigins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    varyByOrigin(res);
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!allowed.has(origin)) {
      if (!preflight) return next();
      return writeProblem(
        res,
        new HttpProblem(403, 'Forbidden', 'this origin may not call the API from a browser', [
          { path: 'headers.origin', message: 'not an allowed origin' },
        ]),
      );
    }
    res.setHeader('access-control-allow-origin', origin);
    if (!preflight) {
      res.setHeader('access-control-expose-headers', exposedHeaders);
      return next();
    }
    res.writeHead(204, {
      'access-control-allow-methods': allowedMethods,
      'access-control-allow-headers': allowedHeaders,
      'access-control-max-age': String(preflightMaxAgeSeconds),
    });
    res.end();
  };
}
