import type { Actor, AnyEnvelope, SubmissionReceipt, SubmittedApplication } from '@s3p/contracts';
import { applicationEvents } from '@s3p/contracts';
import { newEvent } from '@s3p/messaging';

export const eventSource = 'applications';

/** Who caused an event and in which chain of requests. */
export interface Cause {
  actor: Actor;
  correlationId: string;
}

const common = (applicationId: string, cause: Cause, at: Date) => ({
  source: eventSource,
  subject: applicationId,
  actor: cause.actor,
  correlationId: cause.correlationId,
  occurredAt: at,
});

export const applicationDrafted = (
  application: { id: string; callId: string; region: string },
  cause: Cause,
  at: Date,
): AnyEnvelope =>
  newEvent(applicationEvents.drafted, {
    ...common(application.id, cause, at),
    data: { applicationId: application.id, callId: application.callId, region: application.region },
  });

export const partnerInvited = (
  applicationId: string,
  lead: string,
  partner: string,
  cause: Cause,
  at: Date,
): AnyEnvelope =>
  newEvent(applicationEvents.partnerInvited, {
    ...common(applicationId, cause, at),
    data: { applicationId, lead, partner },
  });

export const partnerRemoved = (
  applicationId: string,
  lead: string,
  partner: string,
  cause: Cause,
  at: Date,
): AnyEnvelope =>
  newEvent(applicationEvents.partnerRemoved, {
    ...common(applicationId, cause, at),
    data: { applicationId, lead, partner },
  });

export const partnerConfirmed = (
  applicationId: string,
  partner: string,
  cause: Cause,
  at: Date,
): AnyEnvelope =>
  newEvent(applicationEvents.partnerConfirmed, {
    ...common(applicationId, cause, at),
    data: { applicationId, partner, confirmedAt: at.toISOString() },
  });

export const applicationSubmitted = (
  application: SubmittedApplication,
  receipt: SubmissionReceipt,
  cause: Cause,
  at: Date,
): AnyEnvelope =>
  newEvent(applicationEvents.submitted, {
    ...common(application.id, cause, at),
    data: { application, receipt },
  });

export const applicationWithdrawn = (
  applicationId: string,
  reason: string | undefined,
  cause: Cause,
  at: Date,
): AnyEnvelope =>
  newEvent(applicationEvents.withdrawn, {
    ...common(applicationId, cause, at),
    data: { applicationId, ...(reason === undefined ? {} : { reason }), withdrawnAt: at.toISOString() },
  });
