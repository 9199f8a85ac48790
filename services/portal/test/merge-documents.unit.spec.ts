import type { OpenApiDocument } from '../src/domain/merge-documents';
import { mergeDocuments } from '../src/domain/merge-documents';

const bearer = { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' };
const info = { title: 'S3 Pilot Platform', version: '1.0.0' };

const own: OpenApiDocument = {
  paths: { '/api/auth/token': { post: { summary: 'Sign in' } } },
  components: { securitySchemes: { bearer } },
  tags: [{ name: 'auth' }],
};

const calls: OpenApiDocument = {
  paths: {
    '/api/calls': { get: { responses: { 200: { $ref: '#/components/responses/Page' } } } },
    '/api/calls/{id}': {
      get: {
        responses: {
          200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Money' } } } },
        },
      },
    },
    '/healthz': { get: { summary: 'not routed by the portal' } },
  },
  components: {
    securitySchemes: { bearer },
    schemas: { Money: { type: 'integer', description: 'euro cents' } },
    responses: { Page: { description: 'a page of calls' } },
  },
  tags: [{ name: 'calls' }, { name: 'auth', description: 'a second auth tag, ignored' }],
};

const applications: OpenApiDocument = {
  paths: {
    '/api/applications': {
      post: {
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Money' } } } },
      },
    },
  },
  components: {
    securitySchemes: { bearer },
    schemas: {
      Money: { type: 'object', properties: { amount: { $ref: '#/components/schemas/Money' } } },
      Region: { type: 'string' },
    },
  },
};

const routesTo = (path: string, service: string) => path.startsWith(`/api/${service}`);

describe('mergeDocuments', () => {
  const merged = mergeDocuments(
    info,
    own,
    [
      { service: 'calls', document: calls },
      { service: 'applications', document: applications },
    ],
    routesTo,
  );
  const document = merged.document as {
    openapi: string;
    info: unknown;
    servers: { url: string }[];
    paths: Record<string, unknown>;
    components: Record<string, Record<string, unknown>>;
    tags: { name: string; description?: string }[];
  };

  it('is one OpenAPI 3.1 document served from the portal, with every routed path', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toEqual(info);
    expect(document.servers).toEqual([{ url: '/', description: 'the portal' }]);
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/applications',
      '/api/auth/token',
      '/api/calls',
      '/api/calls/{id}',
    ]);
    expect(document).not.toHaveProperty('x-unavailable');
  });

  it('leaves out, and names, the paths a service documents but the portal does not route to it', () => {
    expect(merged.unrouted).toEqual(['/healthz (calls)']);
  });

  it('shares equal components and renames a clashing one, with every reference to it', () => {
    expect(document.components.securitySchemes).toEqual({ bearer });
    expect(document.components.schemas).toEqual({
      Money: { type: 'integer', description: 'euro cents' },
      'applications.Money': {
        type: 'object',
        properties: { amount: { $ref: '#/components/schemas/applications.Money' } },
      },
      Region: { type: 'string' },
    });
    expect(document.paths['/api/applications']).toEqual({
      post: {
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/applications.Money' } } },
        },
      },
    });
    // The first document keeps its names and references.
    expect(JSON.stringify(document.paths['/api/calls/{id}'])).toContain('"#/components/schemas/Money"');
    expect(document.components.responses).toEqual({ Page: { description: 'a page of calls' } });
    expect(merged.renamed).toEqual(['schemas/Money of applications as applications.Money']);
  });

  it('keeps the first tag of a name', () => {
    expect(document.tags).toEqual([{ name: 'auth' }, { name: 'calls' }]);
  });

  it('serves what it has and names the services whose documents are missing', () => {
    const partial = mergeDocuments(
      info,
      own,
      [{ service: 'calls' }, { service: 'applications', document: applications }],
      routesTo,
    ).document as { paths: Record<string, unknown>; 'x-unavailable': string[] };
    expect(partial['x-unavailable']).toEqual(['calls']);
    expect(Object.keys(partial.paths).sort()).toEqual(['/api/applications', '/api/auth/token']);
  });

  it('changes none of the documents it merges', () => {
    expect(applications.components?.schemas?.Money).toEqual({
      type: 'object',
      properties: { amount: { $ref: '#/components/schemas/Money' } },
    });
    expect(Object.keys(own.paths ?? {})).toEqual(['/api/auth/token']);
  });
});
