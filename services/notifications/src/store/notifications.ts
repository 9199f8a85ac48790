import { createHash } from 'node:crypto';
import { DocumentWriteQueue } from '@s3p/messaging';
import { isDuplicateKey } from '@s3p/service-kit';
import type { Collection, Filter } from 'mongodb';
import type { FactsByKind, NotificationKind } from '../domain/notification-rules';

/**
 * Where a notice's e-mail stands: `pending` (to send at `nextAttemptAt`) → `sent`;
 * `digest-pending` → `digested` (in the digest `digestId`); `off` when the person chose no mail.
 */
export type MailState = 'pending' | 'sent' | 'digest-pending' | 'digested' | 'off';

export interface MailStatus {
  state: MailState;
  attempts: number;
  nextAttemptAt?: string;
  lastError?: string;
  sentAt?: string;
  digestId?: string;
}

/** One notice for one person: their inbox entry and its e-mail. */
export type NotificationDocument = {
  /** From the event, the recipient and the kind: a redelivered event makes the same id again. */
  _id: string;
  eventId: string;
  eventType: string;
  kind: NotificationKind;
  facts: FactsByKind[NotificationKind];
  /** The place in the portal, below PORTAL_URL. */
  path: string;
  mandatory: boolean;
  pilotId?: string;
  recipient: string;
  /** The recipient's country when notified: their defaults, without asking the directory again. */
  recipientCountry?: string;
  read: boolean;
  readAt?: string;
  occurredAt: string;
  createdAt: string;
  updatedAt: string;
  mail: MailStatus;
};

/**
 * A notice's id: a UUID (version 8, RFC 9562) from a SHA-256 of the event id, the recipient and
 * the kind, so that however often an event arrives, it names one notice per person and kind.
 */
export function notificationIdOf(eventId: string, recipient: string, kind: NotificationKind): string {
  const hex = createHash('sha256').update(`${eventId}\n${recipient}\n${kind}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Drops the fields set to undefined, which the driver would otherwise store as null. */
const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

export interface InboxPage {
  items: NotificationDocument[];
  /** The newest-first position after the last item, when more follow. */
  next?: { createdAt: string; id: string };
}

/**
 * Every person's notices. Writes to one notice (read, sent, digested) go through one queue, so
 * that FerretDB's read-then-replace updates never lose one of two concurrent writes.
 */
export class Notifications {
  private readonly writeQueue = new DocumentWriteQueue();

  constructor(readonly collection: Collection<NotificationDocument>) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ recipient: 1, createdAt: -1, _id: -1 });
    await this.collection.createIndex({ recipient: 1, read: 1 });
    await this.collection.createIndex({ 'mail.state': 1, 'mail.nextAttemptAt': 1 });
    await this.collection.createIndex({ 'mail.state': 1, recipient: 1, createdAt: 1 });
  }

  /**
   * Adds a notice once: a second add of the same id changes nothing (an insert, never an upsert,
   * so that it cannot overwrite a mail state written meanwhile). True when it was new.
   */
  async add(notification: NotificationDocument): Promise<boolean> {
    try {
      await this.collection.insertOne({ ...notification, facts: withoutUndefined(notification.facts) });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** A person's notices, newest first, from a position of a previous page. */
  async inbox(
    recipient: string,
    query: { limit: number; after?: { createdAt: string; id: string }; unreadOnly?: boolean },
  ): Promise<InboxPage> {
    const filter: Filter<NotificationDocument> = {
      recipient,
      ...(query.unreadOnly ? { read: false } : {}),
      ...(query.after
        ? {
            $or: [
              { createdAt: { $lt: query.after.createdAt } },
              { createdAt: query.after.createdAt, _id: { $lt: query.after.id } },
            ],
          }
        : {}),
    };
    const found = await this.collection
      .find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit + 1)
      .toArray();
    const items = found.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items,
      ...(found.length > query.limit && last ? { next: { createdAt: last.createdAt, id: last._id } } : {}),
    };
  }

  unreadCount(recipient: string): Promise<number> {
    return this.collection.countDocuments({ recipient, read: false });
  }

  /** Marks the person's notice read (once: the first reading's time stays); null when it is not theirs. */
  markRead(id: string, recipient: string): Promise<NotificationDocument | null> {
    return this.writeQueue.run(id, async () => {
      const now = new Date().toISOString();
      await this.collection.updateOne(
        { _id: id, recipient, read: false },
        { $set: { read: true, readAt: now, updatedAt: now } },
      );
      return this.collection.findOne({ _id: id, recipient });
    });
  }

  /** The mails due now, the longest waiting first. */
  dueMails(now: string, limit: number): Promise<NotificationDocument[]> {
    return this.collection
      .find({ 'mail.state': 'pending', 'mail.nextAttemptAt': { $lte: now } })
      .sort({ 'mail.nextAttemptAt': 1, _id: 1 })
      .limit(limit)
      .toArray();
  }

  markSent(id: string, sentAt: string): Promise<void> {
    return this.writeQueue.run(id, async () => {
      await this.collection.updateOne(
        { _id: id, 'mail.state': 'pending' },
        {
          $set: { 'mail.state': 'sent', 'mail.sentAt': sentAt, updatedAt: sentAt },
          $inc: { 'mail.attempts': 1 },
        },
      );
    });
  }

  /** A failed attempt: the mail stays pending, to be tried again at `nextAttemptAt`. */
  markFailed(id: string, reason: string, nextAttemptAt: string): Promise<void> {
    return this.writeQueue.run(id, async () => {
      await this.collection.updateOne(
        { _id: id, 'mail.state': 'pending' },
        {
          $set: { 'mail.nextAttemptAt': nextAttemptAt, 'mail.lastError': reason.slice(0, 2_000) },
          $inc: { 'mail.attempts': 1 },
        },
      );
    });
  }

  /** The people with notices waiting for their digest. */
  async digestRecipients(): Promise<string[]> {
    return (await this.collection.distinct('recipient', { 'mail.state': 'digest-pending' })) as string[];
  }

  /** A person's notices waiting for their digest, oldest first. */
  digestPending(recipient: string, limit: number): Promise<NotificationDocument[]> {
    return this.collection
      .find({ recipient, 'mail.state': 'digest-pending' })
      .sort({ createdAt: 1, _id: 1 })
      .limit(limit)
      .toArray();
  }

  findMany(ids: readonly string[]): Promise<NotificationDocument[]> {
    return this.collection
      .find({ _id: { $in: [...ids] } })
      .sort({ createdAt: 1, _id: 1 })
      .toArray();
  }

  async markDigested(ids: readonly string[], digestId: string, sentAt: string): Promise<void> {
    for (const id of ids) {
      await this.writeQueue.run(id, async () => {
        await this.collection.updateOne(
          { _id: id, 'mail.state': 'digest-pending' },
          {
            $set: {
              'mail.state': 'digested',
              'mail.digestId': digestId,
              'mail.sentAt': sentAt,
              updatedAt: sentAt,
            },
          },
        );
      });
    }
  }
}
