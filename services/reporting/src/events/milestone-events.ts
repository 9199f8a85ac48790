import type { AnyEnvelope } from '@s3p/contracts';
import { applicationEvents, lifecycleEvents } from '@s3p/contracts';
import type { EventHandler } from '@s3p/messaging';
import { dueAtOf } from '../domain/milestone-status';
import { milestoneIdOf, type Milestones } from '../store/milestones';
import type { ReportPilots, StoredReportPilot } from '../store/report-pilots';

export interface MilestoneEventDependencies {
  pilots: ReportPilots;
  milestones: Milestones;
  /** `HH:MM:SS`, UTC: when a work plan's due day falls due, as the lifecycle counts it. */
  deadlineTimeUtc: string;
}

/**
 * The events the milestones follow: a submission brings the work plan, the lifecycle says when
 * the pilot starts its implementation (its milestones are created then, whichever of the two
 * arrives last) and when a milestone is overdue.
 */
/** The events the milestones' handler acts on, by type. */
const milestoneTypes = new Set([
  'application.submitted',
  'lifecycle.stage-changed',
  'lifecycle.milestone-overdue',
]);
export const actsOnMilestones = (envelope: AnyEnvelope): boolean => milestoneTypes.has(envelope.type);

export function milestoneEventHandler({
  pilots,
  milestones,
  deadlineTimeUtc,
}: MilestoneEventDependencies): EventHandler {
  /** `known`: the pilot as a write just answered it, which spares a read. */
  async function createWhenReady(pilotId: string, known?: StoredReportPilot): Promise<void> {
    const pilot = known ?? (await pilots.find(pilotId));
    if (!pilot?.implementationStarted || !pilot.submission || pilot.milestonesCreated) return;
    const now = new Date().toISOString();
    await milestones.create(
      pilot.submission.workPlan.map((plan, index) => ({
        _id: milestoneIdOf(pilotId, index),
        pilotId,
        index,
        title: plan.title,
        dueDate: plan.dueDate,
        dueAt: dueAtOf(plan.dueDate, deadlineTimeUtc),
        plannedDeliverables: plan.deliverables,
        region: pilot.region ?? '',
        partners: pilot.partners ?? [],
        status: 'open',
        reports: [],
        verdicts: [],
        updatedAt: now,
      })),
    );
    await pilots.markMilestonesCreated(pilotId);
  }

  return async (envelope: AnyEnvelope) => {
    switch (envelope.type) {
      case 'application.submitted': {
        const { application, receipt } = applicationEvents.submitted.parse(envelope).data;
        await pilots.keepSubmission(application.id, {
          version: receipt.submissionVersion,
          title: application.title,
          workPlan: application.workPlan,
        });
        await createWhenReady(application.id);
        return;
      }
      case 'lifecycle.stage-changed': {
        const change = lifecycleEvents.stageChanged.parse(envelope).data;
        await createWhenReady(change.pilotId, await pilots.stageChanged(change.pilotId, change));
        return;
      }
      case 'lifecycle.milestone-overdue': {
        const overdue = lifecycleEvents.milestoneOverdue.parse(envelope).data;
        await milestones.markOverdue(milestoneIdOf(overdue.pilotId, overdue.milestone), envelope.occurredAt);
        return;
      }
    }
  };
}
