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
 * A collection seen through a tenancy scope: every read and write is `{ $and: [scope, filter] }`,
 * so a handler cannot forget whose data it may touch. Build one per request from the principal;
 * an empty scope means every document (roles that see everything).
 */
export class ScopedCollection<T extends Document> {
  constructor(
    private readonly collection: Collection<T>,
    private readonly scope: Filter<T>,
  ) {}

  private within(filter: Filter<T>): Filter<T> {
    if (Object.keys(this.scope).length === 0) return filter;
    if (Object.keys(filter).length === 0) return this.scope;
    return { $and: [this.scope, filter] } as Filter<T>;
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
