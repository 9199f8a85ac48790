import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { ZodObject, ZodType } from 'zod';
import { z } from 'zod';
import type { Role } from './auth';

/** The RFC 9457 problem every error answer carries. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path (`/api/calls/:id`); written as `{id}` in the document. */
  path: string;
  summary: string;
  tags?: string[];
  /** Roles that may call it; `public` for no token at all. */
  roles: readonly Role[] | 'public';
  params?: ZodObject;
  query?: ZodObject;
  body?: ZodType;
  /** Success answers by status; error answers are added from `errors`. */
  responses: Record<number, { description: string; schema?: ZodType }>;
  /** Error statuses this operation can answer with besides 400/401/403 (e.g. 404, 409, 412, 422). */
  errors?: number[];
  /** Accepts an Idempotency-Key header. */
  idempotent?: boolean;
  /** Accepts If-Match with the resource's version. */
  conditional?: boolean;
}

const errorTitles: Record<number, string> = {
  400: 'Malformed request or a field at fault',
  401: 'No valid bearer token',
  403: 'Your role may not do this',
  404: 'Not found, or not yours',
  409: 'Wrong state, or a conflict',
  412: 'The version in If-Match is stale',
  413: 'Body too large',
  415: 'Not JSON',
  422: 'Well-formed but breaks a rule',
  429: 'Too many requests; retry after the Retry-After seconds',
  503: 'A dependency is down; retry after the Retry-After seconds',
};

/**
 * A service's OpenAPI document, built from the same zod schemas that validate its requests, so
 * the document cannot drift from what the service accepts.
 */
export class ApiDescription {
  private readonly registry = new OpenAPIRegistry();

  constructor(
    private readonly title: string,
    private readonly version: string,
  ) {
    this.registry.registerComponent('securitySchemes', 'bearer', {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
  }

  add(operation: Operation): this {
    const problem = { 'application/problem+json': { schema: problemSchema } };
    // Any operation behind a token reads or writes a database or another service, which can be
    // down (the portal also answers 503 for a service that does not answer); every write is limited.
    const errors = new Set<number>([400, ...(operation.roles === 'public' ? [] : [401, 403, 503])]);
    if (operation.method !== 'get') errors.add(429);
    if (operation.body) [413, 415].forEach((s) => errors.add(s));
    // A key still running gives 409; a key used with another body, 422.
    if (operation.idempotent) [409, 422].forEach((s) => errors.add(s));
    if (operation.conditional) errors.add(412);
    operation.errors?.forEach((s) => errors.add(s));
    const headers: Record<string, ZodType> = {};
    if (operation.idempotent) {
      headers['idempotency-key'] = z
        .string()
        .regex(/^[\w\-:.]{1,200}$/)
        .optional()
        .describe('the same key and body give the same result once');
    }
    if (operation.conditional) {
      headers['if-match'] = z
        .string()
        .regex(/^(?:W\/)?"\d{1,15}"$/)
        .optional()
        .describe('the version you read, as its ETag ("3")');
    }
    this.registry.registerPath({
      method: operation.method,
      path: operation.path.replace(/:(\w+)/g, '{$1}'),
      summary: operation.summary,
      description:
        operation.roles === 'public' ? 'No token needed.' : `Roles: ${operation.roles.join(', ')}.`,
      ...(operation.tags ? { tags: operation.tags } : {}),
      ...(operation.roles === 'public' ? {} : { security: [{ bearer: [] }] }),
      request: {
        ...(operation.params ? { params: operation.params } : {}),
        ...(operation.query ? { query: operation.query } : {}),
        ...(Object.keys(headers).length > 0 ? { headers: z.object(headers) } : {}),
        ...(operation.body
          ? { body: { required: true, content: { 'application/json': { schema: operation.body } } } }
          : {}),
      },
      responses: {
        ...Object.fromEntries(
          Object.entries(operation.responses).map(([status, { description, schema }]) => [
            status,
            schema ? { description, content: { 'application/json': { schema } } } : { description },
          ]),
        ),
        ...Object.fromEntries(
          [...errors].sort().map((s) => [s, { description: errorTitles[s] ?? 'Error', content: problem }]),
        ),
      },
    });
    return this;
  }

  document(): Record<string, unknown> {
    return new OpenApiGeneratorV31(this.registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: { title: this.title, version: this.version },
    }) as unknown as Record<string, unknown>;
  }
}
