import { MongoServerError } from 'mongodb';

/** A write refused by a unique index (E11000): the document, or its key, is there already. */
export const isDuplicateKey = (error: unknown): boolean =>
  error instanceof MongoServerError && error.code === 11000;
