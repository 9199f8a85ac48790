import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';

/** The parts of an OpenAPI document the merge reads; the rest of each part is kept as it is. */
export const openApiDocument = z.looseObject({
  paths: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  components: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  tags: z.array(z.looseObject({ name: z.string() })).optional(),
});
export type OpenApiDocument = z.infer<typeof openApiDocument>;

export interface ServiceDocument {
  service: string;
  /** Undefined when the service did not answer with a document. */
  document?: OpenApiDocument;
}

export interface MergedDocument {
  document: Record<string, unknown>;
  /** Paths a service documents that the portal does not route to it: missing from the merge. */
  unrouted: string[];
  /** Components renamed because another document has a different one by the same name. */
  renamed: string[];
}

/**
 * One document for the whole platform: the portal's own operations, then each service's paths
 * (only those the portal routes to it, as that is what a client can reach) and components. Equal
 * components are shared; a component whose name another document already uses for something else
 * becomes `<service>.<name>`, with every reference to it in its own document rewritten.
 */
export function mergeDocuments(
  info: { title: string; version: string },
  own: OpenApiDocument,
  services: ServiceDocument[],
  routesTo: (path: string, service: string) => boolean,
): MergedDocument {
  const paths: Record<string, unknown> = { ...own.paths };
  const components: Record<string, Record<string, unknown>> = { ...own.components };
  const tags = new Map((own.tags ?? []).map((tag) => [tag.name, tag]));
  const unrouted: string[] = [];
  const renamed: string[] = [];

  for (const { service, document } of services) {
    if (!document) continue;
    const references = new Map<string, string>();
    // Compared as they will be written: a component whose references were renamed is another
    // component too, even if its text was the same. Renames only grow, so this ends.
    let grew = true;
    while (grew) {
      grew = false;
      for (const [section, entries] of Object.entries(document.components ?? {})) {
        for (const [name, value] of Object.entries(entries)) {
          const reference = `#/components/${section}/${name}`;
          const taken = components[section]?.[name];
          if (references.has(reference) || taken === undefined) continue;
          if (!sameJson(taken, withReferences(value, references))) {
            references.set(reference, `#/components/${section}/${service}.${name}`);
            renamed.push(`${section}/${name} of ${service} as ${service}.${name}`);
            grew = true;
          }
        }
      }
    }
    const rewritten = withReferences(document, references) as OpenApiDocument;
    for (const [section, entries] of Object.entries(rewritten.components ?? {})) {
      for (const [name, value] of Object.entries(entries)) {
        const target = references.has(`#/components/${section}/${name}`) ? `${service}.${name}` : name;
        components[section] = { ...components[section], [target]: value };
      }
    }
    for (const [path, operations] of Object.entries(rewritten.paths ?? {})) {
      if (routesTo(path, service)) paths[path] = operations;
      else unrouted.push(`${path} (${service})`);
    }
    for (const tag of rewritten.tags ?? []) if (!tags.has(tag.name)) tags.set(tag.name, tag);
  }

  const unavailable = services.filter((s) => !s.document).map((s) => s.service);
  return {
    document: {
      openapi: '3.1.0',
      info,
      // Relative to where the document is read: the portal, whatever address a client uses for it.
      servers: [{ url: '/', description: 'the portal' }],
      paths,
      components,
      ...(tags.size > 0 ? { tags: [...tags.values()] } : {}),
      ...(unavailable.length > 0 ? { 'x-unavailable': unavailable } : {}),
    },
    unrouted,
    renamed,
  };
}

/** Equal as JSON: key order aside, and whichever realm parsed them (prototypes differ across realms). */
const sameJson = (a: unknown, b: unknown) =>
  isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));

function withReferences(value: unknown, references: ReadonlyMap<string, string>): unknown {
  if (references.size === 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => withReferences(item, references));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      key === '$ref' && typeof item === 'string'
        ? (references.get(item) ?? item)
        : withReferences(item, references),
    ]),
  );
}
