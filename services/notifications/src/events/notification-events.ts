import type { AnyEnvelope } from '@s3p/contracts';
import { applicationEvents, lifecycleEvents } from '@s3p/contracts';
import type { EventHandler } from '@s3p/messaging';
import type { Logger } from 'pino';
import { isNotifiable, pilotIdOf } from '../domain/notification-rules';
import type { InboundEvents } from '../store/inbound-events';
import type { Pilots } from '../store/pilots';
import type { NotificationResolver } from './notification-resolver';

export interface NotificationEventDependencies {
  pilots: Pilots;
  inbound: InboundEvents;
  resolver: NotificationResolver;
  /** Events older than this update the pilots but notify nobody. */
  maxAgeMs: number;
  logger: Logger;
}

/**
 * Every topic's events: a stage change or a submission teaches whose a pilot is; an event of the
 * rules' table is kept until its notices exist (the resolver makes them). Both writes are
 * idempotent, so a redelivery changes nothing.
 */
/** The events that carry a pilot's facts, which notices about it need. */
const learnedFrom = new Set(['lifecycle.stage-changed', 'application.submitted']);

/** The events the handler acts on: those a rule of the table reads, and those it learns pilots from. */
export const actsOn = (envelope: AnyEnvelope): boolean =>
  isNotifiable(envelope) || learnedFrom.has(envelope.type);

export function notificationEventHandler(deps: NotificationEventDependencies): EventHandler {
  const { pilots, inbound, resolver, maxAgeMs, logger } = deps;
  return async (envelope: AnyEnvelope) => {
    const learned = await learnPilot(envelope, pilots);
    if (isNotifiable(envelope)) {
      if (Date.now() - Date.parse(envelope.occurredAt) > maxAgeMs) {
        logger.info({ eventId: envelope.id, type: envelope.type }, 'too old to notify anyone');
      } else {
        await inbound.keep(envelope, pilotIdOf(envelope));
        resolver.poke();
      }
    }
    if (learned) resolver.pilotLearned(learned);
  };
}

/** The pilot's facts an event carries, kept; the pilot's id when there were some. */
async function learnPilot(envelope: AnyEnvelope, pilots: Pilots): Promise<string | undefined> {
  switch (envelope.type) {
    case 'lifecycle.stage-changed': {
      const { pilotId, callId, region, partners } = lifecycleEvents.stageChanged.parse(envelope).data;
      await pilots.learnParties(pilotId, { callId, region, partners });
      return pilotId;
    }
    case 'application.submitted': {
      const { application, receipt } = applicationEvents.submitted.parse(envelope).data;
      await pilots.learnSubmission(application.id, {
        callId: application.callId,
        region: application.region,
        partners: application.partners,
        version: receipt.submissionVersion,
        title: application.title,
        milestones: application.workPlan.map((milestone) => milestone.title),
      });
      return application.id;
    }
    default:
      return undefined;
  }
}
