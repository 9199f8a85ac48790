import { roles } from '@s3p/service-kit';
import { z } from 'zod';

export const tokenRequest = z.strictObject({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(200),
});

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
