import { roles } from '@s3p/service-kit';
import { z } from 'zod';

/** A demo user signs in: JSON, no `grant_type`. */
export const tokenRequest = z.strictObject({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(200),
});

/**
 * A service signs in as itself (RFC 6749 §4.4), form-encoded or JSON. The client authenticates
 * with `client_id` and `client_secret` here or with HTTP Basic (§2.3.1), not both.
 */
export const clientCredentialsRequest = z.strictObject({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().min(1).max(200).optional(),
  client_secret: z.string().min(1).max(512).optional(),
});

/** What the token endpoint accepts, as the API document shows it. */
export const tokenEndpointBody = z.union([tokenRequest, clientCredentialsRequest]);

export const tokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().describe('seconds'),
});

export const demoUserList = z.array(
  z.object({
    username: z.string(),
    roles: z.array(z.enum(roles)),
    region: z.string().optional().describe('NUTS-2 code, for region users'),
    country: z.string().optional(),
  }),
);

export const jwks = z.object({
  keys: z.array(
    z.object({
      kty: z.string(),
      crv: z.string(),
      x: z.string(),
      y: z.string(),
      kid: z.string(),
      alg: z.string(),
    }),
  ),
});
