import type { FieldError } from '@s3p/service-kit';
import { addressKey, fieldErrors, HttpProblem, parseBody, rateLimited } from '@s3p/service-kit';
import type { ErrorRequestHandler, Request, RequestHandler, Response, Router } from 'express';
import { Router as createRouter, urlencoded } from 'express';
import type { LoginLimiter } from '../domain/login-limiter';
import type { ServiceClients } from '../service-clients';
import type { SigningKey } from '../signing-key';
import type { TokenSettings } from '../tokens';
import { issueServiceToken, issueToken } from '../tokens';
import type { UserDirectory } from '../users';
import { clientCredentialsRequest, tokenRequest } from './schemas';

/** The embedded default's own issuer: its key, its users and machine clients, and how its tokens look. */
export interface LocalIssuer {
  key: SigningKey;
  users: UserDirectory;
  /** Failed sign-ins per username and address. */
  limiter: LoginLimiter;
  /** The clients of the client-credentials grant (`SERVICE_CLIENTS`). */
  clients: ServiceClients;
  /** Failed client authentications per client id and address, apart from the users' so neither can hold back the other. */
  clientLimiter: LoginLimiter;
  tokens: TokenSettings;
  /** Limits over all sign-ins, beside the limiters' per username and address. */
  signInLimits: SignInLimits;
}

export interface SignInLimits {
  /** Attempts per client address per minute, accepted or not. */
  perAddressPerMinute: number;
  /** Failed attempts per username or client id per minute, from all addresses together. */
  failuresPerAccountPerMinute: number;
}

/** Public key lifetime in caches: short, so a new key is picked up soon after a rotation. */
const jwksMaxAgeSeconds = 300;

/** An RFC 6749 §5.2 error answer: problem+json, with the OAuth `error` code and `error_description` beside it. */
class OAuthProblem extends HttpProblem {
  constructor(
    status: 400 | 401,
    readonly error: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type',
    detail: string,
    errors?: FieldError[],
    headers?: Record<string, string>,
  ) {
    super(status, status === 400 ? 'Bad Request' : 'Unauthorized', detail, errors, headers);
  }
}

const oauthProblems: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (!(error instanceof OAuthProblem)) return next(error);
  res
    .status(error.status)
    .set(error.headers)
    .type('application/problem+json')
    .json({
      type: 'about:blank',
      title: error.title,
      status: error.status,
      detail: error.detail,
      ...(error.errors ? { errors: error.errors } : {}),
      error: error.error,
      error_description: error.detail,
    });
};

/** RFC 6749 requests are form-encoded: a small body with a handful of fields, each at most once. */
const formParser = urlencoded({ extended: false, limit: '4kb', parameterLimit: 20 });
const formBody: RequestHandler = (req, res, next) =>
  formParser(req, res, (error?: unknown) => {
    if ((error as { type?: string } | undefined)?.type === 'parameters.too.many') {
      return next(new HttpProblem(413, 'Content Too Large', 'the form has more fields than a token request'));
    }
    next(error);
  });

const clientNotAuthenticated = (basic: boolean, detail: string) =>
  new OAuthProblem(
    401,
    'invalid_client',
    detail,
    undefined,
    basic ? { 'WWW-Authenticate': 'Basic realm="s3p", charset="UTF-8"' } : {},
  );

/** Form-urlencoded then base64, as RFC 6749 §2.3.1 has clients send `client_id:client_secret`. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header || !/^basic /i.test(header)) return undefined;
  const malformed = () =>
    clientNotAuthenticated(true, 'the Basic credentials are not client_id:client_secret');
  const encoded = /^basic ([A-Za-z0-9+/]+={0,2})$/i.exec(header)?.[1];
  if (!encoded) throw malformed();
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw malformed();
  const formDecoded = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
  try {
    return { id: formDecoded(decoded.slice(0, colon)), secret: formDecoded(decoded.slice(colon + 1)) };
  } catch {
    throw malformed();
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The account a sign-in names: the username, or the client id of a client-credentials grant. */
function accountKey(req: Request): string {
  const body: unknown = req.body;
  const named = isRecord(body) ? (body.username ?? body.client_id) : undefined;
  if (typeof named === 'string') return `account:${named.toLowerCase().slice(0, 200)}`;
  try {
    const basic = basicCredentials(req.get('authorization'));
    if (basic) return `account:${basic.id.toLowerCase().slice(0, 200)}`;
  } catch {
    // Malformed Basic credentials are refused by the grant itself; they count as no account.
  }
  return 'account:';
}

