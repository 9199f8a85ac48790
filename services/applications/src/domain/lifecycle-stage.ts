import type { ApplicationStatus, EligibilityReason, PilotStage } from '@s3p/contracts';
import { applicationStatusOf } from '@s3p/contracts';

/**
 * The last stage the lifecycle reported for an application (from `lifecycle.stage-changed`),
 * shown to the region with the reason: why it is ineligible, what to revise and by when.
 */
export interface StageState {
  name: PilotStage;
  reason: string;
  /** Why an application is ineligible, rule by rule. */
  reasons?: EligibilityReason[];
  /** The stage's deadline (a revision, conditions). */
  dueAt?: string;
  /** The pilot's nth change of stage, as the lifecycle numbered it. */
  sequence: number;
  /** When the lifecycle changed the stage (the event's `occurredAt`). */
  changedAt: string;
}

/** What this service takes from a `lifecycle.stage-changed` event. */
export interface StageChange {
  sequence: number;
  to: PilotStage;
  reason: string;
  reasons?: EligibilityReason[];
  dueAt?: string;
  changedAt: string;
}

/**
 * Whether a change of stage is newer than the one already applied. Deliveries may repeat or
 * come out of order (a redelivery, a replay from the DLQ): only a higher sequence moves on.
 */
export const isNewerStage = (applied: StageState | undefined, sequence: number): boolean =>
  sequence > (applied?.sequence ?? 0);

/**
 * The application's status and stage after a change of stage, or undefined when the change is
 * not newer than the one applied (nothing to write). The lifecycle owns the stages after a
 * submission, so a newer change sets the status whatever it was locally: a resubmission's or a
 * withdrawal's local status holds until the lifecycle's next change, which has a higher sequence.
 */
export function applyStageChange(
  applied: StageState | undefined,
  change: StageChange,
): { status: ApplicationStatus; stage: StageState } | undefined {
  if (!isNewerStage(applied, change.sequence)) return undefined;
  return {
    status: applicationStatusOf(change.to),
    stage: {
      name: change.to,
      reason: change.reason,
      ...(change.reasons === undefined ? {} : { reasons: change.reasons }),
      ...(change.dueAt === undefined ? {} : { dueAt: change.dueAt }),
      sequence: change.sequence,
      changedAt: change.changedAt,
    },
  };
}
