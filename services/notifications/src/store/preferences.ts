import { DocumentWriteQueue } from '@s3p/messaging';
import { isDuplicateKey } from '@s3p/service-kit';
import type { Collection } from 'mongodb';
import type { NotificationKind } from '../domain/notification-rules';
import type { ChosenPreferences, DeliveryMode, Language } from '../domain/preferences';

/** What one person chose; null where they keep the default. */
export type PreferencesDocument = {
  /** The person's `sub`. */
  _id: string;
  email: string | null;
  language: Language | null;
  timeZone: string | null;
  modes: Partial<Record<NotificationKind, DeliveryMode>>;
  version: number;
  createdAt: string;
  updatedAt: string;
};

export type Replacement = { saved: PreferencesDocument } | { stale: number };

export const chosenOf = (doc: PreferencesDocument | null | undefined): ChosenPreferences | undefined =>
  doc
    ? {
        ...(doc.email ? { email: doc.email } : {}),
        ...(doc.language ? { language: doc.language } : {}),
        ...(doc.timeZone ? { timeZone: doc.timeZone } : {}),
        modes: doc.modes,
      }
    : undefined;

/** Everyone's notification settings; a person who never chose has no document (version 0). */
export class Preferences {
  private readonly writeQueue = new DocumentWriteQueue();

  constructor(readonly collection: Collection<PreferencesDocument>) {}

  find(sub: string): Promise<PreferencesDocument | null> {
    return this.collection.findOne({ _id: sub });
  }

  async findMany(subs: readonly string[]): Promise<Map<string, PreferencesDocument>> {
    const found = await this.collection.find({ _id: { $in: [...subs] } }).toArray();
    return new Map(found.map((doc) => [doc._id, doc]));
  }

  /**
   * Replaces a person's settings with what they sent (PUT: what is left out returns to its
   * default), over the version they read when they name one.
   */
  replace(sub: string, chosen: ChosenPreferences, expectedVersion?: number): Promise<Replacement> {
    return this.writeQueue.run(sub, async () => {
      const current = await this.find(sub);
      const version = current?.version ?? 0;
      if (expectedVersion !== undefined && expectedVersion !== version) return { stale: version };
      const now = new Date().toISOString();
      const fields = {
        email: chosen.email ?? null,
        language: chosen.language ?? null,
        timeZone: chosen.timeZone ?? null,
        modes: chosen.modes ?? {},
        updatedAt: now,
      };
      const saved = { _id: sub, ...fields, version: version + 1, createdAt: current?.createdAt ?? now };
      if (!current) {
        try {
          await this.collection.insertOne(saved);
        } catch (error) {
          // Another instance wrote first: what this request read is stale.
          if (isDuplicateKey(error)) return { stale: (await this.find(sub))?.version ?? 0 };
          throw error;
        }
      } else {
        const result = await this.collection.updateOne(
          { _id: sub, version },
          { $set: fields, $inc: { version: 1 } },
        );
        if (result.matchedCount === 0) return { stale: (await this.find(sub))?.version ?? 0 };
      }
      return { saved };
    });
  }
}
