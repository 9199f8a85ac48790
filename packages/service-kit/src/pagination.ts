import { z } from 'zod';
import { HttpProblem } from './problem';

/** `?limit=&cursor=`, to extend with a list's own filters. */
export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; absent on the last one. */
  nextCursor?: string;
}

/**
 * Lists run newest first by `_id` (time-ordered ids), so a cursor is the last id seen and a page
 * is `{ _id: { $lt: cursor } }`: stable while items are added, and cheap on an index.
 */
export function afterCursor(cursor: string | undefined): { _id?: { $lt: string } } {
  if (cursor === undefined) return {};
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-f-]{36}$/.test(id)) {
    throw new HttpProblem(400, 'Bad Request', 'the cursor is not one this list gave', [
      { path: 'query.cursor', message: 'unknown cursor' },
    ]);
  }
  return { _id: { $lt: id } };
}

/** Makes a page from up to `limit + 1` documents read newest first. */
export function pageOf<D extends { _id: string }, T>(docs: D[], limit: number, view: (doc: D) => T): Page<T> {
  const items = docs.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(view),
    ...(docs.length > limit && last ? { nextCursor: Buffer.from(last._id).toString('base64url') } : {}),
  };
}
