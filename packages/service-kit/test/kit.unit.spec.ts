import type { Request } from 'express';
import { z } from 'zod';
import { afterCursor, ApiDescription, ifMatchVersion, newId, pageOf, pageQuery } from '../src';
import { HttpProblem } from '../src/problem';

const requestWith = (headers: Record<string, string>) =>
  ({ get: (name: string) => headers[name.toLowerCase()] }) as unknown as Request;

describe('newId', () => {
  it('is a version 7 UUID whose order follows creation time', () => {
    const ids = [newId(1_000), newId(2_000), newId(3_000_000_000_000)];
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 1000 }, () => newId(5))).size).toBe(1000);
  });
});

describe('pages', () => {
  const docs = Array.from({ length: 5 }, (_, i) => ({ _id: newId(10_000 - i), n: i }));

  it('gives a cursor only when there is more, and the cursor selects what follows', () => {
    const first = pageOf(docs.slice(0, 3), 2, (d) => d.n);
    expect(first.items).toEqual([0, 1]);
    expect(afterCursor(first.nextCursor)).toEqual({ _id: { $lt: docs[1]!._id } });
    expect(pageOf(docs.slice(0, 2), 2, (d) => d.n).nextCursor).toBeUndefined();
  });

  it('refuses a cursor it did not give', () => {
    expect(() => afterCursor(Buffer.from('{"$gt":""}').toString('base64url'))).toThrow(HttpProblem);
    expect(afterCursor(undefined)).toEqual({});
  });

  it('bounds the limit', () => {
    expect(pageQuery.parse({})).toEqual({ limit: 20 });
    expect(pageQuery.safeParse({ limit: '0' }).success).toBe(false);
    expect(pageQuery.safeParse({ limit: '101' }).success).toBe(false);
    expect(pageQuery.safeParse({ limit: '5', other: 'x' }).success).toBe(false);
  });
});

describe('If-Match', () => {
  it('reads the version from a strong or weak tag', () => {
    expect(ifMatchVersion(requestWith({}))).toBeUndefined();
    expect(ifMatchVersion(requestWith({ 'if-match': '"3"' }))).toBe(3);
    expect(ifMatchVersion(requestWith({ 'if-match': 'W/"12"' }))).toBe(12);
  });

  it.each(['3', '"x"', '*', '"1", "2"'])('refuses %s with a 400 naming the header', (value) => {
    try {
      ifMatchVersion(requestWith({ 'if-match': value }));
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(HttpProblem);
      expect((error as HttpProblem).status).toBe(400);
      expect((error as HttpProblem).errors?.[0]?.path).toBe('headers.if-match');
    }
  });
});

describe('ApiDescription', () => {
  it('documents a route from its zod schemas, with its roles and error answers', () => {
    const body = z.strictObject({ title: z.string().min(3), amount: z.number().int() });
    const document = new ApiDescription('notes', '1.0.0')
      .add({
        method: 'patch',
        path: '/api/notes/:id',
        summary: 'amend a note',
        roles: ['programme-manager'],
        params: z.object({ id: z.string() }),
        body,
        responses: { 200: { description: 'the note', schema: body } },
        errors: [404, 409],
        conditional: true,
        idempotent: true,
      })
      .document() as {
      openapi: string;
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(document.openapi).toBe('3.1.0');
    const operation = document.paths['/api/notes/{id}']?.patch as {
      security: unknown;
      parameters: { name: string; in: string }[];
      requestBody: {
        content: Record<string, { schema: { required: string[]; additionalProperties: boolean } }>;
      };
      responses: Record<string, unknown>;
    };
    expect(operation.security).toEqual([{ bearer: [] }]);
    expect(operation.parameters.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
      'header:idempotency-key',
      'header:if-match',
      'path:id',
    ]);
    const schema = operation.requestBody.content['application/json']!.schema;
    expect(schema.required.sort()).toEqual(['amount', 'title']);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(operation.responses).sort()).toEqual(
      ['200', '400', '401', '403', '404', '409', '412', '413', '415', '422', '429', '503'].sort(),
    );
  });
});
