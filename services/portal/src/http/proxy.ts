import { randomUUID } from 'node:crypto';
import type {
  Agent,
  IncomingHttpHeaders,
  IncomingMessage,
  OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';
import { request } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { outgoingTraceHeaders } from '@s3p/service-kit';
import type { Logger } from 'pino';
import type { Target } from '../routes';
import { upstreamUrl } from '../routes';

export interface ProxyOptions {
  agent: Agent;
  /** No byte from the upstream for this long (connecting included): 503. */
  timeoutMs: number;
  logger: Logger;
}

export type Forward = (req: IncomingMessage, res: ServerResponse, target: Target) => void;

/** Headers about one connection, not the message (RFC 9110 §7.6.1), plus Host, which names the upstream. */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

function endToEnd(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase()),
  );
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !hopByHop.has(name) && !named.has(name)),
  );
}

/** The caller's request id when it is a sane one (the same rule as service-kit's), else a new one. */
function requestIdOf(given: string | string[] | undefined): string {
  return typeof given === 'string' && /^[\w-]{1,100}$/.test(given) ? given : randomUUID();
}

/** `.` and `..` segments, raw or percent-encoded, could reach another path on the upstream. */
function climbs(url: string): boolean {
  return (url.split('?', 1)[0] ?? '').split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment));
}

const retryAfterSeconds = 5;

function problem(res: ServerResponse, status: number, title: string, detail: string, headers = {}): void {
  const body = JSON.stringify({ type: 'about:blank', title, status, detail });
  res
    .writeHead(status, {
      ...headers,
      'content-type': 'application/problem+json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    })
    .end(body);
}

/**
 * Streams a request to the service that owns it and the answer back: the method, path and query,
 * headers and body unchanged (nothing is parsed: the service validates its own bodies and
 * enforces its own limits), plus `x-forwarded-*` and an `x-request-id` that follows the request
 * through every service. A service that refuses the connection or stays silent gives 503 with
 * Retry-After, never a hang.
 */
export function proxy({ agent, timeoutMs, logger }: ProxyOptions): Forward {
  return (req, res, target) => {
    const started = performance.now();
    const requestId = requestIdOf(req.headers['x-request-id']);
    const url = req.url ?? '/';
    res.setHeader('x-request-id', requestId);
    res.once('close', () =>
      logger.info(
        {
          req: { id: requestId, method: req.method, url },
          res: { statusCode: res.statusCode },
          service: target.service,
          responseTime: Math.round(performance.now() - started),
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        'request forwarded',
      ),
    );
    if (climbs(url)) {
      return problem(res, 400, 'Bad Request', 'the path may not contain . or .. segments');
    }

    const forwardedFor = [req.headers['x-forwarded-for'], req.socket.remoteAddress]
      .filter(Boolean)
      .join(', ');
    const upstream = request(upstreamUrl(target.base, url), {
      method: req.method,
      agent,
      timeout: timeoutMs,
      headers: {
        ...endToEnd(req.headers),
        // The portal's span (see traceProxied) is the parent of the service's.
        ...outgoingTraceHeaders(),
        'x-request-id': requestId,
        'x-forwarded-for': forwardedFor,
        'x-forwarded-proto': (req.socket as TLSSocket).encrypted ? 'https' : 'http',
        ...(req.headers.host ? { 'x-forwarded-host': req.headers.host } : {}),
      },
    });

    upstream.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, {
        ...endToEnd(answer.headers),
        'x-request-id': requestId,
      });
      answer.pipe(res);
      // The upstream died in the middle of its answer: the client must see a broken answer, not a short one.
      answer.once('close', () => {
        if (!answer.complete) res.destroy();
      });
    });
    upstream.on('timeout', () => upstream.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    upstream.on('error', (error) => {
      if (res.headersSent || res.destroyed) {
        if (!res.writableFinished) res.destroy();
        return;
      }
      logger.warn({ err: error, service: target.service, requestId }, 'upstream unavailable');
      problem(
        res,
        503,
        'Service Unavailable',
        `the ${target.service} service is not reachable just now; retry later`,
        { 'retry-after': String(retryAfterSeconds) },
      );
    });
    // The client went away: stop the upstream work as well.
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };
}
