import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';

/** An answer later than this is a hang, whatever is down. */
export const hangAfterMs = 15_000;
/** How long the harness waits for a late answer, to tell how late it came (or that none came). */
const giveUpAfterMs = 60_000;

/**
 * What one HTTP call got: a status, or no answer at all: `refused` (no process listened: a
 * killed portal), `broken` (the connection was cut in the middle: a portal killed while it
 * answered), `hang` (nothing within a minute).
 */
export type Outcome = number | 'refused' | 'broken' | 'hang';

export interface Exchange {
  /** Milliseconds since the run began. */
  at: number;
  method: string;
  /** The path with ids replaced by `{id}`, to count by route. */
  route: string;
  outcome: Outcome;
  retryAfter?: string;
  ms: number;
  /** The fault under way when the call was sent, if any. */
  fault?: string;
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

const routeOf = (path: string): string =>
  path
    .split('?')[0]!
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{id}')
    .replace(/\/[0-9a-f]{24}(?=\/|$)/gi, '/{id}');

/** Every HTTP call the bots make goes through here and is kept, with the fault it met. */
export class Recorder {
  readonly exchanges: Exchange[] = [];
  private readonly began = performance.now();
  private fault: string | undefined;

  /** Names the fault that calls sent from now on meet (undefined: none). */
  during(fault: string | undefined): void {
    this.fault = fault;
  }

  now(): number {
    return Math.round(performance.now() - this.began);
  }

  async send(
    base: string,
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<{ outcome: Outcome; answer?: Answer<unknown>; retryAfter?: string }> {
    const exchange: Exchange = {
      at: this.now(),
      method,
      route: routeOf(path),
      outcome: 'hang',
      ms: 0,
      ...(this.fault ? { fault: this.fault } : {}),
    };
    const sent = performance.now();
    try {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(giveUpAfterMs),
      });
      const text = await response.text();
      exchange.outcome = response.status;
      const retryAfter = response.headers.get('retry-after') ?? undefined;
      if (retryAfter !== undefined) exchange.retryAfter = retryAfter;
      let parsed: unknown = {};
      try {
        parsed = text ? JSON.parse(text) : {};
      } catch {
        parsed = { text };
      }
      return {
        outcome: response.status,
        answer: { status: response.status, body: parsed },
        ...(retryAfter !== undefined ? { retryAfter } : {}),
      };
    } catch (error) {
      exchange.outcome = outcomeOfFailure(error);
      return { outcome: exchange.outcome };
    } finally {
      exchange.ms = Math.round(performance.now() - sent);
      this.exchanges.push(exchange);
    }
  }
}

function outcomeOfFailure(error: unknown): Outcome {
  const name = (error as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'hang';
  const code = ((error as { cause?: { code?: string } }).cause ?? {}).code;
  return code === 'ECONNREFUSED' ? 'refused' : 'broken';
}

/** The bot gave up on a step: the platform kept answering 503, or no portal answered. */
export class GaveUp extends Error {}

/** A demo user calling the API through whichever portal answers, as a client behind a load balancer. */
export interface PortalUser {
  username: string;
  /**
   * Sends until an answer other than 503 or 429 comes (waiting as Retry-After says, at most 2 s), or
   * until `patienceMs`; a write carries one Idempotency-Key over all its attempts.
   */
  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    options?: { patienceMs?: number },
  ): Promise<Answer<T>>;
}

export async function signIn(
  recorder: Recorder,
  portals: () => string[],
  username: string,
): Promise<PortalUser> {
  let turn = 0;
  /** A running portal, or none while every portal is down (the caller waits and asks again). */
  const nextPortal = (): string | undefined => {
    const list = portals();
    return list.length === 0 ? undefined : list[turn++ % list.length];
  };

  async function persist<T>(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: unknown,
    patienceMs: number,
  ): Promise<Answer<T>> {
    const deadline = Date.now() + patienceMs;
    let last = 'nothing';
    for (;;) {
      const portal = nextPortal();
      if (portal === undefined) {
        if (Date.now() > deadline) throw new GaveUp(`${method} ${path}: no portal ran for ${patienceMs} ms`);
        await delay(300);
        continue;
      }
      const { outcome, answer, retryAfter } = await recorder.send(portal, method, path, headers, body);
      if (answer && outcome !== 503 && outcome !== 429) return answer as Answer<T>;
      last = String(outcome);
      if (Date.now() > deadline) throw new GaveUp(`${method} ${path}: still ${last} after ${patienceMs} ms`);
      const wait = typeof outcome === 'number' ? Math.min(Number(retryAfter ?? 1) * 1000, 2_000) : 300;
      await delay(wait);
    }
  }

  const token = await persist<{ access_token: string }>(
    'POST',
    '/api/auth/token',
    {},
    { username, password: 'demo' },
    120_000,
  );
  if (token.status !== 200) throw new Error(`${username} could not sign in: ${token.status}`);
  const authorization = `Bearer ${token.body.access_token}`;
  return {
    username,
    request: (method, path, body, options = {}) =>
      persist(
        method,
        path,
        {
          authorization,
          ...(method === 'GET' ? {} : { 'idempotency-key': randomUUID() }),
        },
        body,
        options.patienceMs ?? 90_000,
      ),
  };
}
