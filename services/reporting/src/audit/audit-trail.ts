import type { AnyEnvelope } from '@s3p/contracts';
import { DocumentWriteQueue } from '@s3p/messaging';
import { isDuplicateKey } from '@s3p/service-kit';
import type { Collection, Filter } from 'mongodb';
import type { AuditEntry, AuditFields } from './canonical';
import { entryHash, genesisHash } from './canonical';
import type { ChainVerification, KnownHead } from './chain';
import { ChainVerifier } from './chain';

/** An entry as stored: its sequence is the `_id`, which makes two writers of one place collide. */
export type AuditEntryDocument = Omit<AuditEntry, 'sequence'> & { _id: number };

export type AppendOutcome = 'appended' | 'duplicate';

export interface AuditListQuery {
  subject?: string;
  type?: string;
  /** Events that occurred at or after this instant (ISO, UTC). */
  from?: string;
  /** Events that occurred before this instant (ISO, UTC). */
  to?: string;
  limit: number;
  /** The sequence of the last entry of the previous page. */
  cursor?: number;
}

/** Other writers kept taking the next place in the chain between our read of its head and our write. */
export class AuditContention extends Error {
  constructor() {
    super('the audit trail kept growing under this append; retry');
  }
}

/** Re-reads of the head after another writer took its place, before giving up. */
const maxAttempts = 10;

const entryOf = ({ _id, ...fields }: AuditEntryDocument): AuditEntry => ({ sequence: _id, ...fields });

/** The event's entry at the place after `head`, as stored. */
function entryAfter(
  head: { sequence: number; hash: string },
  event: AnyEnvelope,
  topic: string,
): AuditEntryDocument {
  // Exactly what JSON carries: the driver would store an undefined field as null, and the hash
  // must cover what is stored.
  const stored = JSON.parse(JSON.stringify(event)) as AnyEnvelope;
  const { sequence, ...fields }: AuditFields = {
    sequence: head.sequence + 1,
    eventId: stored.id,
    type: stored.type,
    version: stored.version,
    source: stored.source,
    subject: stored.subject,
    actor: stored.actor,
    occurredAt: new Date(stored.occurredAt).toISOString(),
    recordedAt: new Date().toISOString(),
    topic,
    event: stored,
  };
  return {
    _id: sequence,
    ...fields,
    previousHash: head.hash,
    hash: entryHash(head.hash, { sequence, ...fields }),
  };
}

/**
 * The tamper-evident audit trail: every event of every topic once, as an append-only hash chain
 * in arrival order (see canonical.ts for what each hash covers, chain.ts for what verification
 * finds). Appends in this process go through one queue, as the chain has one head; another
 * instance appending at the same place collides on `_id` and the loser re-reads the head.
 */
export class AuditTrail {
  private readonly appends = new DocumentWriteQueue();
  /**
   * The head as this process last wrote or read it: reading it anew for each append sorts the
   * whole collection on FerretDB 1.x (it pushes no sort down), which made appends slower as the
   * trail grew. Another writer having moved the head shows as a collision on `_id`, and the head
   * is then read again.
   */
  private head?: { sequence: number; hash: string };

  constructor(readonly collection: Collection<AuditEntryDocument>) {}

  async ensureIndexes(): Promise<void> {
    // The event id once: a redelivered event adds nothing.
    await this.collection.createIndex({ eventId: 1 }, { unique: true });
    await this.collection.createIndex({ subject: 1, _id: -1 });
    await this.collection.createIndex({ type: 1, _id: -1 });
    await this.collection.createIndex({ occurredAt: 1 });
  }

  /** Adds the event at the head of the chain; 'duplicate' when it is in the chain already. */
  append(event: AnyEnvelope, topic: string): Promise<AppendOutcome> {
    return this.appends.run('head', () => this.appendAtHead(event, topic));
  }

  /**
   * Adds the events at the head of the chain in their order with one write; those in the chain
   * already add nothing. For a consumer catching up: one insert for many entries, where `append`
   * takes one per entry.
   */
  appendMany(events: { event: AnyEnvelope; topic: string }[]): Promise<void> {
    return this.appends.run('head', () => this.appendAllAtHead(events));
  }

