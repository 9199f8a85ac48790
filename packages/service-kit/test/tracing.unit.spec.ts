import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { Router } from 'express';
import pino from 'pino';
import type { ServiceTracing } from '../src';
import {
  ConfigError,
  createServiceApp,
  outgoingTraceHeaders,
  startTracing,
  traceLogFields,
  traceProxied,
} from '../src';

const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
const callerSpan = '00f067aa0ba902b7';
const traceparent = `00-${callerTrace}-${callerSpan}-01`;

const exporter = new InMemorySpanExporter();
let tracing: ServiceTracing | undefined;
let server: Server;
let base: string;
const lines: Record<string, unknown>[] = [];

/** Log lines as the service writes them (JSON), kept for the assertions. */
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  },
});

const serverSpans = () => exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);
const spanId = (span: ReadableSpan) => span.spanContext().spanId;
const traceId = (span: ReadableSpan) => span.spanContext().traceId;

async function until<T>(find: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeAll(async () => {
  tracing = startTracing({ serviceName: 'tracing-test', exporter, env: {} });
  const logger = pino({ level: 'info', mixin: traceLogFields }, logSink);
  const routes = Router();
  routes.post('/api/notes/:id', async (req, res) => {
    // After an await, as a real handler writes to its database first.
    await new Promise((resolve) => setTimeout(resolve, 5));
    logger.info({ note: req.params.id, title: (req.body as { title?: string }).title }, 'note handled');
    res.status(201).json({ forwarded: outgoingTraceHeaders() });
  });
  const { app } = createServiceApp({ name: 'tracing-test', logger, routes });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await tracing?.shutdown();
});

beforeEach(() => {
  exporter.reset();
  lines.length = 0;
});

const postNote = (headers: Record<string, string> = {}) =>
  fetch(`${base}/api/notes/n-1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ title: 'hello' }),
  });

describe('tracing an HTTP request', () => {
  it('makes the caller’s traceparent the parent of the server span, named by its route', async () => {
    const answer = await postNote({ traceparent, 'x-request-id': 'req-42' });
    expect(answer.status).toBe(201);
    const span = await until(() => serverSpans()[0], 'the server span');
    expect(traceId(span)).toBe(callerTrace);
    expect(span.parentSpanId).toBe(callerSpan);
    expect(span.name).toBe('POST /api/notes/:id');
    expect(span.attributes['http.response.status_code']).toBe(201);
    expect(span.resource.attributes['service.name']).toBe('tracing-test');
  });

  it('sends the server span on to the services it calls', async () => {
    const answer = await postNote({ traceparent });
    const { forwarded } = (await answer.json()) as { forwarded: Record<string, string> };
    const span = await until(() => serverSpans()[0], 'the server span');
    expect(forwarded.traceparent).toBe(`00-${callerTrace}-${spanId(span)}-01`);
  });

  it('starts a trace of its own for a request that names none', async () => {
    await postNote();
    const span = await until(() => serverSpans()[0], 'the server span');
    expect(span.parentSpanId).toBeUndefined();
    expect(traceId(span)).toMatch(/^[\da-f]{32}$/);
    expect(traceId(span)).not.toBe(callerTrace);
  });

  it('puts the trace, span and request id in the handler’s log lines and the request log', async () => {
    await postNote({ traceparent, 'x-request-id': 'req-43' });
    const span = await until(() => serverSpans()[0], 'the server span');
    const handled = await until(() => lines.find((line) => line.msg === 'note handled'), 'the log line');
    expect(handled).toMatchObject({ traceId: callerTrace, spanId: spanId(span), correlationId: 'req-43' });
    const completed = await until(
      () => lines.find((line) => line.msg === 'request completed'),
      'the request log line',
    );
    expect(completed).toMatchObject({ traceId: callerTrace, spanId: spanId(span) });
  });

  it('writes no trace fields outside a request', () => {
    expect(traceLogFields()).toEqual({});
  });

  it('gives a proxied request a span of its own, the parent of what the upstream receives', async () => {
    const proxy = createServer((req, res) =>
      traceProxied(req, res, 'notes', () => {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(outgoingTraceHeaders()));
      }),
    );
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const answer = await fetch(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api/notes`, {
        headers: { traceparent },
      });
      const sent = (await answer.json()) as Record<string, string>;
      const span = await until(() => serverSpans()[0], 'the proxy span');
      expect(span.name).toBe('GET notes');
      expect(span.parentSpanId).toBe(callerSpan);
      expect(sent.traceparent).toBe(`00-${callerTrace}-${spanId(span)}-01`);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

describe('tracing configuration', () => {
  it('stays off without an OTLP endpoint', () => {
    expect(startTracing({ serviceName: 'x', env: {} })).toBeUndefined();
    expect(startTracing({ serviceName: 'x', env: { OTEL_EXPORTER_OTLP_ENDPOINT: '' } })).toBeUndefined();
  });

  it('refuses an endpoint that is not an http(s) URL, naming the variable', () => {
    expect(() =>
      startTracing({ serviceName: 'x', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' } }),
    ).toThrow(ConfigError);
    expect(() =>
      startTracing({ serviceName: 'x', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector' } }),
    ).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});
