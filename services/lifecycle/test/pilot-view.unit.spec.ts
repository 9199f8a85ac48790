import type { PilotStage, SubmittedApplication } from '@s3p/contracts';
import { pilotStage } from '@s3p/contracts';
import type { MilestoneState, PilotState, Review, Seat } from '../src/workflows/messages';
import { activeSeats, pendingTasks, viewOf } from '../src/workflows/pilot-view';

const application: SubmittedApplication = {
  id: 'app-1',
  callId: 'call-2025-ip',
  pilotType: 'interregional-partnership',
  region: 'BG41',
  partners: ['EL30', 'ES11'],
  title: 'Circular manufacturing along the Struma corridor',
  s3Strategy: {
    contextAnalysis: 'Manufacturing employs a third of the workforce.',
    governance: 'A regional innovation council.',
    sharedVision: 'A low-carbon manufacturing region by 2030.',
    priorities: 'Advanced manufacturing and the circular economy.',
    policyMix: 'Vouchers, skills academies and an investment fund.',
    monitoring: 'Yearly indicators reviewed by the council.',
  },
  priorityDomains: [{ kind: 'economic', naceSection: 'C' }],
  requestedSupport: ['interregional-value-chains'],
  supportDescription: 'Help to build a shared value chain for recycled materials.',
  budget: { total: 400_000_00, requested: 250_000_00 },
  workPlan: [
    { title: 'Value-chain mapping', dueDate: '2025-12-31', deliverables: ['A map'] },
    { title: 'Pilot plant', dueDate: '2026-06-30', deliverables: ['A plant'] },
    { title: 'Evaluation', dueDate: '2026-12-31', deliverables: ['A report'] },
  ],
};

const review = (weightedScore: number): Review => ({
  scores: [{ criterionId: 'relevance', score: 4 }],
  weightedScore,
  at: '2025-07-20T10:00:00.000Z',
});

const declared = (conflict = false) => ({
  conflict,
  statement: conflict ? 'I advised the lead region in 2024.' : 'No conflict.',
  at: '2025-07-05T09:00:00.000Z',
});

function seat(reviewer: string, extra: Partial<Seat> = {}): Seat {
  return {
    reviewer,
    round: 1,
    assignedAt: '2025-07-01T08:00:00.000Z',
    dueAt: '2025-07-31T08:00:00.000Z',
    ...extra,
  };
}

function milestone(index: number, status: MilestoneState['status']): MilestoneState {
  const dueDate = application.workPlan[index]!.dueDate;
  return {
    index,
    title: application.workPlan[index]!.title,
    dueDate,
    dueAt: `${dueDate}T23:59:59.000Z`,
    status,
    reminded: false,
    overdue: false,
  };
}

function stateOf(overrides: Partial<PilotState> = {}): PilotState {
  return {
    pilotId: 'app-1',
    stage: 'evaluation',
    sequence: 3,
    history: [
      {
        sequence: 1,
        from: null,
        to: 'submitted',
        at: '2025-06-01T10:00:00.000Z',
        actor: { kind: 'system', name: 'lifecycle' },
        reason: 'submitted',
      },
      {
        sequence: 2,
        from: 'submitted',
        to: 'eligibility',
        at: '2025-06-01T10:00:01.000Z',
        actor: { kind: 'system', name: 'lifecycle' },
        reason: 'checking eligibility',
      },
      {
        sequence: 3,
        from: 'eligibility',
        to: 'evaluation',
        at: '2025-06-01T10:00:02.000Z',
        actor: { kind: 'system', name: 'lifecycle' },
        reason: 'every eligibility rule is met',
      },
    ],
    application,
    receipt: {
      applicationId: 'app-1',
      submissionVersion: 1,
      contentHash: 'a'.repeat(64),
      submittedAt: '2025-06-01T10:00:00.000Z',
    },
    rules: {
      criteria: [{ id: 'relevance', name: 'Relevance', weight: 100, maxScore: 5 }],
      passThreshold: 65,
      scoreTolerance: 15,
      reviewersPerApplication: 3,
    },
    round: 1,
    seats: [],
    missingSeats: 0,
    milestones: application.workPlan.map((_, index) => milestone(index, 'planned')),
    seenEvents: [],
    ...overrides,
  };
}

