import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Collection } from 'mongodb';
import { isDuplicateKey } from './duplicate-key';
import { HttpProblem } from './problem';

/** One Idempotency-Key as used by one caller on one route, and the answer it got. */
export interface IdempotencyRecord {
  _id: string;
  fingerprint: string;
  state: 'in-progress' | 'done';
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  createdAt: Date;
}

/** How long a key is remembered. */
export const idempotencyTtlSeconds = 24 * 60 * 60;

/** Headers worth replaying with a stored answer. */
const replayed = ['content-type', 'etag', 'location'];

const expired = (record: IdempotencyRecord, now = Date.now()) =>
  record.createdAt.getTime() < now - idempotencyTtlSeconds * 1000;

/** FerretDB 1.x has no TTL indexes: keys are purged by `purgeExpiredIdempotencyKeys` instead. */
export async function ensureIdempotencyIndexes(collection: Collection<IdempotencyRecord>): Promise<void> {
  await collection.createIndex({ createdAt: 1 });
}

/** Forgets keys older than the TTL; a service runs it now and then. */
export async function purgeExpiredIdempotencyKeys(
  collection: Collection<IdempotencyRecord>,
): Promise<number> {
  const cutoff = new Date(Date.now() - idempotencyTtlSeconds * 1000);
  return (await collection.deleteMany({ createdAt: { $lt: cutoff } })).deletedCount;
}

/**
 * Claims the key for this request: undefined when the claim is ours, else the record that holds
 * it (null if it vanished meanwhile). A claim older than the TTL is taken over.
 */
async function claim(
  collection: Collection<IdempotencyRecord>,
  id: string,
  fingerprint: string,
): Promise<IdempotencyRecord | null | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      await collection.insertOne({ _id: id, fingerprint, state: 'in-progress', createdAt: new Date() });
      return undefined;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const stored = await collection.findOne({ _id: id });
    if (!stored || attempt > 0 || !expired(stored)) return stored;
    await collection.deleteOne({ _id: id, createdAt: stored.createdAt });
  }
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * `Idempotency-Key` on a write: the first request with a key runs and its answer is stored; the
 * same key with the same body gets that answer again without running twice; with another body
 * it is refused (422); while the first is still running, 409. Keys belong to the caller (`sub`)
 * and the route, so nobody can read another's answer by guessing a key. A 5xx is not stored:
 * the client may retry it with the same key.
 */
export function idempotency(collection: Collection<IdempotencyRecord>): RequestHandler {
  return async (req, res, next) => {
    const key = req.get('idempotency-key');
    if (key === undefined) return next();
    if (!/^[\w\-:.]{1,200}$/.test(key)) {
      return next(
        new HttpProblem(400, 'Bad Request', 'Idempotency-Key must be 1-200 letters, digits or -_:.', [
          { path: 'headers.idempotency-key', message: 'invalid key' },
        ]),
      );
    }
    const id = sha256(`${req.principal?.sub ?? 'anonymous'}\n${req.method}\n${req.originalUrl}\n${key}`);
    const fingerprint = sha256(JSON.stringify(req.body ?? null));
    let stored: IdempotencyRecord | null | undefined;
    try {
      stored = await claim(collection, id, fingerprint);
    } catch (error) {
      return next(error);
    }
    if (stored === null) return next(new HttpProblem(409, 'Conflict', 'retry: this key was just released'));
    if (stored) {
      if (stored.fingerprint !== fingerprint) {
        return next(
          new HttpProblem(422, 'Unprocessable Content', 'this Idempotency-Key was used with another body'),
        );
      }
      if (stored.state !== 'done' || stored.status === undefined) {
        return next(new HttpProblem(409, 'Conflict', 'a request with this Idempotency-Key is still running'));
      }
      res.set(stored.headers ?? {}).set('Idempotent-Replayed', 'true');
      // As JSON: the stored headers were read before res.json set the content type.
      res.status(stored.status).json(stored.body);
      return;
    }

    // The answer is stored before it is sent, so a retry that follows it always finds it.
    let answered = false;
    const json = res.json.bind(res);
    res.json = (value: unknown) => {
      if (res.statusCode >= 500) return json(value);
      answered = true;
      const headers = Object.fromEntries(
        replayed.flatMap((h) => {
          const v = res.getHeader(h);
          return v === undefined ? [] : [[h, String(v)]];
        }),
      );
      collection
        .updateOne({ _id: id }, { $set: { state: 'done', status: res.statusCode, body: value, headers } })
        .catch((error: unknown) => req.log?.error({ err: error }, 'could not record an idempotent answer'))
        .finally(() => json(value));
      return res;
    };
    res.on('close', () => {
      if (answered) return;
      // Nothing kept (a 5xx, or the client went away): the key is free for a retry.
      collection
        .deleteOne({ _id: id })
        .catch((error: unknown) => req.log?.error({ err: error }, 'could not release an idempotency key'));
    });
    next();
  };
}
