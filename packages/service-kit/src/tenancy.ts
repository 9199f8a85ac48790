import type {
  Collection,
  CountDocumentsOptions,
  Document,
  Filter,
  FindCursor,
  FindOptions,
  UpdateFilter,
  UpdateOptions,
  UpdateResult,
  WithId,
} from 'mongodb';

/**
 * A filter within a scope: `{ $and: [scope, filter] }`, with the filter's `_id` condition kept at
 * the top level too. The same documents match; FerretDB reads by `_id` only from a top-level
 * `_id`, and scans the whole collection for one nested in `$and`.
 */
export function withinScope<T extends Document>(scope: Filter<T>, filter: Filter<T>): Filter<T> {
  if (Object.keys(scope).length === 0) return filter;
  if (Object.keys(filter).length === 0) return scope;
  if (!('_id' in filter)) return { $and: [scope, filter] } as Filter<T>;
  const { _id, ...rest } = filter;
  return { _id, $and: Object.keys(rest).length === 0 ? [scope] : [scope, rest] } as Filter<T>;
}

/**
 * A collection seen through a tenancy scope: every read and write is within it (`withinScope`),
 * so a handler cannot forget whose data it may touch. Build one per request from the principal;
 * an empty scope means every document (roles that see everything).
 */
export class ScopedCollection<T extends Document> {
  constructor(
    private readonly collection: Collection<T>,
    private readonly scope: Filter<T>,
  ) {}

  private within(filter: Filter<T>): Filter<T> {
    return withinScope(this.scope, filter);
  }

  findOne(filter: Filter<T>, options?: FindOptions): Promise<WithId<T> | null> {
    return this.collection.findOne(this.within(filter), options);
  }

  find(filter: Filter<T>, options?: FindOptions): FindCursor<WithId<T>> {
    return this.collection.find(this.within(filter), options);
  }

  countDocuments(filter: Filter<T>, options?: CountDocumentsOptions): Promise<number> {
    return this.collection.countDocuments(this.within(filter), options);
  }

  updateOne(filter: Filter<T>, update: UpdateFilter<T>, options?: UpdateOptions): Promise<UpdateResult<T>> {
    return this.collection.updateOne(this.within(filter), update, options);
  }
}
