import { createServer } from 'node:http';
import { ApiDescription, createServiceApp } from '@s3p/service-kit';
import { freePort } from '@s3p/testkit';
import { Router } from 'express';
import { z } from 'zod';
import type { PortalService } from '../src/service';
import { listen, silent, startPortal } from './support';

const id = z.object({ id: z.string() });
const callBody = z.strictObject({ title: z.string(), budget: z.number().int().meta({ id: 'CallBudget' }) });
const applicationView = z.object({ id: z.string(), region: z.string().meta({ id: 'RegionCode' }) });

/** A service as the others are built: service-kit's app serving its ApiDescription at /openapi.json. */
function service(name: string, api: ApiDescription) {
  const { app } = createServiceApp({ name, logger: silent, routes: Router(), api });
  return listen(createServer(app));
}

const callsApi = new ApiDescription('S3P calls', '0.1.0')
  .add({
    method: 'post',
    path: '/api/calls',
    summary: 'Draft a call',
    tags: ['calls'],
    roles: ['programme-manager'],
    body: callBody,
    responses: { 201: { description: 'The draft' } },
  })
  .add({
    method: 'get',
    path: '/api/calls/:id',
    summary: 'One call',
    tags: ['calls'],
    roles: ['programme-manager'],
    params: id,
    responses: { 200: { description: 'The call' } },
    errors: [404],
  });

const applicationsApi = new ApiDescription('S3P applications', '0.1.0').add({
  method: 'get',
  path: '/api/applications/:id',
  summary: 'One application',
  tags: ['applications'],
  roles: ['region'],
  params: id,
  responses: { 200: { description: 'The application', schema: applicationView } },
});

interface Document {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, unknown>>;
  'x-unavailable'?: string[];
}

describe('GET /api/openapi.json', () => {
  let calls: Awaited<ReturnType<typeof listen>>;
  let applications: Awaited<ReturnType<typeof listen>>;
  let portal: PortalService;

  beforeAll(async () => {
    calls = await service('calls', callsApi);
    applications = await service('applications', applicationsApi);
    portal = await startPortal({ CALLS_URL: calls.url, APPLICATIONS_URL: applications.url });
  });
  afterAll(async () => {
    await portal.stop();
    await Promise.all([calls.close(), applications.close()]);
  });

  it('merges the portal’s operations and every service’s document, without a token', async () => {
    const answer = await fetch(`${portal.url}/api/openapi.json`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const document = (await answer.json()) as Document;
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(Object.keys(document.paths).sort()).toEqual([
      '/.well-known/jwks.json',
      '/api/applications/{id}',
      '/api/auth/demo-users',
      '/api/auth/token',
      '/api/calls',
      '/api/calls/{id}',
      '/api/openapi.json',
    ]);
    expect(document.paths['/api/calls']?.post).toMatchObject({ summary: 'Draft a call' });
    expect(document.paths['/api/auth/token']?.post).toMatchObject({ responses: { 401: expect.anything() } });
    expect(Object.keys(document.components.schemas ?? {}).sort()).toEqual(['CallBudget', 'RegionCode']);
    expect(document.components.securitySchemes).toEqual({
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    });
    expect(document['x-unavailable']).toBeUndefined();
  });

  it('answers with what it has when a service is down, naming the missing one', async () => {
    const partial = await startPortal({
      CALLS_URL: calls.url,
      APPLICATIONS_URL: `http://127.0.0.1:${await freePort()}`,
    });
    try {
      const started = Date.now();
      const answer = await fetch(`${partial.url}/api/openapi.json`);
      expect(answer.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(2_000);
      const document = (await answer.json()) as Document;
      expect(document['x-unavailable']).toEqual(['applications']);
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining(['/api/auth/token', '/api/calls', '/api/calls/{id}']),
      );
      expect(Object.keys(document.paths)).not.toContain('/api/applications/{id}');
    } finally {
      await partial.stop();
    }
  });

  it('does not wait for a service that accepts the connection and never answers', async () => {
    const silentService = await listen(createServer(() => undefined));
    const partial = await startPortal({
      CALLS_URL: silentService.url,
      APPLICATIONS_URL: applications.url,
      UPSTREAM_TIMEOUT_MS: '500',
    });
    try {
      const answer = await fetch(`${partial.url}/api/openapi.json`);
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as Document)['x-unavailable']).toEqual(['calls']);
    } finally {
      await partial.stop();
      await silentService.close();
    }
  });
});
