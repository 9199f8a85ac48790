import type {
  AnyEnvelope,
  ApplicationStatus,
  PilotType,
  SubmissionReceipt,
  SubmittedApplication,
} from '@s3p/contracts';
import type { Principal, Role } from '@s3p/service-kit';
import { ScopedCollection } from '@s3p/service-kit';
import { DocumentWriteQueue } from '@s3p/messaging';
import type { Collection, Filter } from 'mongodb';
import type { ApplicationContent, PartnerState } from '../domain/application-rules';
import type { StageChange, StageState } from '../domain/lifecycle-stage';
import { applyStageChange } from '../domain/lifecycle-stage';

/** A submission as frozen: the application exactly as submitted, and the receipt that certifies it. */
export interface StoredSubmission {
  snapshot: SubmittedApplication;
  receipt: SubmissionReceipt;
}

/** An application as handlers see it: everything but the events waiting to be relayed. */
export type StoredApplication = ApplicationContent & {
  _id: string;
  callId: string;
  pilotType: PilotType;
  /** The lead region: the applicant, from its token, never from a body. */
  region: string;
  partners: PartnerState[];
  /** The partners' codes alone: what the tenancy scope matches a partner region on. */
  partnerRegions: string[];
  status: ApplicationStatus;
  version: number;
  submissions: StoredSubmission[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  submittedAt?: Date;
  withdrawnAt?: Date;
  withdrawalReason?: string;
  /** The last stage the lifecycle reported; its sequence guards against older deliveries. */
  stage?: StageState;
};

/** The stored document: the application and, in the same document, its outbox. */
export type ApplicationDocument = StoredApplication & { outbox: AnyEnvelope[] };

/** What applying a change of stage did. */
export type StageChangeOutcome = 'applied' | 'not-newer' | 'unknown-application';

const attempts = 10;

/**
 * Roles that read every application (the Commission's side and audit). Not reviewers: they read
 * the application they evaluate through the lifecycle, and only after declaring, for it, that
 * they have no conflict of interest.
 */
const readersOfAll: readonly Role[] = ['programme-manager', 'auditor', 'approver'];

/**
 * Whose applications a principal may touch: everything for the Commission's readers, its own
 * and those it is a partner in for a region, nothing (undefined) for anyone else.
 */
export function tenancyScope(principal: Principal): Filter<ApplicationDocument> | undefined {
  if (principal.roles.some((role) => readersOfAll.includes(role))) return {};
  if (principal.roles.includes('region') && principal.region) {
    return { $or: [{ region: principal.region }, { partnerRegions: principal.region }] };
  }
  return undefined;
}

/** The applications collection; every write to one application waits its turn (see DocumentWriteQueue). */
export class ApplicationStore {
  /** Shared with the outbox relay, whose clearing of the outbox is a write like any other. */
  readonly writeQueue = new DocumentWriteQueue();

  constructor(readonly collection: Collection<ApplicationDocument>) {}

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ region: 1, _id: -1 });
    await this.collection.createIndex({ partnerRegions: 1, _id: -1 });
    await this.collection.createIndex({ callId: 1, _id: -1 });
  }

  /** A new draft: its region is the principal's own, so the insert cannot leave its scope. */
  async insert(application: ApplicationDocument): Promise<void> {
    await this.collection.insertOne(application);
  }

  /** The only way handlers read or change applications: through the principal's scope. */
  scopedFor(principal: Principal): ScopedCollection<ApplicationDocument> | undefined {
    const scope = tenancyScope(principal);
    return scope && new ScopedCollection(this.collection, scope);
  }

  /**
   * Runs a read-decide-write of one application alone among this process's writes to it, so
   * that what it read is still current when it writes.
   */
  exclusive<T>(id: string, work: () => Promise<T>): Promise<T> {
    return this.writeQueue.run(id, work);
  }

  /**
   * Applies a change of stage reported by the lifecycle (a consumer's write, outside any
   * principal's scope): the status follows the stage when the change is newer than the one
   * applied, else nothing changes. The version moves, so a client's stale If-Match gets 412.
   */
  applyStageChange(id: string, change: StageChange): Promise<StageChangeOutcome> {
    return this.exclusive(id, async () => {
      for (let attempt = 0; attempt < attempts; attempt++) {
        const app = await this.collection.findOne(
          { _id: id },
          { projection: { status: 1, stage: 1, version: 1 } },
        );
        if (!app) return 'unknown-application';
        const next = applyStageChange(app.stage, change);
        if (!next) return 'not-newer';
        const { matchedCount } = await this.collection.updateOne(
          { _id: id, version: app.version },
          { $set: { ...next, updatedAt: new Date() }, $inc: { version: 1 } },
        );
        if (matchedCount === 1) return 'applied';
      }
      throw new Error(`application ${id} kept changing while a change of stage was applied`);
    });
  }
}
