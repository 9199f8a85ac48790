import type {
  AnyEnvelope,
  CallSnapshot,
  EligibilityReason,
  SubmissionReceipt,
  SubmittedApplication,
} from '@s3p/contracts';
import { countryOfRegion, lifecycleEvents } from '@s3p/contracts';
import { ApplicationFailure } from '@temporalio/common';
import { eligibilityReasons } from '../domain/eligibility';
import { selectReviewers } from '../domain/reviewer-selection';
import type { ReviewerPool } from '../store/reviewer-pool';
import type { ReviewTasks, ReviewTaskState } from '../store/review-tasks';
import type { Seatings } from '../store/seatings';
import type { PilotStore } from '../store/pilot-store';
import type { Submissions } from '../store/submissions';
import { failureTypes } from '../workflows/messages';
import type { CallsGateway } from './calls-gateway';
import type { RecordRequest } from './notices';

export interface PilotActivityDependencies {
  pilots: PilotStore;
  reviewTasks: ReviewTasks;
  seatings: Seatings;
  pool: ReviewerPool;
  submissions: Submissions;
  calls: CallsGateway;
  /** Wakes the outbox relay after a recorded event (named by its id, the document it waits in). */
  poke: (eventId: string) => void;
}

export const eventSource = 'lifecycle';

/** The team size of calls read before teams had one, as the calls service gives them. */
const defaultExpertTeamSize = 3;

export interface SeatingRequest {
  pilotId: string;
  round: number;
  /** Chosen by the workflow: a retried request answers with the seats it already made. */
  requestId: string;
  count: number;
  regions: string[];
  excluded: string[];
  dueAt: string;
  title: string;
}

export type PilotActivities = ReturnType<typeof createPilotActivities>;

/** The event a notice says, validated against its schema in the contracts. */
export function eventOf(request: RecordRequest): AnyEnvelope {
  const { notice, application, pilotId } = request;
  const facts = {
    pilotId,
    callId: application.callId,
    pilotType: application.pilotType,
    region: application.region,
    partners: application.partners,
  };
  const fields = {
    id: request.eventId,
    source: eventSource,
    subject: pilotId,
    occurredAt: request.occurredAt,
    correlationId: request.correlationId,
    causationId: null,
    actor: request.actor,
  };
  const build = <
    S extends {
      parse(value: unknown): AnyEnvelope;
      shape: { type: { value: string }; version: { value: number } };
    },
  >(
    schema: S,
    data: unknown,
  ): AnyEnvelope =>
    schema.parse({ ...fields, type: schema.shape.type.value, version: schema.shape.version.value, data });

  switch (notice.type) {
    case 'lifecycle.stage-changed': {
      const { sequence, from, to, reason, reasons, dueAt } = notice.change;
      return build(lifecycleEvents.stageChanged, {
        ...facts,
        sequence,
        from,
        to,
        reason,
        ...(reasons ? { reasons } : {}),
        ...(dueAt ? { dueAt } : {}),
      });
    }
    case 'lifecycle.reviewers-assigned':
      return build(lifecycleEvents.reviewersAssigned, {
        pilotId,
        reviewers: notice.reviewers,
        dueAt: notice.dueAt,
      });
    case 'lifecycle.conflict-declared':
      return build(lifecycleEvents.conflictDeclared, {
        pilotId,
        reviewer: notice.reviewer,
        conflict: notice.conflict,
        statement: notice.statement,
      });
    case 'lifecycle.review-submitted':
      return build(lifecycleEvents.reviewSubmitted, {
        pilotId,
        reviewer: notice.reviewer,
        weightedScore: notice.weightedScore,
        consensus: notice.consensus,
      });
    case 'lifecycle.task-reminded':
      return build(lifecycleEvents.taskReminded, { pilotId, task: notice.task, escalated: notice.escalated });
    case 'lifecycle.decision-taken': {
      const { type: _type, ...decision } = notice;
      return build(lifecycleEvents.decisionTaken, { pilotId, ...decision });
    }
    case 'pilot.approved':
      return build(lifecycleEvents.pilotApprovedV2, {
        ...facts,
        countries: [...new Set([application.region, ...application.partners].map((r) => countryOfRegion(r)))],
        priorityDomains: application.priorityDomains,
        requestedSupport: application.requestedSupport,
        expertTeamSize: notice.expertTeamSize ?? defaultExpertTeamSize,
        amount: notice.amount,
        approvedAt: notice.approvedAt,
      });
    case 'lifecycle.milestone-overdue':
      return build(lifecycleEvents.milestoneOverdue, {
        pilotId,
        region: application.region,
        milestone: notice.milestone,
        title: notice.title,
        dueDate: notice.dueDate,
      });
  }
}

