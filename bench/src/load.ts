import http from 'node:http';
import type { Summary } from './statistics';
import { summarise } from './statistics';

/**
 * A closed-loop load generator: `concurrency` callers, each starting its next call as soon as its
 * last one ended, for a time or a number of calls. Latency is that of the successful calls;
 * throughput counts them over the measured wall time (from the first call to the last answer).
 * An optional warm-up runs the same work first, unmeasured (JIT, connection pools, caches).
 */
export interface LoadResult {
  /** Calls that ended, successful or not. */
  requests: number;
  errors: number;
  /** The first error's message, to tell why calls failed. */
  firstError?: string;
  /** Measured wall time. */
  seconds: number;
  /** Successful calls per second. */
  rps: number;
  /** Milliseconds per successful call (nearest-rank percentiles). */
  latency: Summary;
}

/** How long a closed loop runs: for a time, until a number of calls has been made, or whichever comes first. */
export type LoadBound =
  number | { durationMs: number } | { count: number } | { count: number; durationMs: number };

export interface CallContext {
  /** Which of the `concurrency` callers makes the call (0-based): a caller's calls never overlap. */
  caller: number;
  /** True during the warm-up, whose calls are not measured. */
  warmup: boolean;
}

/**
 * The work of one call: `i` counts the calls of the phase from 0 (the warm-up has its own count),
 * so with `{ count }` the measured calls get exactly 0 … count − 1. A call fails by throwing.
 */
export type Work = (i: number, call: CallContext) => Promise<void>;

export interface LoopOptions {
  /** Unmeasured calls of the same work first, for this long (default none). */
  warmupMs?: number;
}

/** Runs `work` in a closed loop at `concurrency` and measures it (see LoadResult). */
export async function closedLoop(
  concurrency: number,
  bound: LoadBound,
  work: Work,
  options: LoopOptions = {},
): Promise<LoadResult> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`bad concurrency ${concurrency}`);
  const limit = typeof bound === 'number' ? { durationMs: bound } : bound;
  if (options.warmupMs && options.warmupMs > 0) {
    await phase(concurrency, { durationMs: options.warmupMs }, work, true);
  }
  const measured = await phase(concurrency, limit, work, false);
  if (measured.latencies.length === 0) {
    throw new Error(
      `every one of ${measured.requests} calls failed${measured.firstError ? `: ${measured.firstError}` : ''}`,
    );
  }
  const successes = measured.latencies.length;
  return {
    requests: measured.requests,
    errors: measured.requests - successes,
    ...(measured.firstError ? { firstError: measured.firstError } : {}),
    seconds: measured.seconds,
    rps: successes / measured.seconds,
    latency: summarise(measured.latencies),
  };
}

interface Phase {
  requests: number;
  latencies: number[];
  firstError?: string;
  seconds: number;
}

async function phase(
  concurrency: number,
  limit: Exclude<LoadBound, number>,
  work: Work,
  warmup: boolean,
): Promise<Phase> {
  const latencies: number[] = [];
  let next = 0;
  let requests = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = 'durationMs' in limit ? started + limit.durationMs : Number.POSITIVE_INFINITY;
  const count = 'count' in limit ? limit.count : Number.POSITIVE_INFINITY;
  const caller = async (index: number): Promise<void> => {
    for (;;) {
      if (next >= count || performance.now() >= deadline) return;
      const i = next++;
      const sent = performance.now();
      try {
        await work(i, { caller: index, warmup });
        latencies.push(performance.now() - sent);
      } catch (error) {
        firstError ??= error instanceof Error ? error.message : String(error);
      }
      requests++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, index) => caller(index)));
  return {
    requests,
    latencies,
    ...(firstError ? { firstError } : {}),
    seconds: (performance.now() - started) / 1000,
  };
}

// --- HTTP ------------------------------------------------------------------------------------------

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** JSON of an answer's body (throws on an empty or non-JSON body). */
export const jsonOf = <T = unknown>(answer: HttpAnswer): T => JSON.parse(answer.body.toString('utf8')) as T;

export interface HttpClient {
  /** One request on a kept-alive connection; the answer's body is read whole. */
  request(
    method: string,
    url: string,
    body?: string | Buffer,
    headers?: http.OutgoingHttpHeaders,
  ): Promise<HttpAnswer>;
  /** Closes the kept-alive connections. */
  close(): void;
}

/**
 * An HTTP/1.1 client on `node:http` with keep-alive, at most `maxSockets` connections per host
 * (give the loop's concurrency, so that each caller keeps its own connection). Lighter than
 * fetch (undici) in the load generator's CPU, which on two cores the server under test shares.
 */
export function httpClient(maxSockets: number): HttpClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  return {
    request(method, url, body, headers = {}) {
      return new Promise<HttpAnswer>((resolve, reject) => {
        const request = http.request(
          url,
          {
            method,
            agent,
            headers: {
              ...(body === undefined
                ? {}
                : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
              ...headers,
            },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('error', reject);
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                headers: response.headers,
                body: Buffer.concat(chunks),
              }),
            );
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

export interface HttpLoad {
  url: string | ((i: number) => string);
  /** Default POST when there is a body, else GET. */
  method?: string;
  /** A JSON body, the same for every call or one per call. */
  body?: string | Buffer | ((i: number) => string | Buffer);
  headers?: http.OutgoingHttpHeaders;
  /** The statuses that count as success (default any 2xx). */
  ok?: (status: number) => boolean;
}

export type RunLoadOptions = (HttpLoad | { request: Work }) & {
  concurrency: number;
  warmupMs?: number;
} & ({ durationMs: number } | { count: number });

/**
 * The closed loop over HTTP: a URL (and body) called with keep-alive, or any `request` function
 * (a sequence of calls with a bearer token, say), measured the same way.
 */
export async function runLoad(options: RunLoadOptions): Promise<LoadResult> {
  const bound: LoadBound = 'count' in options ? { count: options.count } : { durationMs: options.durationMs };
  const loopOptions = options.warmupMs === undefined ? {} : { warmupMs: options.warmupMs };
  if ('request' in options) return closedLoop(options.concurrency, bound, options.request, loopOptions);
  const client = httpClient(options.concurrency);
  const { url, body, headers } = options;
  const method = options.method ?? (body === undefined ? 'GET' : 'POST');
  const ok = options.ok ?? ((status: number) => status >= 200 && status < 300);
  try {
    return await closedLoop(
      options.concurrency,
      bound,
      async (i) => {
        const answer = await client.request(
          method,
          typeof url === 'function' ? url(i) : url,
          typeof body === 'function' ? body(i) : body,
          headers,
        );
        if (!ok(answer.status)) {
          throw new Error(
            `${method} answered ${answer.status}: ${answer.body.toString('utf8').slice(0, 200)}`,
          );
        }
      },
      loopOptions,
    );
  } finally {
    client.close();
  }
}

/** The usual figures of a load result, named alike in every scenario. */
export function loadFigures(
  scenario: string,
  what: string,
  result: LoadResult,
  note: string,
  unit = 'req/s',
): { scenario: string; metric: string; value: number; unit: string; note: string }[] {
  const fullNote = `${note}; ${result.requests} calls in ${result.seconds.toFixed(1)} s${
    result.errors > 0 ? `, ${result.errors} errors (${result.firstError ?? ''})` : ''
  }`;
  return [
    { scenario, metric: `${what} throughput`, value: result.rps, unit, note: fullNote },
    { scenario, metric: `${what} p50`, value: result.latency.p50, unit: 'ms', note: fullNote },
    { scenario, metric: `${what} p99`, value: result.latency.p99, unit: 'ms', note: fullNote },
  ];
}