describe('activeSeats', () => {
  it("keeps the current round's seats that are not vacated", () => {
    const seats = [
      seat('r-old', { round: 1, review: review(60) }),
      seat('r-gone', { round: 2, declaration: declared(true), vacated: true }),
      seat('r-a', { round: 2 }),
      seat('r-b', { round: 2, declaration: declared() }),
    ];
    expect(activeSeats(stateOf({ round: 2, seats })).map((s) => s.reviewer)).toEqual(['r-a', 'r-b']);
  });

  it('is empty before any seat is filled', () => {
    expect(activeSeats(stateOf())).toEqual([]);
  });
});

describe('pendingTasks', () => {
  describe('in evaluation', () => {
    it('asks a seated reviewer who has not declared to declare its conflicts, by its deadline', () => {
      expect(pendingTasks(stateOf({ seats: [seat('r-de')] }))).toEqual([
        { kind: 'declare-conflicts', assignee: 'r-de', dueAt: '2025-07-31T08:00:00.000Z' },
      ]);
    });

    it('asks a reviewer who declared no conflict for its review', () => {
      expect(pendingTasks(stateOf({ seats: [seat('r-de', { declaration: declared() })] }))).toEqual([
        { kind: 'review', assignee: 'r-de', dueAt: '2025-07-31T08:00:00.000Z' },
      ]);
    });

    it('asks nothing more of a reviewer whose review is in', () => {
      expect(
        pendingTasks(stateOf({ seats: [seat('r-de', { declaration: declared(), review: review(70) })] })),
      ).toEqual([]);
    });

    it('gives one task per seat, each with its own kind and deadline', () => {
      const seats = [
        seat('r-de', { declaration: declared(), review: review(70) }),
        seat('r-it', { declaration: declared() }),
        seat('r-pl', { dueAt: '2025-08-15T08:00:00.000Z' }),
      ];
      expect(pendingTasks(stateOf({ seats }))).toEqual([
        { kind: 'review', assignee: 'r-it', dueAt: '2025-07-31T08:00:00.000Z' },
        { kind: 'declare-conflicts', assignee: 'r-pl', dueAt: '2025-08-15T08:00:00.000Z' },
      ]);
    });

    it('ignores a vacated seat', () => {
      const seats = [seat('r-de', { declaration: declared(true), vacated: true }), seat('r-se')];
      expect(pendingTasks(stateOf({ seats }))).toEqual([
        { kind: 'declare-conflicts', assignee: 'r-se', dueAt: '2025-07-31T08:00:00.000Z' },
      ]);
    });

    it("ignores an earlier round's seats, reviewed or not", () => {
      const seats = [
        seat('r-de', { round: 1, declaration: declared() }),
        seat('r-it', { round: 1 }),
        seat('r-pl', { round: 2, dueAt: '2026-02-01T08:00:00.000Z' }),
      ];
      expect(pendingTasks(stateOf({ round: 2, seats }))).toEqual([
        { kind: 'declare-conflicts', assignee: 'r-pl', dueAt: '2026-02-01T08:00:00.000Z' },
      ]);
    });

    it('has no task while no seat is filled', () => {
      expect(pendingTasks(stateOf({ missingSeats: 3 }))).toEqual([]);
    });
  });

  describe('in consensus', () => {
    const seats = [
      seat('r-de', { declaration: declared(), review: review(55) }),
      seat('r-gone', { declaration: declared(true), vacated: true }),
      seat('r-it', { declaration: declared(), review: review(80) }),
    ];

    it("asks every active seat for the panel's agreed scores, by the consensus deadline", () => {
      const consensus = { dueAt: '2025-08-31T08:00:00.000Z' };
      expect(pendingTasks(stateOf({ stage: 'consensus', seats, consensus }))).toEqual([
        { kind: 'consensus', assignee: 'r-de', dueAt: '2025-08-31T08:00:00.000Z' },
        { kind: 'consensus', assignee: 'r-it', dueAt: '2025-08-31T08:00:00.000Z' },
      ]);
    });

    it('gives no deadline when none is set', () => {
      expect(pendingTasks(stateOf({ stage: 'consensus', seats }))).toEqual([
        { kind: 'consensus', assignee: 'r-de' },
        { kind: 'consensus', assignee: 'r-it' },
      ]);
    });

    it("ignores an earlier round's seats", () => {
      const rounds = [
        seat('r-old', { round: 1, review: review(90) }),
        seat('r-new', { round: 2, review: review(50) }),
      ];
      expect(
        pendingTasks(stateOf({ stage: 'consensus', round: 2, seats: rounds })).map((t) => t.assignee),
      ).toEqual(['r-new']);
    });
  });

  describe('in decision', () => {
    it('asks an approver to decide, by the decision deadline', () => {
      const decisionDue = { dueAt: '2025-09-15T08:00:00.000Z', escalated: false };
      expect(pendingTasks(stateOf({ stage: 'decision', decisionDue }))).toEqual([
        { kind: 'decide', assignee: 'approver', dueAt: '2025-09-15T08:00:00.000Z' },
      ]);
    });

    it('gives no deadline to a pilot started before decisions had one', () => {
      expect(pendingTasks(stateOf({ stage: 'decision' }))).toEqual([
        { kind: 'decide', assignee: 'approver' },
      ]);
    });
  });

  describe('in conditions', () => {
    it('asks an approver to confirm the conditions, by their due date', () => {
      const decision = {
        approver: 'a-1',
        decision: 'approve-with-conditions' as const,
        reasons: 'Sound, once the partnership agreement is signed.',
        at: '2025-09-01T08:00:00.000Z',
        conditions: ['Sign the partnership agreement'],
        dueAt: '2025-10-31T23:59:59.000Z',
      };
      expect(pendingTasks(stateOf({ stage: 'conditions', decision }))).toEqual([
        { kind: 'confirm-conditions', assignee: 'approver', dueAt: '2025-10-31T23:59:59.000Z' },
      ]);
    });

    it('gives no deadline when the decision has none', () => {
      expect(pendingTasks(stateOf({ stage: 'conditions' }))).toEqual([
        { kind: 'confirm-conditions', assignee: 'approver' },
      ]);
    });
  });

  describe('in revision', () => {
    it('asks the lead region, not a partner, to resubmit by the revision date', () => {
      const decision = {
        approver: 'a-1',
        decision: 'revise' as const,
        reasons: 'The work plan needs milestones with deliverables.',
        at: '2025-09-01T08:00:00.000Z',
        dueAt: '2025-11-30T23:59:59.000Z',
      };
      expect(pendingTasks(stateOf({ stage: 'revision', decision }))).toEqual([
        { kind: 'resubmit', assignee: 'BG41', dueAt: '2025-11-30T23:59:59.000Z' },
      ]);
    });

    it('gives no deadline when the decision has none', () => {
      expect(pendingTasks(stateOf({ stage: 'revision' }))).toEqual([{ kind: 'resubmit', assignee: 'BG41' }]);
    });
  });

  describe('in expert-team', () => {
    it('asks a programme manager to have a team assigned, without a deadline', () => {
      expect(pendingTasks(stateOf({ stage: 'expert-team' }))).toEqual([
        { kind: 'assign-expert-team', assignee: 'programme-manager' },
      ]);
    });
  });

  describe('in implementation', () => {
    it('asks the lead region for a report on every milestone not accepted, by its due time', () => {
      expect(pendingTasks(stateOf({ stage: 'implementation' }))).toEqual([
        { kind: 'milestone-report', assignee: 'BG41', dueAt: '2025-12-31T23:59:59.000Z', milestone: 0 },
        { kind: 'milestone-report', assignee: 'BG41', dueAt: '2026-06-30T23:59:59.000Z', milestone: 1 },
        { kind: 'milestone-report', assignee: 'BG41', dueAt: '2026-12-31T23:59:59.000Z', milestone: 2 },
      ]);
    });

    it('keeps a rejected milestone pending and drops an accepted one', () => {
      const milestones = [milestone(0, 'accepted'), milestone(1, 'rejected'), milestone(2, 'planned')];
      expect(pendingTasks(stateOf({ stage: 'implementation', milestones }))).toEqual([
        { kind: 'milestone-report', assignee: 'BG41', dueAt: '2026-06-30T23:59:59.000Z', milestone: 1 },
        { kind: 'milestone-report', assignee: 'BG41', dueAt: '2026-12-31T23:59:59.000Z', milestone: 2 },
      ]);
    });

    it('keeps an overdue milestone pending', () => {
      const milestones = [{ ...milestone(0, 'planned'), overdue: true, reminded: true }];
      expect(pendingTasks(stateOf({ stage: 'implementation', milestones }))).toEqual([
        { kind: 'milestone-report', assignee: 'BG41', dueAt: '2025-12-31T23:59:59.000Z', milestone: 0 },
      ]);
    });

    it('has no task once every milestone is accepted', () => {
      const milestones = [0, 1, 2].map((index) => milestone(index, 'accepted'));
      expect(pendingTasks(stateOf({ stage: 'implementation', milestones }))).toEqual([]);
    });
  });

  describe('in final-report', () => {
    it('asks the lead region for the final report', () => {
      expect(pendingTasks(stateOf({ stage: 'final-report' }))).toEqual([
        { kind: 'final-report', assignee: 'BG41' },
      ]);
    });
  });

  describe('in a stage where nobody has to act', () => {
    it.each(['submitted', 'eligibility', 'ineligible', 'rejected', 'lapsed', 'closed', 'withdrawn'] as const)(
      '%s has no task, whatever the seats and milestones say',
      (stage) => {
        const seats = [seat('r-de'), seat('r-it', { declaration: declared() })];
        expect(
          pendingTasks(stateOf({ stage, seats, consensus: { dueAt: '2025-08-31T08:00:00.000Z' } })),
        ).toEqual([]);
      },
    );

    it('covers every stage of the contract with one of the cases above', () => {
      const covered: PilotStage[] = [
        'evaluation',
        'consensus',
        'decision',
        'conditions',
        'revision',
        'expert-team',
        'implementation',
        'final-report',
        'submitted',
        'eligibility',
        'ineligible',
        'rejected',
        'lapsed',
        'closed',
        'withdrawn',
      ];
      expect([...covered].sort()).toEqual([...pilotStage.options].sort());
    });
  });
});

