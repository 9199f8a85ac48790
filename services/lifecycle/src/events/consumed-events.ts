import type { AnyEnvelope } from '@s3p/contracts';
import { applicationEvents, expertEvents, reportingEvents } from '@s3p/contracts';
import type { EventHandler } from '@s3p/messaging';
import type { Logger } from 'pino';
import type { PilotClient } from '../pilot-client';
import type { Submissions } from '../store/submissions';
import {
  finalReportAcceptedSignal,
  milestoneVerifiedSignal,
  teamAssignedSignal,
  withdrawSignal,
} from '../workflows/messages';

export interface ConsumedEventDependencies {
  pilots: PilotClient;
  submissions: Submissions;
  logger: Logger;
}

/**
 * Other services' events, bridged into the pilots' workflows. A first submission starts the
 * pilot (once: the workflow id is the application id); every submission is kept, so that a
 * resubmission after a `revise` decision can be taken up; the rest become signals, which the
 * workflow deduplicates by event id.
 */
export function consumedEventHandler({
  pilots,
  submissions,
  logger,
}: ConsumedEventDependencies): EventHandler {
  return async (envelope: AnyEnvelope) => {
    const event = typed(envelope);
    if (!event) return;
    switch (event.type) {
      case 'application.submitted': {
        const { application, receipt } = event.data;
        await submissions.keep(application, receipt);
        if (receipt.submissionVersion === 1) {
          const started = await pilots.start(application, receipt, event.correlationId);
          logger.info(
            { pilotId: application.id, started },
            started ? 'pilot started' : 'pilot already started',
          );
          return;
        }
        // A resubmission answers a request for revision: the region's submission is its step.
        if (event.actor.kind === 'user') {
          await pilots.resubmitted(application, receipt.submissionVersion, {
            actor: event.actor,
            region: application.region,
          });
        }
        return;
      }
      case 'application.withdrawn':
        await pilots.signal(event.data.applicationId, withdrawSignal, {
          eventId: event.id,
          actor: event.actor,
          ...(event.data.reason ? { reason: event.data.reason } : {}),
        });
        return;
      case 'expert-team.assigned':
        await pilots.signal(event.data.pilotId, teamAssignedSignal, {
          eventId: event.id,
          teamId: event.data.teamId,
          members: event.data.members,
          assignedAt: event.data.assignedAt,
        });
        return;
      case 'milestone.verified':
        await pilots.signal(event.data.pilotId, milestoneVerifiedSignal, {
          eventId: event.id,
          milestone: event.data.milestone,
          verdict: event.data.verdict,
          actor: event.actor,
          ...(event.data.note ? { note: event.data.note } : {}),
        });
        return;
      case 'final-report.accepted':
        await pilots.signal(event.data.pilotId, finalReportAcceptedSignal, {
          eventId: event.id,
          actor: event.actor,
        });
        return;
    }
  };
}

const handled = [
  applicationEvents.submitted,
  applicationEvents.withdrawn,
  expertEvents.teamAssigned,
  reportingEvents.milestoneVerified,
  reportingEvents.finalReportAccepted,
] as const;

type HandledEvent = ReturnType<(typeof handled)[number]['parse']>;

const handledTypes = new Set<string>(handled.map((schema) => schema.shape.type.value));

/** The events the handler acts on, by type (any version: one it cannot read goes to the DLQ). */
export const actsOn = (envelope: AnyEnvelope): boolean => handledTypes.has(envelope.type);

/** The event with its payload's type, when it is one this service acts on; undefined otherwise. */
function typed(envelope: AnyEnvelope): HandledEvent | undefined {
  const schema = handled.find((s) => s.shape.type.value === envelope.type);
  if (!schema) return undefined;
  // A newer version of a contract needs code that reads it: to the DLQ, to be replayed then.
  if (envelope.version !== schema.shape.version.value) {
    throw new Error(`no handler for ${envelope.type}@${envelope.version}`);
  }
  return schema.parse(envelope);
}
