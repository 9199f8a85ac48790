import { HttpProblem, parseBody } from '@s3p/service-kit';
import type { Router } from 'express';
import { Router as createRouter } from 'express';
import type { LoginLimiter } from '../domain/login-limiter';
import type { SigningKey } from '../signing-key';
import type { TokenSettings } from '../tokens';
import { issueToken } from '../tokens';
import type { UserDirectory } from '../users';
import { tokenRequest } from './schemas';

/** The embedded default's own issuer: its key, its users, and how its tokens look. */
export interface LocalIssuer {
  key: SigningKey;
  users: UserDirectory;
  limiter: LoginLimiter;
  tokens: TokenSettings;
}

/** Public key lifetime in caches: short, so a new key is picked up soon after a rotation. */
const jwksMaxAgeSeconds = 300;

export function authRoutes({ key, users, limiter, tokens }: LocalIssuer): Router {
  const router = createRouter();

  router.post('/api/auth/token', async (req, res) => {
    const { username, password } = parseBody(tokenRequest, req);
    const attempts = `${username.toLowerCase()}|${req.ip ?? req.socket.remoteAddress}`;
    const wait = limiter.retryAfterSeconds(attempts);
    if (wait > 0) {
      throw new HttpProblem(
        429,
        'Too Many Requests',
        `too many failed sign-ins for this user from your address; try again in ${wait} s`,
        undefined,
        { 'Retry-After': String(wait) },
      );
    }
    const user = await users.verify(username, password);
    if (!user) {
      limiter.recordFailure(attempts);
      // One answer for an unknown user and a wrong password: the portal does not say which usernames exist.
      throw new HttpProblem(401, 'Unauthorized', 'unknown username or wrong password');
    }
    res.set('Cache-Control', 'no-store').json({
      access_token: await issueToken(user, key, tokens),
      token_type: 'Bearer',
      expires_in: tokens.ttlSeconds,
    });
  });

  router.get('/api/auth/demo-users', (_req, res) => {
    res.json(users.list());
  });

  router.get('/.well-known/jwks.json', (_req, res) => {
    res.set('Cache-Control', `public, max-age=${jwksMaxAgeSeconds}`).json({ keys: [key.publicJwk] });
  });

  return router;
}
