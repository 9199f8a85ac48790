import type { AnyEnvelope, ReportFile } from '@s3p/contracts';
import { DocumentWriteQueue, pushToOutbox } from '@s3p/messaging';
import { isDuplicateKey } from '@s3p/service-kit';
import type { Collection, Filter } from 'mongodb';
import type { StoredMilestoneStatus } from '../domain/milestone-status';
import type { Verdict } from './report-pilots';

export interface MilestoneReport {
  reportId: string;
  summary: string;
  deliverables: string[];
  files: ReportFile[];
  reportedAt: string;
  reportedBy: string;
}

/** One milestone of a pilot's approved work plan, with its reports and verdicts. */
export type MilestoneDocument = {
  /** `<pilotId>-m<index>`. */
  _id: string;
  pilotId: string;
  index: number;
  title: string;
  dueDate: string;
  dueAt: string;
  plannedDeliverables: string[];
  region: string;
  partners: string[];
  status: StoredMilestoneStatus;
  reports: MilestoneReport[];
  verdicts: Verdict[];
  /** When the lifecycle said the milestone was overdue. */
  overdueAt?: string;
  updatedAt: string;
  outbox: AnyEnvelope[];
};

export type StoredMilestone = Omit<MilestoneDocument, 'outbox'>;

export const milestoneIdOf = (pilotId: string, index: number) => `${pilotId}-m${index}`;

export interface MilestoneQuery {
  pilotId?: string;
  /** Only these regions' milestones (lead or partner). */
  region?: string;
  statuses?: StoredMilestoneStatus[];
  /** Only milestones due before this instant. */
  dueBefore?: string;
  /** Only milestones due at or after this instant. */
  dueFrom?: string;
  /** Only milestones after this one in the list's order (due instant, then id): the next page. */
  after?: MilestonePosition;
  limit: number;
}

/** Where a milestone stands in the lists' order: soonest due first, then by id. */
export interface MilestonePosition {
  dueAt: string;
  id: string;
}

/** The milestones of every pilot in implementation; their events go out through their outbox. */
export class Milestones {
  readonly writeQueue = new DocumentWriteQueue();

  constructor(readonly collection: Collection<MilestoneDocument>) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ pilotId: 1, index: 1 });
    await this.collection.createIndex({ status: 1, dueAt: 1 });
    await this.collection.createIndex({ region: 1 });
  }

  /** Creates the work plan's milestones once: existing ones are left as they are. */
  async create(milestones: Omit<MilestoneDocument, 'outbox'>[]): Promise<void> {
    for (const milestone of milestones) {
      try {
        await this.collection.insertOne({ ...milestone, outbox: [] });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
  }

  find(id: string): Promise<StoredMilestone | null> {
    return this.collection.findOne({ _id: id }, { projection: { outbox: 0 } });
  }

  list(query: MilestoneQuery): Promise<StoredMilestone[]> {
    const filter: Filter<MilestoneDocument> = {
      ...(query.pilotId ? { pilotId: query.pilotId } : {}),
      ...(query.statuses ? { status: { $in: query.statuses } } : {}),
      ...(query.region ? { $or: [{ region: query.region }, { partners: query.region }] } : {}),
    };
    if (query.dueBefore || query.dueFrom) {
      filter.dueAt = {
        ...(query.dueBefore ? { $lt: query.dueBefore } : {}),
        ...(query.dueFrom ? { $gte: query.dueFrom } : {}),
      };
    }
    if (query.after) {
      const { dueAt, id } = query.after;
      filter.$and = [{ $or: [{ dueAt: { $gt: dueAt } }, { dueAt, _id: { $gt: id } }] }];
    }
    return this.collection
      .find(filter, { projection: { outbox: 0 } })
      .sort({ dueAt: 1, _id: 1 })
      .limit(query.limit)
      .toArray();
  }

  /** A report, over an open or rejected milestone only, with its event; false when refused. */
  report(id: string, report: MilestoneReport, event: AnyEnvelope): Promise<boolean> {
    return this.writeQueue.run(id, async () => {
      const result = await this.collection.updateOne(
        { _id: id, status: { $in: ['open', 'rejected'] } },
        {
          $set: { status: 'reported', updatedAt: report.reportedAt },
          $push: { reports: report, ...pushToOutbox([event]) } as never,
        },
      );
      return result.matchedCount === 1;
    });
  }

  /** A verdict on the report that waits for one, with its event; false when none waits. */
  verify(id: string, verdict: Verdict, event: AnyEnvelope): Promise<boolean> {
    return this.writeQueue.run(id, async () => {
      const result = await this.collection.updateOne(
        { _id: id, status: 'reported' },
        {
          $set: { status: verdict.verdict, updatedAt: verdict.verifiedAt },
          $push: { verdicts: verdict, ...pushToOutbox([event]) } as never,
        },
      );
      return result.matchedCount === 1;
    });
  }

  markOverdue(id: string, at: string): Promise<void> {
    return this.writeQueue.run(id, async () => {
      await this.collection.updateOne(
        { _id: id, overdueAt: { $exists: false } },
        { $set: { overdueAt: at } },
      );
    });
  }
}