export function authRoutes({
  key,
  users,
  limiter,
  clients,
  clientLimiter,
  tokens,
  signInLimits,
}: LocalIssuer): Router {
  const router = createRouter();
  const perAddress = rateLimited({
    limit: signInLimits.perAddressPerMinute,
    windowMs: 60_000,
    what: 'sign-ins from your address',
    key: addressKey,
  });
  const perAccount = rateLimited({
    limit: signInLimits.failuresPerAccountPerMinute,
    windowMs: 60_000,
    what: 'failed sign-ins for this account',
    key: accountKey,
    counts: 'failures',
  });
  const addressOf = (req: Request) => req.ip ?? req.socket.remoteAddress;

  const tooMany = (wait: number, who: string) =>
    new HttpProblem(
      429,
      'Too Many Requests',
      `too many failed sign-ins for this ${who} from your address; try again in ${wait} s`,
      undefined,
      { 'Retry-After': String(wait) },
    );

  const sendToken = (res: Response, accessToken: string) => {
    res.set('Cache-Control', 'no-store').json({
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: tokens.ttlSeconds,
    });
  };

  /** A demo user: JSON `{ username, password }`, as it always was. */
  async function signInUser(req: Request, res: Response): Promise<void> {
    const { username, password } = parseBody(tokenRequest, req);
    const attempts = `${username.toLowerCase()}|${addressOf(req)}`;
    const wait = limiter.retryAfterSeconds(attempts);
    if (wait > 0) throw tooMany(wait, 'user');
    const user = await users.verify(username, password);
    if (!user) {
      limiter.recordFailure(attempts);
      // One answer for an unknown user and a wrong password: the portal does not say which usernames exist.
      throw new HttpProblem(401, 'Unauthorized', 'unknown username or wrong password');
    }
    sendToken(res, await issueToken(user, key, tokens));
  }

  /** A machine client (RFC 6749 §4.4): its id and secret in the body, or in HTTP Basic. */
  async function signInClient(req: Request, res: Response): Promise<void> {
    const parsed = clientCredentialsRequest.safeParse(req.body);
    if (!parsed.success) {
      throw new OAuthProblem(
        400,
        'invalid_request',
        'the body does not match its schema',
        fieldErrors(parsed.error, ['body']),
      );
    }
    const { client_id: bodyId, client_secret: bodySecret } = parsed.data;
    const basic = basicCredentials(req.get('authorization'));
    if (basic && (bodySecret !== undefined || (bodyId !== undefined && bodyId !== basic.id))) {
      throw new OAuthProblem(
        400,
        'invalid_request',
        'authenticate the client one way only: HTTP Basic, or client_id and client_secret in the body',
      );
    }
    const id = basic?.id ?? bodyId;
    const secret = basic?.secret ?? bodySecret;
    if (!id || !secret || id.length > 200 || secret.length > 512) {
      throw clientNotAuthenticated(
        basic !== undefined,
        'the client did not authenticate: send client_id and client_secret, or HTTP Basic',
      );
    }
    const attempts = `${id}|${addressOf(req)}`;
    const wait = clientLimiter.retryAfterSeconds(attempts);
    if (wait > 0) throw tooMany(wait, 'client');
    const client = clients.verify(id, secret);
    if (!client) {
      clientLimiter.recordFailure(attempts);
      // One answer for an unknown client and a wrong secret, as for users.
      throw clientNotAuthenticated(basic !== undefined, 'unknown client or wrong client secret');
    }
    sendToken(res, await issueServiceToken(client, key, tokens));
  }

  router.post('/api/auth/token', perAddress, formBody, perAccount, async (req, res) => {
    const json = Boolean(req.is('application/json'));
    if (!json && !req.is('application/x-www-form-urlencoded')) {
      throw new HttpProblem(
        415,
        'Unsupported Media Type',
        'send the body as application/json, or as application/x-www-form-urlencoded for an OAuth 2.0 grant',
      );
    }
    const body: unknown = req.body;
    const grantType = isRecord(body) && Object.hasOwn(body, 'grant_type') ? body.grant_type : undefined;
    if (grantType === undefined && json) return signInUser(req, res);
    if (grantType === 'client_credentials') return signInClient(req, res);
    if (typeof grantType === 'string') {
      throw new OAuthProblem(
        400,
        'unsupported_grant_type',
        'the grant types are client_credentials, and a JSON { username, password } without grant_type for the demo users',
      );
    }
    throw new OAuthProblem(
      400,
      'invalid_request',
      'grant_type is missing or not one value: send grant_type=client_credentials',
    );
  });

  router.get('/api/auth/demo-users', (_req, res) => {
    res.json(users.list());
  });

  router.get('/.well-known/jwks.json', (_req, res) => {
    res.set('Cache-Control', `public, max-age=${jwksMaxAgeSeconds}`).json({ keys: [key.publicJwk] });
  });

  router.use(oauthProblems);

  return router;
}