describe('viewOf', () => {
  it('shows the facts of the application and where the pilot stands', () => {
    const seats = [seat('r-de', { declaration: declared() })];
    const state = stateOf({ seats });
    expect(viewOf(state)).toEqual({
      pilotId: 'app-1',
      callId: 'call-2025-ip',
      pilotType: 'interregional-partnership',
      region: 'BG41',
      partners: ['EL30', 'ES11'],
      title: 'Circular manufacturing along the Struma corridor',
      stage: 'evaluation',
      submissionVersion: 1,
      round: 1,
      history: state.history,
      pendingTasks: [{ kind: 'review', assignee: 'r-de', dueAt: '2025-07-31T08:00:00.000Z' }],
      seats,
      passThreshold: 65,
      milestones: state.milestones,
    });
  });

  it('leaves out what the pilot does not have yet', () => {
    const view = viewOf(stateOf({ rules: undefined }));
    for (const key of ['consensus', 'score', 'passThreshold', 'decision', 'team']) {
      expect(view).not.toHaveProperty(key);
    }
  });

  it('shows the submission version of the latest receipt', () => {
    const state = stateOf();
    expect(viewOf({ ...state, receipt: { ...state.receipt, submissionVersion: 2 } }).submissionVersion).toBe(
      2,
    );
  });

  it('shows every seat, of every round, vacated or not', () => {
    const seats = [
      seat('r-old', { round: 1, review: review(60) }),
      seat('r-gone', { round: 2, declaration: declared(true), vacated: true }),
      seat('r-new', { round: 2 }),
    ];
    expect(viewOf(stateOf({ round: 2, seats })).seats).toEqual(seats);
  });

  it('shows the consensus, the score, the decision and the team once there', () => {
    const consensus = { by: 'r-de', review: review(72), dueAt: '2025-08-31T08:00:00.000Z' };
    const decision = {
      approver: 'a-1',
      decision: 'approve' as const,
      reasons: 'A convincing plan.',
      at: '2025-09-01T08:00:00.000Z',
    };
    const team = {
      teamId: 'team-1',
      members: [{ expertId: 'x-1', country: 'FI' as const, lead: true }],
      assignedAt: '2025-09-20T08:00:00.000Z',
    };
    const view = viewOf(stateOf({ stage: 'implementation', consensus, score: 72, decision, team }));
    expect(view).toMatchObject({ consensus, score: 72, decision, team, passThreshold: 65 });
    expect(view.pendingTasks).toHaveLength(3);
  });

  it('shows a score of zero', () => {
    expect(viewOf(stateOf({ stage: 'rejected', score: 0 })).score).toBe(0);
  });
});