  /**
   * Newest first by sequence (the order the trail took the events in), `limit + 1` of them so
   * that the page knows whether another follows.
   */
  async list({ subject, type, from, to, limit, cursor }: AuditListQuery): Promise<AuditEntry[]> {
    const filter: Filter<AuditEntryDocument> = {
      ...(cursor === undefined ? {} : { _id: { $lt: cursor } }),
      ...(subject === undefined ? {} : { subject }),
      ...(type === undefined ? {} : { type }),
      ...(from === undefined && to === undefined
        ? {}
        : {
            occurredAt: {
              ...(from === undefined ? {} : { $gte: from }),
              ...(to === undefined ? {} : { $lt: to }),
            },
          }),
    };
    const documents = await this.collection
      .find(filter)
      .sort({ _id: -1 })
      .limit(limit + 1)
      .toArray();
    return documents.map(entryOf);
  }

  /** Recomputes the whole chain from its first entry, streaming, up to the first break. */
  async verify(knownHead?: KnownHead): Promise<ChainVerification> {
    const verifier = new ChainVerifier(knownHead);
    for await (const document of this.collection.find({}).sort({ _id: 1 })) {
      if (!verifier.add(entryOf(document))) break;
    }
    return verifier.result();
  }

  /**
   * The chain in sequence order, one JSON entry per line, each ending in a newline. Entries
   * appended meanwhile may or may not be in it: either way the export is the chain from its
   * start, which verifies on its own.
   */
  async *exportLines(): AsyncIterable<string> {
    for await (const document of this.collection.find({}).sort({ _id: 1 })) {
      yield `${JSON.stringify(entryOf(document))}\n`;
    }
  }

  private async appendAllAtHead(events: { event: AnyEnvelope; topic: string }[]): Promise<void> {
    const head = this.head ?? (await this.readHead());
    const chained: AuditEntryDocument[] = [];
    const ids = new Set<string>();
    let last = head;
    for (const { event, topic } of events) {
      if (ids.has(event.id)) continue;
      ids.add(event.id);
      const entry = entryAfter(last, event, topic);
      chained.push(entry);
      last = { sequence: entry._id, hash: entry.hash };
    }
    if (chained.length === 0) return;
    try {
      // In order, stopping at the first refusal: the entries written are a chain from the head.
      await this.collection.insertMany(chained, { ordered: true });
      this.head = last;
    } catch (error) {
      this.head = undefined;
      if (!isDuplicateKey(error)) throw error;
      // A redelivered event, or another writer at the head: the rest goes one by one, which
      // recognises both.
      this.head = await this.headFrom(head);
      for (const { event, topic } of events) await this.appendAtHead(event, topic);
    }
  }

  private async appendAtHead(event: AnyEnvelope, topic: string): Promise<AppendOutcome> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const head = this.head ?? (await this.readHead());
      const entry = entryAfter(head, event, topic);
      const { _id: sequence, hash } = entry;
      try {
        await this.collection.insertOne(entry);
        this.head = { sequence, hash };
        return 'appended';
      } catch (error) {
        this.head = undefined;
        if (!isDuplicateKey(error)) throw error;
        // FerretDB does not say which unique index refused the entry, so look at the place
        // itself (by `_id`, which FerretDB finds without reading the whole trail): still free,
        // the event id refused it, a redelivery; taken, another writer got there first.
        const taken = await this.collection.findOne(
          { _id: sequence },
          { projection: { eventId: 1, hash: 1 } },
        );
        if (!taken) {
          this.head = head;
          return 'duplicate';
        }
        this.head = await this.headFrom({ sequence, hash: taken.hash });
        if (taken.eventId === event.id) return 'duplicate';
      }
    }
    throw new AuditContention();
  }

  /** The head, from a known entry on: the entries after it, one lookup by `_id` each. */
  private async headFrom(known: {
    sequence: number;
    hash: string;
  }): Promise<{ sequence: number; hash: string }> {
    let head = known;
    for (;;) {
      const next = await this.collection.findOne({ _id: head.sequence + 1 }, { projection: { hash: 1 } });
      if (!next) return head;
      head = { sequence: next._id, hash: next.hash };
    }
  }

  private async readHead(): Promise<{ sequence: number; hash: string }> {
    const last = await this.collection.findOne({}, { sort: { _id: -1 }, projection: { hash: 1 } });
    return last ? { sequence: last._id, hash: last.hash } : { sequence: 0, hash: genesisHash };
  }
}
