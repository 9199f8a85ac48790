import type { Request } from 'express';
import type { z } from 'zod';
import { fieldErrors, HttpProblem } from './problem';

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new HttpProblem(
    400,
    'Bad Request',
    `the ${where} does not match its schema`,
    fieldErrors(parsed.error, [where]),
  );
}

/** The JSON body, validated; a request that is not JSON is refused before its content is looked at. */
export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  if (!req.is('application/json')) {
    throw new HttpProblem(415, 'Unsupported Media Type', 'send the body as application/json');
  }
  return parse(schema, req.body, 'body');
}

export const parseQuery = <S extends z.ZodType>(schema: S, req: Request): z.infer<S> =>
  parse(schema, req.query, 'query');
