import type { Actor, PilotStage } from '@s3p/contracts';
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  uuid4,
} from '@temporalio/workflow';
import type { PilotActivities } from '../activities/pilot-activities';
import type { Notice } from '../activities/notices';
import { deadlineOf, reminderAt } from '../domain/deadlines';
import {
  needsConsensus,
  panelScore,
  passes,
  scoreProblems,
  shownScore,
  weightedScore,
} from '../domain/scoring';
import type {
  DecisionRequest,
  MilestoneState,
  PilotInput,
  PilotTiming,
  PilotState,
  PilotView,
  Review,
  ReviewSubmission,
  Sender,
  StageChange,
  Withdrawal,
} from './messages';
import {
  confirmConditionsUpdate,
  decideUpdate,
  declareConflictUpdate,
  failureTypes,
  finalReportAcceptedSignal,
  milestoneVerifiedSignal,
  pilotQuery,
  poolChangedSignal,
  resubmitUpdate,
  submitConsensusUpdate,
  submitReviewUpdate,
  teamAssignedSignal,
  withdrawSignal,
} from './messages';
import { activeSeats, viewOf } from './pilot-view';

/** Background I/O: retried until it succeeds, since the pilot cannot go on without it. */
const io = proxyActivities<PilotActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
/** I/O a person waits for (a budget reservation at approval): bounded, so that they get an answer. */
const answered = proxyActivities<PilotActivities>({
  startToCloseTimeout: '15 seconds',
  scheduleToCloseTimeout: '45 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '5 seconds' },
});

const systemActor: Actor = { kind: 'system', name: 'pilot-workflow' };
const withdrawable: readonly PilotStage[] = [
  'submitted',
  'eligibility',
  'evaluation',
  'consensus',
  'decision',
  'revision',
];
const finalStages: readonly PilotStage[] = ['ineligible', 'rejected', 'lapsed', 'closed', 'withdrawn'];
const seenEventsKept = 500;
const defaultDecisionPeriodMs = 14 * 24 * 60 * 60 * 1000;

const refuse = (message: string): never => {
  throw ApplicationFailure.nonRetryable(message, failureTypes.conflict);
};

/**
 * One pilot, from its submission to its closing (DESIGN.md, "Stages of one pilot"). The main
 * loop runs the automatic steps and the timers; people's steps arrive as updates whose
 * validators refuse what the stage or the sender does not allow; other services' events arrive
 * as signals, deduplicated by event id. Every change of stage is recorded, in order, through an
 * idempotent activity that writes the pilot's summary and its event in one document update.
 */