/**
 * The pilot workflow's I/O. Every activity is idempotent: a retry after a crash between its
 * write and its answer changes nothing twice.
 */
export function createPilotActivities(deps: PilotActivityDependencies) {
  const { pilots, reviewTasks, seatings, pool, submissions, calls, poke } = deps;

  async function chooseReviewers(request: SeatingRequest): Promise<{ chosen: string[]; missing: number }> {
    const regions = request.regions as Parameters<typeof countryOfRegion>[0][];
    const selection = selectReviewers(await pool.all(), await reviewTasks.workload(), {
      count: request.count,
      regions,
      countries: [...new Set(regions.map((region) => countryOfRegion(region)))],
      excluded: request.excluded,
    });
    return { chosen: selection.chosen, missing: selection.missing };
  }

  return {
    async record(request: RecordRequest): Promise<void> {
      const event = eventOf(request);
      if (await pilots.record(request.pilotId, event, request.summary)) poke(event.id);
    },

    loadCall(callId: string): Promise<CallSnapshot> {
      return calls.call(callId);
    },

    async checkEligibility(request: {
      application: SubmittedApplication;
      receipt: SubmissionReceipt;
      call: CallSnapshot;
    }): Promise<EligibilityReason[]> {
      return eligibilityReasons(request.application, request.receipt, request.call, {
        country: countryOfRegion,
        // No category ships with the NUTS list yet (Implementing Decision (EU) 2021/1130 is not
        // in the reference data): a call restricted by category makes its applicants ineligible,
        // with the reason, rather than letting the restriction pass unchecked.
        category: () => undefined,
      });
    },

    async assignReviewers(request: SeatingRequest): Promise<{ chosen: string[]; missing: number }> {
      const seating =
        (await seatings.find(request.requestId)) ??
        (await seatings.keep({
          _id: request.requestId,
          pilotId: request.pilotId,
          round: request.round,
          ...(await chooseReviewers(request)),
          decidedAt: new Date().toISOString(),
        }));
      const assignedAt = new Date().toISOString();
      await reviewTasks.seat(
        seating.chosen.map((reviewer) => ({
          _id: `${request.pilotId}:${request.round}:${reviewer}`,
          pilotId: request.pilotId,
          round: request.round,
          reviewer,
          state: 'declare',
          title: request.title,
          dueAt: request.dueAt,
          assignedAt,
          requestId: request.requestId,
        })),
      );
      return { chosen: seating.chosen, missing: seating.missing };
    },

    async updateReviewTask(request: {
      pilotId: string;
      round: number;
      reviewer?: string;
      state: ReviewTaskState;
    }): Promise<void> {
      await reviewTasks.move(request.pilotId, request.round, request.state, request.reviewer);
    },

    async reserveBudget(request: {
      callId: string;
      pilotId: string;
      amount: number;
      correlationId: string;
    }): Promise<void> {
      const outcome = await calls.reserve(
        request.callId,
        request.pilotId,
        request.amount,
        request.correlationId,
      );
      if (outcome.kind === 'refused') {
        throw ApplicationFailure.nonRetryable(outcome.detail, failureTypes.budgetRefused);
      }
    },

    async loadSubmission(request: {
      pilotId: string;
      submissionVersion: number;
    }): Promise<{ application: SubmittedApplication; receipt: SubmissionReceipt }> {
      const found = await submissions.find(request.pilotId, request.submissionVersion);
      if (!found) {
        throw ApplicationFailure.nonRetryable(
          `version ${request.submissionVersion} of ${request.pilotId} has not been received`,
          failureTypes.submissionNotFound,
        );
      }
      return { application: found.application, receipt: found.receipt };
    },
  };
}
