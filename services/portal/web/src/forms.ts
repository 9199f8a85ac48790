import type { z } from 'zod';
import { ApiError } from './api';

/**
 * Messages per field, keyed by the field's dotted path (`budget.requested`, `workPlan.0.title`):
 * the same keys whether the browser's check (the API's own zod schema, from @s3p/contracts) or the
 * API's answer (problem+json `errors`, whose paths start with `body.`) found the fault.
 */
export type FieldMessages = Record<string, string>;

/** What the schema finds wrong with a value, per field; empty when it is valid. */
export function checkWith(schema: z.ZodType, value: unknown): FieldMessages {
  const result = schema.safeParse(value);
  if (result.success) return {};
  const messages: FieldMessages = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.');
    messages[path] ??= issue.message;
  }
  return messages;
}

/** The fields the API refused, from its problem+json answer; empty for other failures. */
export function fieldsOfProblem(error: unknown): FieldMessages {
  if (!(error instanceof ApiError)) return {};
  const messages: FieldMessages = {};
  for (const { path, message } of error.errors) {
    messages[path.replace(/^body\.?/, '')] ??= message;
  }
  return messages;
}
