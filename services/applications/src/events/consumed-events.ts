import type { AnyEnvelope } from '@s3p/contracts';
import { lifecycleEvents } from '@s3p/contracts';
import type { EventHandler } from '@s3p/messaging';
import type { Logger } from 'pino';
import type { ApplicationStore } from '../store/application-store';
import type { CallProjectionStore } from '../store/call-projection-store';

const stageChanged = lifecycleEvents.stageChanged.shape;

export interface ConsumedEventsDependencies {
  calls: Pick<CallProjectionStore, 'apply'>;
  applications: Pick<ApplicationStore, 'applyStageChange'>;
  logger: Pick<Logger, 'debug'>;
}

/**
 * What the service does with the events of the topics it consumes (`calls.events` and
 * `lifecycle.events`, one consumer group). The consumer has validated every event against its
 * contract; those that say nothing to this service are left alone.
 */
/** The events the handler acts on, by type: the calls' own, and the pilots' changes of stage. */
export const actsOn = (event: AnyEnvelope): boolean =>
  event.type.startsWith('call.') || event.type === stageChanged.type.value;

export function consumedEventHandler(deps: ConsumedEventsDependencies): EventHandler {
  return async (event: AnyEnvelope) => {
    if (event.type.startsWith('call.')) return deps.calls.apply(event);
    if (event.type !== stageChanged.type.value) return;
    // A newer version of the contract needs code that reads it: to the DLQ, to be replayed then.
    if (event.version !== stageChanged.version.value) {
      throw new Error(`no handler for ${event.type}@${event.version}`);
    }
    const { data, occurredAt } = lifecycleEvents.stageChanged.parse(event);
    const outcome = await deps.applications.applyStageChange(data.pilotId, {
      sequence: data.sequence,
      to: data.to,
      reason: data.reason,
      ...(data.reasons === undefined ? {} : { reasons: data.reasons }),
      ...(data.dueAt === undefined ? {} : { dueAt: data.dueAt }),
      changedAt: occurredAt,
    });
    // A pilot is an application of this service: one it does not know is an error, kept in the DLQ.
    if (outcome === 'unknown-application') throw new Error(`no application ${data.pilotId}`);
    if (outcome === 'not-newer') {
      deps.logger.debug(
        { eventId: event.id, pilotId: data.pilotId, sequence: data.sequence },
        'a change of stage not newer than the one applied was ignored',
      );
    }
  };
}