export async function pilot(input: PilotInput): Promise<PilotView> {
  const { timing, correlationId } = input;
  const state: PilotState = input.carried ?? initialStateOf(input);
  const pilotId = state.pilotId;
  const now = () => Date.now();
  const isoNow = () => new Date(now()).toISOString();

  /** Counts what signals, updates and transitions changed; a wait ends on any change it did not see. */
  let changes = 0;
  let stepBegan = 0;
  let busy = false;
  let poolChanged = false;
  let fills = 0;
  let seating = false;
  let withdrawal: Withdrawal | undefined;
  let finalReportAccepted: Actor | undefined;

  // Records go out one after another, so that the pilot's events keep the order of its changes.
  let recording: Promise<void> = Promise.resolve();
  const record = (notice: Notice, actor: Actor): Promise<void> => {
    const request = {
      pilotId,
      eventId: uuid4(),
      correlationId,
      actor,
      occurredAt: isoNow(),
      notice,
      application: state.application,
      summary: {
        stage: state.stage,
        sequence: state.sequence,
        callId: state.application.callId,
        pilotType: state.application.pilotType,
        region: state.application.region,
        partners: state.application.partners,
        title: state.application.title,
        submissionVersion: state.receipt.submissionVersion,
        ...(state.score !== undefined ? { score: state.score } : {}),
        reviewers: activeSeats(state).map((seat) => seat.reviewer),
        updatedAt: isoNow(),
        view: viewOf(state),
      },
    };
    recording = recording.then(() => io.record(request));
    return recording;
  };

  const transition = async (
    to: PilotStage,
    actor: Actor,
    reason: string,
    extra: Pick<StageChange, 'reasons' | 'dueAt'> = {},
  ): Promise<void> => {
    const change: StageChange = {
      sequence: state.sequence + 1,
      from: state.stage,
      to,
      at: isoNow(),
      actor,
      reason,
      ...extra,
    };
    state.sequence = change.sequence;
    state.stage = to;
    state.history.push(change);
    changes++;
    await record({ type: 'lifecycle.stage-changed', change }, actor);
  };

  const firstSight = (eventId: string): boolean => {
    if (state.seenEvents.includes(eventId)) return false;
    state.seenEvents = [...state.seenEvents, eventId].slice(-seenEventsKept);
    return true;
  };

  const isReviewer = (sub: string) => state.seats.some((seat) => seat.reviewer === sub);
  const seatOf = (sender: Sender) => activeSeats(state).find((seat) => seat.reviewer === sender.actor.sub);

  // --- queries and signals -------------------------------------------------------------------

  setHandler(pilotQuery, () => viewOf(state));

  setHandler(withdrawSignal, (request) => {
    if (!firstSight(request.eventId) || withdrawal) return;
    withdrawal = request;
  });
  setHandler(teamAssignedSignal, (assignment) => {
    if (!firstSight(assignment.eventId)) return;
    const team = {
      teamId: assignment.teamId,
      members: assignment.members,
      assignedAt: assignment.assignedAt,
    };
    // The first complete team moves the pilot on; the same team completed anew after a member was
    // replaced only updates who is on it.
    if (state.stage === 'expert-team' && !state.team) state.team = team;
    else if (
      state.team?.teamId === team.teamId &&
      Date.parse(team.assignedAt) > Date.parse(state.team.assignedAt)
    ) {
      state.team = team;
    }
  });
  setHandler(milestoneVerifiedSignal, (verdict) => {
    if (!firstSight(verdict.eventId)) return;
    const milestone = state.milestones[verdict.milestone];
    if (!milestone || milestone.status === 'accepted') return;
    milestone.status = verdict.verdict;
    if (verdict.note !== undefined) milestone.note = verdict.note;
    changes++;
  });
  setHandler(finalReportAcceptedSignal, (acceptance) => {
    if (!firstSight(acceptance.eventId) || finalReportAccepted) return;
    finalReportAccepted = acceptance.actor;
  });
  setHandler(poolChangedSignal, () => {
    poolChanged = true;
  });

  // --- reviewers' steps ----------------------------------------------------------------------

  setHandler(
    declareConflictUpdate,
    async ({ by, conflict, statement }) => {
      const seat = seatOf(by)!;
      const at = isoNow();
      seat.declaration = { conflict, statement, at };
      await record(
        { type: 'lifecycle.conflict-declared', reviewer: seat.reviewer, conflict, statement },
        by.actor,
      );
      await io.updateReviewTask({
        pilotId,
        round: seat.round,
        reviewer: seat.reviewer,
        state: conflict ? 'vacated' : 'review',
      });
      if (conflict) {
        seat.vacated = true;
        const before = fills;
        changes++;
        // The main loop seats a replacement; the answer says who, or that the pool is short.
        await condition(() => fills > before || state.stage !== 'evaluation');
      }
      return viewOf(state);
    },
    {
      validator: ({ by }) => {
        if (state.stage !== 'evaluation')
          refuse(`conflicts are declared during evaluation, not in ${state.stage}`);
        const seat = seatOf(by);
        if (!seat) refuse(`${by.actor.sub} is not a reviewer of this pilot`);
        if (seat?.declaration) refuse('the declaration for this application is already made');
      },
    },
  );

  const reviewValidator = (stage: 'evaluation' | 'consensus') => (submission: ReviewSubmission) => {
    if (state.stage !== stage) refuse(`this step belongs to ${stage}; the pilot is in ${state.stage}`);
    const seat = seatOf(submission.by);
    if (!seat) refuse(`${submission.by.actor.sub} is not a reviewer of this pilot`);
    if (stage === 'evaluation') {
      if (!seat?.declaration)
        refuse('declare first that you have no conflict of interest with this application');
      if (seat?.review) refuse('your review is already submitted');
    } else if (state.consensus?.review) {
      refuse('the agreed scores are already submitted');
    }
    const problems = scoreProblems(state.rules?.criteria ?? [], submission.scores);
    if (problems.length > 0) {
      throw ApplicationFailure.nonRetryable('the scores do not fit the call', 'InvalidScores', problems);
    }
  };

  setHandler(
    submitReviewUpdate,
    async ({ by, scores, comment }) => {
      const seat = seatOf(by)!;
      const score = shownScore(weightedScore(state.rules!.criteria, scores));
      seat.review = { scores, ...(comment ? { comment } : {}), weightedScore: score, at: isoNow() };
      changes++;
      await record(
        {
          type: 'lifecycle.review-submitted',
          reviewer: seat.reviewer,
          weightedScore: score,
          consensus: false,
        },
        by.actor,
      );
      await io.updateReviewTask({ pilotId, round: seat.round, reviewer: seat.reviewer, state: 'done' });
      return viewOf(state);
    },
    { validator: reviewValidator('evaluation') },
  );

  setHandler(
    submitConsensusUpdate,
    async ({ by, scores, comment }) => {
      const score = shownScore(weightedScore(state.rules!.criteria, scores));
      const review = { scores, ...(comment ? { comment } : {}), weightedScore: score, at: isoNow() };
      state.consensus = { ...state.consensus!, by: by.actor.sub, review };
      changes++;
      await record(
        { type: 'lifecycle.review-submitted', reviewer: by.actor.sub, weightedScore: score, consensus: true },
        by.actor,
      );
      await condition(() => state.stage !== 'consensus');
      return viewOf(state);
    },
    { validator: reviewValidator('consensus') },
  );

  // --- approvers' steps -----------------------------------------------------------------------

  const reserveBudget = async (): Promise<void> => {
    try {
      await answered.reserveBudget({
        callId: state.application.callId,
        pilotId,
        amount: state.application.budget.requested,
        correlationId,
      });
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      const failure = cause instanceof ApplicationFailure ? cause : undefined;
      throw ApplicationFailure.nonRetryable(
        failure?.message ?? 'the calls service could not be reached to reserve the budget; try again',
        failure?.type === failureTypes.budgetRefused ? failureTypes.budgetRefused : 'BudgetUnavailable',
      );
    }
  };

  const approve = async (actor: Actor, reason: string): Promise<void> => {
    await transition('expert-team', actor, reason);
    await record(
      {
        type: 'pilot.approved',
        amount: state.application.budget.requested,
        approvedAt: isoNow(),
        ...(state.rules?.expertTeamSize ? { expertTeamSize: state.rules.expertTeamSize } : {}),
      },
      actor,
    );
  };

  setHandler(
    decideUpdate,
    async ({ by, body }: DecisionRequest) => {
      busy = true;
      try {
        if (body.decision === 'approve') await reserveBudget();
        const at = isoNow();
        const dueAt =
          body.decision === 'revise'
            ? deadlineOf(body.revisionDueBy, timing.deadlineTimeUtc)
            : body.decision === 'approve-with-conditions'
              ? deadlineOf(body.conditionsDueBy, timing.deadlineTimeUtc)
              : undefined;
        const conditions = body.decision === 'approve-with-conditions' ? body.conditions : undefined;
        state.decision = {
          approver: by.actor.sub,
          decision: body.decision,
          reasons: body.reasons,
          at,
          ...(conditions ? { conditions } : {}),
          ...(dueAt ? { dueAt } : {}),
        };
        await record(
          {
            type: 'lifecycle.decision-taken',
            approver: by.actor.sub,
            decision: body.decision,
            reasons: body.reasons,
            score: state.score ?? 0,
            ...(conditions ? { conditions } : {}),
            ...(dueAt ? { dueAt } : {}),
          },
          by.actor,
        );
        switch (body.decision) {
          case 'approve':
            await approve(by.actor, body.reasons);
            break;
          case 'approve-with-conditions':
            await transition('conditions', by.actor, body.reasons, { dueAt: dueAt! });
            break;
          case 'reject':
            await transition('rejected', by.actor, body.reasons);
            break;
          case 'revise':
            await transition('revision', by.actor, body.reasons, { dueAt: dueAt! });
            break;
        }
        return viewOf(state);
      } finally {
        busy = false;
      }
    },
    {
      validator: ({ by, body }) => {
        if (state.stage !== 'decision')
          refuse(`a decision is taken in the decision stage, not in ${state.stage}`);
        if (busy) refuse('another decision on this pilot is under way');
        if (isReviewer(by.actor.sub)) refuse('four eyes: a reviewer of this pilot may not decide on it');
        const day =
          body.decision === 'revise'
            ? body.revisionDueBy
            : body.decision === 'approve-with-conditions'
              ? body.conditionsDueBy
              : undefined;
        if (day !== undefined && Date.parse(deadlineOf(day, timing.deadlineTimeUtc)) <= now()) {
          refuse(`the deadline ${day} has passed already`);
        }
      },
    },
  );

  setHandler(
    confirmConditionsUpdate,
    async ({ by, statement }) => {
      busy = true;
      try {
        await reserveBudget();
        state.decision!.conditionsMet = { by: by.actor.sub, statement, at: isoNow() };
        await approve(by.actor, `conditions met: ${statement}`);
        return viewOf(state);
      } finally {
        busy = false;
      }
    },
    {
      validator: ({ by }) => {
        if (state.stage !== 'conditions') refuse(`there are no conditions to confirm in ${state.stage}`);
        if (busy) refuse('another step on this pilot is under way');
        if (isReviewer(by.actor.sub))
          refuse('four eyes: a reviewer of this pilot may not confirm its conditions');
      },
    },
  );

  // --- the region's resubmission ----------------------------------------------------------------

  setHandler(
    resubmitUpdate,
    async ({ by, submissionVersion, note }) => {
      busy = true;
      try {
        let submission;
        try {
          submission = await answered.loadSubmission({ pilotId, submissionVersion });
        } catch {
          throw ApplicationFailure.nonRetryable(
            `version ${submissionVersion} of this application has not been submitted: resubmit it first`,
            failureTypes.submissionNotFound,
          );
        }
        state.application = submission.application;
        state.receipt = submission.receipt;
        state.milestones = milestonesOf(submission.application, timing);
        state.round += 1;
        delete state.score;
        delete state.consensus;
        delete state.decisionDue;
        await transition(
          'eligibility',
          by.actor,
          `resubmitted as version ${submissionVersion}${note ? `: ${note}` : ''}`,
        );
        return viewOf(state);
      } finally {
        busy = false;
      }
    },
    {
      validator: ({ by, submissionVersion }) => {
        if (state.stage !== 'revision')
          refuse(`a revision is resubmitted in the revision stage, not in ${state.stage}`);
        if (busy) refuse('another step on this pilot is under way');
        if (by.region !== state.application.region) refuse('only the lead region resubmits its application');
        if (submissionVersion <= state.receipt.submissionVersion) {
          refuse(`version ${submissionVersion} is not newer than version ${state.receipt.submissionVersion}`);
        }
        if (state.decision?.dueAt && Date.parse(state.decision.dueAt) <= now()) {
          refuse('the deadline for the revision has passed');
        }
      },
    },
  );

  // --- the automatic steps ------------------------------------------------------------------------

  const waitFor = async (until: () => boolean, dueAt?: number): Promise<void> => {
    // Changes since the step began reading the state count, not only those after the wait began:
    // a milestone verified while the step awaited a reminder's record went unseen, and the pilot
    // slept until the next timer, days later.
    const seen = patched('wake-on-changes-during-step') ? stepBegan : changes;
    const stop = () =>
      changes !== seen || until() || (withdrawal !== undefined && withdrawable.includes(state.stage));
    if (dueAt === undefined) await condition(stop);
    else await condition(stop, Math.max(1, dueAt - now()));
  };

  async function checkEligibility(): Promise<void> {
    const call = await io.loadCall(state.application.callId);
    state.rules = {
      criteria: call.criteria,
      passThreshold: call.passThreshold,
      scoreTolerance: call.scoreTolerance,
      reviewersPerApplication: call.reviewersPerApplication,
      expertTeamSize: call.expertTeamSize,
    };
    const reasons = await io.checkEligibility({
      application: state.application,
      receipt: state.receipt,
      call,
    });
    if (reasons.length > 0) {
      await transition('ineligible', systemActor, `${reasons.length} eligibility rule(s) not met`, {
        reasons,
      });
    } else {
      await transition('evaluation', systemActor, 'every eligibility rule is met');
    }
  }

  async function fillSeats(): Promise<void> {
    await condition(() => !seating);
    seating = true;
    try {
      const needed = state.rules!.reviewersPerApplication - activeSeats(state).length;
      if (needed <= 0) return;
      const dueAt = new Date(now() + timing.reviewPeriodMs).toISOString();
      const conflicted = state.seats
        .filter((seat) => seat.declaration?.conflict)
        .map((seat) => seat.reviewer);
      const seated = activeSeats(state).map((seat) => seat.reviewer);
      const { chosen, missing } = await io.assignReviewers({
        pilotId,
        round: state.round,
        requestId: uuid4(),
        count: needed,
        regions: [state.application.region, ...state.application.partners],
        excluded: [...new Set([...conflicted, ...seated])],
        dueAt,
        title: state.application.title,
      });
      for (const reviewer of chosen) {
        state.seats.push({ reviewer, round: state.round, assignedAt: isoNow(), dueAt });
      }
      state.missingSeats = missing;
      if (chosen.length > 0) {
        await record({ type: 'lifecycle.reviewers-assigned', reviewers: chosen, dueAt }, systemActor);
      }
    } finally {
      seating = false;
      fills += 1;
    }
  }

  /** Reminders before a reviewer's deadline, and the escalation to the programme manager after it. */
  async function remindReviewers(): Promise<number | undefined> {
    let next: number | undefined;
    const soonest = (at: number) => (next = next === undefined ? at : Math.min(next, at));
    for (const seat of activeSeats(state).filter((s) => !s.review)) {
      const task = {
        kind: seat.declaration ? 'review' : 'declare-conflicts',
        assignee: seat.reviewer,
        dueAt: seat.dueAt,
      } as const;
      const due = Date.parse(seat.dueAt);
      const remindAt = reminderAt(due, timing.reviewReminderBeforeMs, Date.parse(seat.assignedAt));
      if (!seat.reminded) {
        if (now() >= remindAt) {
          seat.reminded = true;
          await record({ type: 'lifecycle.task-reminded', task, escalated: false }, systemActor);
        } else soonest(remindAt);
      }
      if (!seat.escalated) {
        if (now() >= due) {
          seat.escalated = true;
          await record({ type: 'lifecycle.task-reminded', task, escalated: true }, systemActor);
        } else soonest(due);
      }
    }
    return next;
  }

  /**
   * A review's score as the rules compare it: exact, from its scores. Pilots scored before exact
   * comparison existed keep comparing the rounded figure they were scored with.
   */
  const comparedScore = (review: Review): number =>
    patched('exact-scores') ? weightedScore(state.rules!.criteria, review.scores) : review.weightedScore;

  async function concludeScores(exact: number): Promise<void> {
    const score = shownScore(exact);
    state.score = score;
    const threshold = state.rules!.passThreshold;
    await io.updateReviewTask({ pilotId, round: state.round, state: 'done' });
    if (passes(exact, threshold)) {
      await transition(
        'decision',
        systemActor,
        `weighted score ${score} reaches the pass threshold of ${threshold}`,
      );
    } else {
      await transition(
        'rejected',
        systemActor,
        `weighted score ${score} is below the pass threshold of ${threshold}`,
      );
    }
  }

  async function evaluate(): Promise<void> {
    if (activeSeats(state).length < state.rules!.reviewersPerApplication) {
      await fillSeats();
      if (activeSeats(state).length < state.rules!.reviewersPerApplication) {
        poolChanged = false;
        await waitFor(() => poolChanged, now() + timing.poolRetryMs);
        return;
      }
    }
    const seats = activeSeats(state);
    if (seats.every((seat) => seat.review)) {
      const scores = seats.map((seat) => comparedScore(seat.review!));
      const { scoreTolerance } = state.rules!;
      if (needsConsensus(scores, scoreTolerance)) {
        const gap = shownScore(Math.max(...scores) - Math.min(...scores));
        state.consensus = { dueAt: new Date(now() + timing.reviewPeriodMs).toISOString() };
        await io.updateReviewTask({ pilotId, round: state.round, state: 'consensus' });
        await transition(
          'consensus',
          systemActor,
          `the reviewers' scores differ by ${gap} points, more than the tolerance of ${scoreTolerance}`,
          { dueAt: state.consensus.dueAt },
        );
      } else {
        await concludeScores(panelScore(scores));
      }
      return;
    }
    const next = await remindReviewers();
    await waitFor(() => false, next);
  }

  async function agree(): Promise<void> {
    const consensus = state.consensus!;
    if (consensus.review) {
      await concludeScores(comparedScore(consensus.review));
      return;
    }
    const due = Date.parse(consensus.dueAt);
    const remindAt = reminderAt(due, timing.reviewReminderBeforeMs, Date.parse(state.history.at(-1)!.at));
    for (const [flag, at, escalated] of [
      ['reminded', remindAt, false],
      ['escalated', due, true],
    ] as const) {
      if (!consensus[flag] && now() >= at) {
        consensus[flag] = true;
        for (const seat of activeSeats(state)) {
          await record(
            {
              type: 'lifecycle.task-reminded',
              task: { kind: 'consensus', assignee: seat.reviewer, dueAt: consensus.dueAt },
              escalated,
            },
            systemActor,
          );
        }
      }
    }
    const next = !consensus.reminded ? remindAt : !consensus.escalated ? due : undefined;
    await waitFor(() => consensus.review !== undefined, next);
  }

  /** Waits for the approvers; tells the programme manager once when the decision is late. */
  async function awaitDecision(): Promise<void> {
    const entered = Date.parse(state.history.at(-1)!.at);
    state.decisionDue ??= {
      dueAt: new Date(entered + (timing.decisionPeriodMs ?? defaultDecisionPeriodMs)).toISOString(),
      escalated: false,
    };
    const due = Date.parse(state.decisionDue.dueAt);
    if (!state.decisionDue.escalated && now() >= due && !busy) {
      state.decisionDue.escalated = true;
      await record(
        {
          type: 'lifecycle.task-reminded',
          task: { kind: 'decide', assignee: 'approver', dueAt: state.decisionDue.dueAt },
          escalated: true,
        },
        systemActor,
      );
    }
    await waitFor(() => state.stage !== 'decision' && !busy, state.decisionDue.escalated ? undefined : due);
  }

  /** Waits for a step with a deadline (conditions, revision); lapses the pilot after it. */
  async function awaitDeadline(stage: 'conditions' | 'revision'): Promise<void> {
    const due = Date.parse(state.decision!.dueAt!);
    await waitFor(() => state.stage !== stage, due);
    await condition(() => !busy);
    if (state.stage === stage && now() >= due) {
      await transition(
        'lapsed',
        systemActor,
        stage === 'revision'
          ? `no revision was resubmitted by ${state.decision!.dueAt}`
          : `the conditions were not confirmed by ${state.decision!.dueAt}`,
      );
    }
  }

  async function implement(): Promise<void> {
    const open = state.milestones.filter((m) => m.status !== 'accepted');
    if (open.length === 0) {
      await transition('final-report', systemActor, 'every milestone of the work plan is accepted');
      return;
    }
    let next: number | undefined;
    const soonest = (at: number) => (next = next === undefined ? at : Math.min(next, at));
    for (const milestone of open) {
      const due = Date.parse(milestone.dueAt);
      const remindAt = reminderAt(due, timing.milestoneReminderBeforeMs, 0);
      if (!milestone.reminded) {
        if (now() >= remindAt) {
          milestone.reminded = true;
          await record(
            {
              type: 'lifecycle.task-reminded',
              task: {
                kind: 'milestone-report',
                assignee: state.application.region,
                dueAt: milestone.dueAt,
                milestone: milestone.index,
              },
              escalated: false,
            },
            systemActor,
          );
        } else soonest(remindAt);
      }
      if (!milestone.overdue) {
        if (now() >= due) {
          milestone.overdue = true;
          await record(
            {
              type: 'lifecycle.milestone-overdue',
              milestone: milestone.index,
              title: milestone.title,
              dueDate: milestone.dueDate,
            },
            systemActor,
          );
        } else soonest(due);
      }
    }
    await waitFor(() => false, next);
  }

  async function takeWithdrawal(): Promise<boolean> {
    if (!withdrawal || !withdrawable.includes(state.stage)) return false;
    await condition(() => !busy);
    if (!withdrawable.includes(state.stage)) return false;
    await transition('withdrawn', withdrawal.actor, withdrawal.reason ?? 'withdrawn by the region');
    await io.updateReviewTask({ pilotId, round: state.round, state: 'done' });
    return true;
  }

  // --- the main loop ------------------------------------------------------------------------------

  if (!input.carried) {
    await record({ type: 'lifecycle.stage-changed', change: state.history[0]! }, systemActor);
  }
  while (!finalStages.includes(state.stage)) {
    stepBegan = changes;
    if (await takeWithdrawal()) break;
    switch (state.stage) {
      case 'submitted':
        await transition('eligibility', systemActor, 'the eligibility checks start');
        break;
      case 'eligibility':
        await checkEligibility();
        break;
      case 'evaluation':
        await evaluate();
        break;
      case 'consensus':
        await agree();
        break;
      case 'decision':
        // Pilots that were waiting for a decision before its deadline existed keep waiting without one.
        if (patched('decision-escalation')) await awaitDecision();
        else await waitFor(() => state.stage !== 'decision' && !busy);
        break;
      case 'conditions':
      case 'revision':
        await awaitDeadline(state.stage);
        break;
      case 'expert-team':
        await condition(() => state.team !== undefined);
        await transition('implementation', systemActor, `expert team ${state.team!.teamId} assigned`);
        // A pilot runs for years from here: its history starts afresh.
        await recording;
        await condition(allHandlersFinished);
        await continueAsNew<typeof pilot>({ ...input, carried: state });
        break;
      case 'implementation':
        await implement();
        break;
      case 'final-report':
        await condition(() => finalReportAccepted !== undefined);
        await transition('closed', finalReportAccepted!, 'the final report is accepted');
        break;
      default:
        refuse(`no step for stage ${state.stage}`);
    }
  }
  await recording;
  await condition(allHandlersFinished);
  return viewOf(state);
}

function initialStateOf(input: PilotInput): PilotState {
  const { application, receipt, timing } = input;
  return {
    pilotId: application.id,
    stage: 'submitted',
    sequence: 1,
    history: [
      {
        sequence: 1,
        from: null,
        to: 'submitted',
        at: receipt.submittedAt,
        actor: systemActor,
        reason: `submitted as version ${receipt.submissionVersion} (${receipt.contentHash})`,
      },
    ],
    application,
    receipt,
    round: 1,
    seats: [],
    missingSeats: 0,
    milestones: milestonesOf(application, timing),
    seenEvents: [],
  };
}

function milestonesOf(application: PilotInput['application'], timing: PilotTiming): MilestoneState[] {
  return application.workPlan.map((milestone, index) => ({
    index,
    title: milestone.title,
    dueDate: milestone.dueDate,
    dueAt: deadlineOf(milestone.dueDate, timing.deadlineTimeUtc),
    status: 'planned',
    reminded: false,
    overdue: false,
  }));
}
