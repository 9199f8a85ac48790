import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, Span } from '@opentelemetry/api';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { Request, RequestHandler } from 'express';
import { withCorrelationId } from './trace-context';

const tracer = () => trace.getTracer('@s3p/service-kit');

/** A server span for one request, continuing the caller's trace when its `traceparent` names one. */
function serverSpan(req: IncomingMessage, name: string): { span: Span; parent: Context } {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const span = tracer().startSpan(
    name,
    {
      kind: SpanKind.SERVER,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: req.method ?? 'GET',
        [ATTR_URL_PATH]: (req.url ?? '/').split('?', 1)[0] ?? '/',
      },
    },
    parent,
  );
  return { span, parent };
}

function endWith(span: Span, res: ServerResponse): void {
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
  // A 4xx is the caller's mistake, not a failure of this service (OTel's HTTP server convention).
  if (res.statusCode >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

const routeOf = (req: Request): string | undefined =>
  typeof req.route?.path === 'string' ? `${req.baseUrl}${req.route.path}` : undefined;

/**
 * Express middleware: each request runs in its own server span (the child of the caller's, from
 * the W3C `traceparent` header), with the request id as correlation id, so that everything the
 * handler does — logs, events it records, calls it makes — belongs to the caller's trace.
 * Goes after pino-http, whose request id it reads.
 */
export function traceRequests(): RequestHandler {
  return (req, res, next) => {
    const { span, parent } = serverSpan(req, req.method);
    res.once('close', () => {
      const route = routeOf(req);
      if (route) {
        span.updateName(`${req.method} ${route}`);
        span.setAttribute(ATTR_HTTP_ROUTE, route);
      }
      endWith(span, res);
    });
    const active = trace.setSpan(parent, span);
    context.with(typeof req.id === 'string' ? withCorrelationId(active, req.id) : active, next);
  };
}

/**
 * Runs `forward` in a server span for a request the portal streams to a service unread, so that
 * the `traceparent` it sends on (see `outgoingTraceHeaders`) makes the service's span a child
 * of the portal's.
 */
export function traceProxied(
  req: IncomingMessage,
  res: ServerResponse,
  service: string,
  forward: () => void,
): void {
  const { span, parent } = serverSpan(req, `${req.method ?? 'GET'} ${service}`);
  span.setAttribute('s3p.upstream', service);
  res.once('close', () => endWith(span, res));
  context.with(trace.setSpan(parent, span), forward);
}
