import type { AnyEnvelope, MilestonePlan, PilotStage, ReportFile } from '@s3p/contracts';
import { DocumentWriteQueue, pushToOutbox } from '@s3p/messaging';
import { isDuplicateKey } from '@s3p/service-kit';
import type { Collection, Filter } from 'mongodb';

export type FinalReportStatus = 'none' | 'submitted' | 'accepted' | 'rejected';

export interface FinalReportEntry {
  reportId: string;
  summary: string;
  files: ReportFile[];
  submittedAt: string;
  submittedBy: string;
}

export interface Verdict {
  verdict: 'accepted' | 'rejected';
  note?: string;
  verifiedAt: string;
  auditor: string;
}

/**
 * What the reporting service knows of a pilot: who it belongs to and where it stands (from the
 * lifecycle), its approved work plan (from the applications service), and its final report,
 * whose events go out through this document's outbox.
 */
export type ReportPilotDocument = {
  _id: string;
  callId?: string;
  region?: string;
  partners?: string[];
  stage?: PilotStage;
  sequence?: number;
  /** The newest submission's work plan: the one a pilot is approved on. */
  submission?: { version: number; title: string; workPlan: MilestonePlan[] };
  implementationStarted?: boolean;
  milestonesCreated?: boolean;
  finalReport: { status: FinalReportStatus; reports: FinalReportEntry[]; verdicts: Verdict[] };
  updatedAt: string;
  outbox: AnyEnvelope[];
};

export type StoredReportPilot = Omit<ReportPilotDocument, 'outbox'>;

const blank = { finalReport: { status: 'none', reports: [], verdicts: [] }, outbox: [] };

/**
 * The pilots as the reporting service follows them. Every fact arrives by event, in any order and
 * possibly twice: each write applies only what is newer than what the document holds.
 */
export class ReportPilots {
  readonly writeQueue = new DocumentWriteQueue();

  constructor(readonly collection: Collection<ReportPilotDocument>) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ region: 1 });
    await this.collection.createIndex({ stage: 1 });
  }

  /** Creates the pilot's document on first sight; a concurrent creation is harmless. */
  private async ensure(pilotId: string): Promise<void> {
    try {
      await this.collection.updateOne(
        { _id: pilotId },
        { $setOnInsert: { ...blank, updatedAt: new Date().toISOString() } as never },
        { upsert: true },
      );
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /** Keeps a submission's work plan when it is newer than the one kept. */
  keepSubmission(pilotId: string, submission: NonNullable<ReportPilotDocument['submission']>): Promise<void> {
    return this.writeQueue.run(pilotId, async () => {
      await this.ensure(pilotId);
      await this.collection.updateOne(
        {
          _id: pilotId,
          $or: [{ submission: { $exists: false } }, { 'submission.version': { $lt: submission.version } }],
        } as Filter<ReportPilotDocument>,
        { $set: { submission, updatedAt: new Date().toISOString() } },
      );
    });
  }

  /**
   * Takes a stage change in: the pilot's facts always (creating its document on first sight), its
   * stage only over an earlier change. Answers the pilot as it stands after the facts, so that the
   * caller needs no read of its own.
   */
  stageChanged(
    pilotId: string,
    change: { callId: string; region: string; partners: string[]; sequence: number; to: PilotStage },
  ): Promise<StoredReportPilot> {
    return this.writeQueue.run(pilotId, async () => {
      const { callId, region, partners, sequence, to } = change;
      const facts = {
        $set: {
          callId,
          region,
          partners,
          ...(to === 'implementation' ? { implementationStarted: true } : {}),
          updatedAt: new Date().toISOString(),
        },
        $setOnInsert: blank,
      };
      // Without a projection: FerretDB 1.x refuses one in findAndModify.
      const options = { upsert: true, returnDocument: 'after' } as const;
      const pilot = await this.collection
        .findOneAndUpdate({ _id: pilotId }, facts as never, options)
        .catch(async (error: unknown) => {
          // Another instance created it between our read and our insert: it is there now.
          if (!isDuplicateKey(error)) throw error;
          return this.collection.findOneAndUpdate({ _id: pilotId }, facts as never, options);
        });
      await this.collection.updateOne(
        {
          _id: pilotId,
          $or: [{ sequence: { $exists: false } }, { sequence: { $lt: sequence } }],
        } as Filter<ReportPilotDocument>,
        { $set: { stage: to, sequence } },
      );
      const { outbox: _outbox, ...stored } = pilot!;
      return stored;
    });
  }

  markMilestonesCreated(pilotId: string): Promise<void> {
    return this.writeQueue.run(pilotId, async () => {
      await this.collection.updateOne({ _id: pilotId }, { $set: { milestonesCreated: true } });
    });
  }

  find(pilotId: string): Promise<StoredReportPilot | null> {
    return this.collection.findOne({ _id: pilotId }, { projection: { outbox: 0 } });
  }

  /** Files a final report, only over none or a rejected one, with its event; false when refused. */
  submitFinalReport(pilotId: string, report: FinalReportEntry, event: AnyEnvelope): Promise<boolean> {
    return this.writeQueue.run(pilotId, async () => {
      const result = await this.collection.updateOne(
        { _id: pilotId, stage: 'final-report', 'finalReport.status': { $in: ['none', 'rejected'] } },
        {
          $set: { 'finalReport.status': 'submitted', updatedAt: report.submittedAt },
          $push: { 'finalReport.reports': report, ...pushToOutbox([event]) } as never,
        },
      );
      return result.matchedCount === 1;
    });
  }

  /** An auditor's verdict on the submitted final report, with its event; false when none waits. */
  verifyFinalReport(pilotId: string, verdict: Verdict, event: AnyEnvelope): Promise<boolean> {
    return this.writeQueue.run(pilotId, async () => {
      const result = await this.collection.updateOne(
        { _id: pilotId, 'finalReport.status': 'submitted' },
        {
          $set: { 'finalReport.status': verdict.verdict, updatedAt: verdict.verifiedAt },
          $push: { 'finalReport.verdicts': verdict, ...pushToOutbox([event]) } as never,
        },
      );
      return result.matchedCount === 1;
    });
  }
}
