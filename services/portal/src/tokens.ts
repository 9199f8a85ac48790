import { SignJWT } from 'jose';
import type { SigningKey } from './signing-key';
import { signingAlgorithm } from './signing-key';
import type { User } from './users';

export interface TokenSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

/** A bearer token with the claims every service reads (`sub`, `roles`, `region`, `country`). */
export function issueToken(user: User, key: SigningKey, settings: TokenSettings): Promise<string> {
  const { username, roles, region, country } = user;
  return new SignJWT({ roles, ...(region ? { region } : {}), ...(country ? { country } : {}) })
    .setProtectedHeader({ alg: signingAlgorithm, kid: key.kid, typ: 'JWT' })
    .setSubject(username)
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setIssuedAt()
    .setExpirationTime(`${settings.ttlSeconds}s`)
    .sign(key.privateKey);
}

/** A machine client's token (client-credentials grant): `sub` is the client id, the one role `service`. */
export function issueServiceToken(
  clientId: string,
  key: SigningKey,
  settings: TokenSettings,
): Promise<string> {
  return issueToken({ username: clientId, roles: ['service'] }, key, settings);
}
