import { ApiDescription } from '@s3p/service-kit';
import { demoUserList, jwks, tokenEndpointBody, tokenResponse } from './schemas';

/** The portal's own operations; in `oidc` mode only the merged document is the portal's. */
export function portalApi(version: string, localIssuer: boolean): ApiDescription {
  const api = new ApiDescription('S3 Pilot Platform portal', version).add({
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document: the portal and every service behind it',
    tags: ['portal'],
    roles: 'public',
    responses: { 200: { description: 'OpenAPI 3.1; `x-unavailable` names services whose part is missing' } },
  });
  if (!localIssuer) return api;
  return api
    .add({
      method: 'post',
      path: '/api/auth/token',
      summary:
        'Sign in: a bearer token for a username and password (JSON), or for a service client ' +
        '(OAuth 2.0 client-credentials grant, RFC 6749 §4.4: grant_type=client_credentials with ' +
        'client_id and client_secret, form-encoded or JSON, or the client in HTTP Basic). ' +
        'A client gets the role `service`; a refused client gets 401 with `error: invalid_client`.',
      tags: ['auth'],
      roles: 'public',
      body: tokenEndpointBody,
      responses: { 200: { description: 'A signed JWT (ES256)', schema: tokenResponse } },
      errors: [401, 429],
    })
    .add({
      method: 'get',
      path: '/api/auth/demo-users',
      summary: 'The demo users (password `demo`), embedded default only',
      tags: ['auth'],
      roles: 'public',
      responses: { 200: { description: 'Usernames and their claims', schema: demoUserList } },
    })
    .add({
      method: 'get',
      path: '/.well-known/jwks.json',
      summary: 'The public keys that verify the tokens the portal issues',
      tags: ['auth'],
      roles: 'public',
      responses: { 200: { description: 'JSON Web Key Set', schema: jwks } },
    });
}
