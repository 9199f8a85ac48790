import type { AnyEnvelope } from '@s3p/contracts';
import { countryOfRegion, finalStages, languagesOfMemberState, lifecycleEvents } from '@s3p/contracts';
import type { EventHandler } from '@s3p/messaging';
import type { Logger } from 'pino';
import type { TeamClient } from '../team-client';
import { pilotEndedSignal } from '../workflows/messages';

export interface ConsumedEventDependencies {
  teams: TeamClient;
  logger: Logger;
}

/** The size of teams of pilots approved before `pilot.approved` carried one (version 1). */
const teamSizeBeforeV2 = 3;

/**
 * The lifecycle's events, bridged into the team workflows: an approval starts the pilot's team
 * (once: the workflow id is the pilot's), and the end of a pilot releases its team.
 */
/** The events the handler acts on, by type: approvals start teams, the final stages end them. */
export const actsOn = (envelope: AnyEnvelope): boolean =>
  envelope.type === 'pilot.approved' || envelope.type === lifecycleEvents.stageChanged.shape.type.value;

export function consumedEventHandler({ teams, logger }: ConsumedEventDependencies): EventHandler {
  return async (envelope: AnyEnvelope) => {
    if (envelope.type === 'pilot.approved') {
      const approval = approvalOf(envelope);
      const started = await teams.start({
        pilotId: approval.pilotId,
        teamId: `team-${approval.pilotId}`,
        callId: approval.callId,
        correlationId: envelope.correlationId,
        needs: {
          region: approval.region,
          partners: approval.partners,
          countries: approval.countries,
          priorityDomains: approval.priorityDomains,
          requestedSupport: approval.requestedSupport,
          teamSize: approval.expertTeamSize,
          languages: [...languagesOfMemberState[countryOfRegion(approval.region)]],
        },
      });
      logger.info({ pilotId: approval.pilotId, started }, started ? 'team started' : 'team already started');
      return;
    }
    if (envelope.type === lifecycleEvents.stageChanged.shape.type.value) {
      const change = lifecycleEvents.stageChanged.parse(envelope).data;
      if (!finalStages.includes(change.to)) return;
      await teams.signal(change.pilotId, pilotEndedSignal, {
        eventId: envelope.id,
        stage: change.to,
        reason: change.reason,
      });
    }
  };
}

/** Both versions of `pilot.approved`, read as the newest; a version this code does not know goes to the DLQ. */
export function approvalOf(envelope: AnyEnvelope) {
  switch (envelope.version) {
    case 1:
      return {
        ...lifecycleEvents.pilotApproved.parse(envelope).data,
        requestedSupport: [],
        expertTeamSize: teamSizeBeforeV2,
      };
    case 2:
      return lifecycleEvents.pilotApprovedV2.parse(envelope).data;
    default:
      throw new Error(`no handler for pilot.approved@${envelope.version}`);
  }
}
