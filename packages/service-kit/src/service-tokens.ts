import { decodeJwt } from 'jose';
import { z } from 'zod';
import { outgoingTraceHeaders } from './trace-context';

export interface ServiceTokensOptions {
  /** The token endpoint: the portal's `POST /api/auth/token`, or an OIDC provider's. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** A token is renewed this long before it expires (at most half its lifetime); default 60 s. */
  refreshBeforeSeconds?: number;
  /** The longest wait for the token endpoint; default 10 s. */
  timeoutMs?: number;
  /** The clock, in milliseconds; tests move it. */
  now?: () => number;
}

/** The token endpoint refused, or could not be asked. Its message never carries the client secret. */
export class ServiceTokenError extends Error {
  constructor(
    message: string,
    /** The token endpoint's HTTP status; undefined when it could not be reached or answered nonsense. */
    readonly status?: number,
    /** The RFC 6749 `error` code, when the answer had one (`invalid_client`, ...). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ServiceTokenError';
  }
}

/** RFC 6749 §5.1; `token_type` is case-insensitive, `expires_in` only recommended. */
const tokenAnswer = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((type) => type.toLowerCase() === 'bearer', 'not a bearer token'),
  expires_in: z.coerce.number().positive().optional(),
});

/** RFC 6749 §5.2 and RFC 9457 fields, whichever the endpoint sent. */
const errorAnswer = z.object({
  error: z.string().optional(),
  error_description: z.string().optional(),
  title: z.string().optional(),
  detail: z.string().optional(),
});

interface Cached {
  token: string;
  /** When to fetch a new one. */
  refreshAt: number;
  /** When it stops being valid; until then it is still used when a renewal fails. */
  expiresAt: number;
}

/**
 * A service's own bearer token, from the OAuth 2.0 client-credentials grant (RFC 6749 §4.4): one
 * token endpoint request per token lifetime, shared by every caller in the meantime.
 *
 *     const tokens = new ServiceTokens({ tokenUrl, clientId, clientSecret });
 *     const call = await tokens.authorizedFetch(`${callsUrl}/api/calls/${id}`);
 */
export class ServiceTokens {
  private readonly fetchImpl: typeof fetch;
  private readonly refreshBeforeMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private cached: Cached | undefined;
  private pending: Promise<Cached> | undefined;

  constructor(private readonly options: ServiceTokensOptions) {
    if (!options.tokenUrl || !options.clientId || !options.clientSecret) {
      throw new Error('ServiceTokens needs a token URL, a client id and a client secret');
    }
    this.fetchImpl = options.fetch ?? fetch;
    this.refreshBeforeMs = (options.refreshBeforeSeconds ?? 60) * 1000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * A valid access token: the cached one until its refresh time, else a new one. Callers arriving
   * while a request is under way share it. When a renewal fails but the current token has not
   * expired yet, that token is answered (the next call tries again); otherwise the error is thrown.
   */
  async token(): Promise<string> {
    const now = this.now();
    const cached = this.cached;
    if (cached && now < cached.refreshAt) return cached.token;
    try {
      return (await this.fetchShared()).token;
    } catch (error) {
      if (cached && this.now() < cached.expiresAt) return cached.token;
      throw error;
    }
  }

  /**
   * `fetch` with `Authorization: Bearer <token>`. A 401 answer gets one retry with a new token
   * (the one sent may have been revoked, or signed by a key rotated away); a second 401 is
   * answered as it is. Bodies must be replayable (string, bytes, URLSearchParams, FormData, Blob):
   * a request with a stream body is not retried.
   */
  async authorizedFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const send = (token: string) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      // The called service's span continues this trace.
      for (const [name, value] of Object.entries(outgoingTraceHeaders())) headers.set(name, value);
      return this.fetchImpl(input, { ...init, headers });
    };
    const used = await this.token();
    const first = await send(used);
    if (first.status !== 401 || init.body instanceof ReadableStream) return first;
    await first.body?.cancel().catch(() => undefined);
    return send(await this.renewed(used));
  }

  /** Forgets the cached token: the next `token()` asks the endpoint. */
  clear(): void {
    this.cached = undefined;
  }

  /** A token other than `rejected`: many callers refused with the same token cause one request. */
  private async renewed(rejected: string): Promise<string> {
    if (this.cached?.token === rejected) this.cached = undefined;
    if (this.cached) return this.cached.token;
    return (await this.fetchShared()).token;
  }

  private fetchShared(): Promise<Cached> {
    this.pending ??= this.request().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async request(): Promise<Cached> {
    const { tokenUrl, clientId, clientSecret } = this.options;
    let response: Response;
    try {
      response = await this.fetchImpl(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
        }).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw this.failure(`could not reach the token endpoint ${tokenUrl}: ${reason(error)}`);
    }
    const text = await response.text().catch(() => '');
    const body = parseJson(text);
    if (!response.ok) {
      const said = errorAnswer.safeParse(body);
      const problem = said.success ? said.data : {};
      const description = problem.detail ?? problem.error_description ?? problem.title;
      throw this.failure(
        `the token endpoint ${tokenUrl} refused client ${clientId}: ${response.status}` +
          `${problem.error ? ` ${problem.error}` : ''}${description ? ` (${description})` : ''}`,
        response.status,
        problem.error,
      );
    }
    const parsed = tokenAnswer.safeParse(body);
    if (!parsed.success) {
      throw this.failure(
        `the token endpoint ${tokenUrl} answered ${response.status} without a bearer access_token`,
        response.status,
      );
    }
    const { access_token: token, expires_in: expiresIn } = parsed.data;
    const issued = this.now();
    const lifetimeMs = expiresIn !== undefined ? expiresIn * 1000 : lifetimeOf(token, issued);
    const margin = Math.min(this.refreshBeforeMs, lifetimeMs / 2);
    const cached = { token, refreshAt: issued + lifetimeMs - margin, expiresAt: issued + lifetimeMs };
    this.cached = cached;
    return cached;
  }

  /** The error, with the secret blanked out should anything have echoed it. */
  private failure(message: string, status?: number, code?: string): ServiceTokenError {
    return new ServiceTokenError(message.split(this.options.clientSecret).join('***'), status, code);
  }
}

/** Without `expires_in`, the JWT's own `exp`; a token that says nothing is used for this request only. */
function lifetimeOf(token: string, now: number): number {
  try {
    const { exp } = decodeJwt(token);
    return exp !== undefined ? Math.max(0, exp * 1000 - now) : 0;
  } catch {
    return 0;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'no answer in time';
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
