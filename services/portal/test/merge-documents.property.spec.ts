import fc from 'fast-check';
import type { OpenApiDocument, ServiceDocument } from '../src/domain/merge-documents';
import { mergeDocuments } from '../src/domain/merge-documents';

const info = { title: 'S3 Pilot Platform', version: '1.0.0' };
const services = ['calls', 'applications', 'lifecycle'];
/** Schema names, each referring only to names before it: no cycles. */
const names = ['Money', 'Id', 'Page'];
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** A service's schemas: each a leaf type, or a reference to an earlier schema of the same document. */
const schemasArb: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    ...names.map((_, i) =>
      fc.option(
        fc.oneof(
          fc.constantFrom({ type: 'integer' }, { type: 'string' }),
          ...(i > 0 ? [fc.constantFrom(...names.slice(0, i)).map(ref)] : []),
        ),
        { nil: undefined },
      ),
    ),
  )
  .map((values) => {
    const schemas: Record<string, unknown> = {};
    values.forEach((value, i) => {
      // A reference needs its target in the same document.
      if (value === undefined) return;
      const target = (value as { $ref?: string }).$ref?.split('/').pop();
      if (target === undefined || target in schemas) schemas[names[i]!] = value;
    });
    return schemas;
  });

const documentArb = (service: string): fc.Arbitrary<OpenApiDocument> =>
  schemasArb.chain((schemas) =>
    fc.subarray(Object.keys(schemas)).map((used) => ({
      paths: {
        ...Object.fromEntries(
          used.map((name) => [
            `/api/${service}/${name.toLowerCase()}`,
            { get: { responses: { 200: ref(name) } } },
          ]),
        ),
        '/healthz': { get: { summary: 'not routed' } },
      },
      components: { schemas },
      tags: [{ name: service }],
    })),
  );

const servicesArb: fc.Arbitrary<ServiceDocument[]> = fc.tuple(
  ...services.map((service) =>
    fc
      .option(documentArb(service), { nil: undefined, freq: 6 })
      .map((document) => ({ service, ...(document ? { document } : {}) })),
  ),
);
const ownArb: fc.Arbitrary<OpenApiDocument> = schemasArb.map((schemas) => ({
  paths: { '/api/auth/token': { post: { summary: 'Sign in' } } },
  components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  tags: [{ name: 'auth' }],
}));

const routesTo = (path: string, service: string) => path.startsWith(`/api/${service}/`);

/** A value with every reference replaced, at any depth, by what it points to in `components`. */
function resolved(value: unknown, components: Record<string, Record<string, unknown>>): unknown {
  if (Array.isArray(value)) return value.map((item) => resolved(item, components));
  if (value === null || typeof value !== 'object') return value;
  const target = (value as { $ref?: unknown }).$ref;
  if (typeof target === 'string') {
    const [, , section, name] = target.split('/');
    const found = components[section!]?.[name!];
    if (found === undefined) throw new Error(`${target} points at nothing`);
    return resolved(found, components);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolved(v, components)]));
}

type Components = Record<string, Record<string, unknown>>;

describe('OpenAPI merge properties', () => {
  it('keeps what every routed operation means: its references still lead to the same schemas', () => {
    fc.assert(
      fc.property(ownArb, servicesArb, (own, docs) => {
        const { document } = mergeDocuments(info, own, docs, routesTo);
        const merged = document.components as Components;
        const paths = document.paths as Record<string, unknown>;
        for (const { service, document: doc } of docs) {
          if (!doc) continue;
          for (const [path, operations] of Object.entries(doc.paths ?? {})) {
            if (!routesTo(path, service)) continue;
            expect(resolved(paths[path], merged)).toEqual(resolved(operations, doc.components as Components));
          }
        }
        for (const [path, operations] of Object.entries(own.paths ?? {})) {
          expect(resolved(paths[path], merged)).toEqual(resolved(operations, own.components as Components));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('renames a component whose text is the same but whose references were renamed (the case the property found)', () => {
    const documentOf = (service: string, money: string): OpenApiDocument => ({
      paths: { [`/api/${service}/id`]: { get: { responses: { 200: ref('Id') } } } },
      components: { schemas: { Money: { type: money }, Id: ref('Money') } },
    });
    const own: OpenApiDocument = { components: { schemas: {} } };
    const docs = [
      { service: 'calls', document: documentOf('calls', 'string') },
      { service: 'applications', document: documentOf('applications', 'integer') },
    ];
    const { document, renamed } = mergeDocuments(info, own, docs, routesTo);
    const merged = document.components as Components;
    const paths = document.paths as Record<string, unknown>;
    expect(renamed).toEqual([
      'schemas/Money of applications as applications.Money',
      'schemas/Id of applications as applications.Id',
    ]);
    expect(resolved(paths['/api/calls/id'], merged)).toEqual({
      get: { responses: { 200: { type: 'string' } } },
    });
    expect(resolved(paths['/api/applications/id'], merged)).toEqual({
      get: { responses: { 200: { type: 'integer' } } },
    });
  });

  it('keeps the portal’s own components as they are, and every reference in the document leads somewhere', () => {
    fc.assert(
      fc.property(ownArb, servicesArb, (own, docs) => {
        const { document } = mergeDocuments(info, own, docs, routesTo);
        const merged = document.components as Components;
        for (const [section, entries] of Object.entries(own.components ?? {})) {
          for (const [name, value] of Object.entries(entries)) expect(merged[section]![name]).toEqual(value);
        }
        expect(() => resolved(document, merged)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('lists every path a service documents either in the merge or as unrouted, and every silent service as unavailable', () => {
    fc.assert(
      fc.property(ownArb, servicesArb, (own, docs) => {
        const { document, unrouted } = mergeDocuments(info, own, docs, routesTo);
        const paths = document.paths as Record<string, unknown>;
        for (const { service, document: doc } of docs) {
          for (const path of Object.keys(doc?.paths ?? {})) {
            if (routesTo(path, service)) expect(paths).toHaveProperty([path]);
            else expect(unrouted).toContain(`${path} (${service})`);
          }
        }
        const silent = docs.filter((d) => !d.document).map((d) => d.service);
        expect(document['x-unavailable']).toEqual(silent.length > 0 ? silent : undefined);
      }),
    );
  });
});
