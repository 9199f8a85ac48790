import type { Principal, Role } from '@s3p/service-kit';
import { mayReadContent, maySee, visiblePilot } from '../src/http/pilot-access';
import type { PilotView, Review, Seat } from '../src/workflows/messages';

const review = (weightedScore: number): Review => ({
  scores: [
    { criterionId: 'relevance', score: 4, comment: 'Well argued.' },
    { criterionId: 'quality', score: 3 },
  ],
  comment: 'A solid plan.',
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

function pilotOf(overrides: Partial<PilotView> = {}): PilotView {
  return {
    pilotId: 'app-1',
    callId: 'call-2025-ip',
    pilotType: 'interregional-partnership',
    region: 'BG41',
    partners: ['EL30', 'ES11'],
    title: 'Circular manufacturing along the Struma corridor',
    stage: 'evaluation',
    submissionVersion: 1,
    round: 1,
    history: [
      {
        sequence: 1,
        from: null,
        to: 'submitted',
        at: '2025-06-01T10:00:00.000Z',
        actor: { kind: 'system', name: 'lifecycle' },
        reason: 'submitted',
      },
    ],
    pendingTasks: [],
    seats: [],
    passThreshold: 65,
    milestones: [],
    ...overrides,
  };
}

const as = (sub: string, roles: Role[], region?: string): Principal => ({
  sub,
  roles,
  ...(region ? { region } : {}),
});

const lead = as('u-sofia', ['region'], 'BG41');
const partner = as('u-athens', ['region'], 'EL30');
const otherRegion = as('u-warsaw', ['region'], 'PL91');
const commission: Principal[] = [
  as('u-pm', ['programme-manager']),
  as('u-approver', ['approver']),
  as('u-auditor', ['auditor']),
  as('svc-reporting', ['service']),
];

/** Evaluation under way: r-de has reviewed, r-it declared, r-pl not yet; r-fr left on a conflict. */
const evaluating = pilotOf({
  seats: [
    seat('r-de', { declaration: declared(), review: review(75.25), reminded: true }),
    seat('r-fr', { declaration: declared(true), vacated: true }),
    seat('r-it', { declaration: declared() }),
    seat('r-pl', { dueAt: '2025-08-05T08:00:00.000Z' }),
  ],
  pendingTasks: [
    { kind: 'review', assignee: 'r-it', dueAt: '2025-07-31T08:00:00.000Z' },
    { kind: 'declare-conflicts', assignee: 'r-pl', dueAt: '2025-08-05T08:00:00.000Z' },
  ],
});

const reviewerIds = ['r-de', 'r-fr', 'r-it', 'r-pl'];

describe('maySee', () => {
  it.each(commission.map((p) => [p.roles[0], p] as const))(
    'lets the %s see every pilot',
    (_role, principal) => {
      expect(maySee(principal, evaluating)).toBe(true);
      expect(maySee(principal, pilotOf({ region: 'SE33', partners: [] }))).toBe(true);
    },
  );

  it('lets the lead region see its pilot', () => {
    expect(maySee(lead, evaluating)).toBe(true);
  });

  it('lets a partner region see the pilot', () => {
    expect(maySee(partner, evaluating)).toBe(true);
    expect(maySee(as('u-galicia', ['region'], 'ES11'), evaluating)).toBe(true);
  });

  it('hides the pilot from another region', () => {
    expect(maySee(otherRegion, evaluating)).toBe(false);
  });

  it('hides the pilot from another region of the same member state', () => {
    expect(maySee(as('u-plovdiv', ['region'], 'BG42'), evaluating)).toBe(false);
  });

  it('hides the pilot from a region user whose token names no region', () => {
    expect(maySee(as('u-sofia', ['region']), evaluating)).toBe(false);
  });

  it('does not take a region claim without the region role', () => {
    expect(maySee(as('u-sofia', ['expert'], 'BG41'), evaluating)).toBe(false);
  });

  it('lets a seated reviewer see the pilot', () => {
    expect(maySee(as('r-pl', ['reviewer']), evaluating)).toBe(true);
  });

  it('hides the pilot from a reviewer not seated on it', () => {
    expect(maySee(as('r-se', ['reviewer']), evaluating)).toBe(false);
  });

  it('does not take a seat for the pilot without the reviewer role', () => {
    expect(maySee(as('r-pl', ['expert']), evaluating)).toBe(false);
  });

  it('lets an expert of the pilot team see the pilot', () => {
    const team = {
      teamId: 'team-1',
      members: [
        { expertId: 'x-fi', country: 'FI' as const, lead: true },
        { expertId: 'x-nl', country: 'NL' as const, lead: false },
      ],
      assignedAt: '2025-09-20T08:00:00.000Z',
    };
    const pilot = pilotOf({ stage: 'implementation', team });
    expect(maySee(as('x-nl', ['expert']), pilot)).toBe(true);
    expect(maySee(as('x-fi', ['expert']), pilot)).toBe(true);
  });

  it('hides the pilot from an expert not on its team, or before there is a team', () => {
    const team = {
      teamId: 'team-1',
      members: [{ expertId: 'x-fi', country: 'FI' as const, lead: true }],
      assignedAt: '2025-09-20T08:00:00.000Z',
    };
    expect(maySee(as('x-nl', ['expert']), pilotOf({ team }))).toBe(false);
    expect(maySee(as('x-fi', ['expert']), pilotOf())).toBe(false);
  });

  it('does not take a team seat without the expert role', () => {
    const team = {
      teamId: 'team-1',
      members: [{ expertId: 'x-fi', country: 'FI' as const, lead: true }],
      assignedAt: '2025-09-20T08:00:00.000Z',
    };
    expect(maySee(as('x-fi', ['reviewer']), pilotOf({ team }))).toBe(false);
  });
});

describe('visiblePilot', () => {
  describe('to the Commission', () => {
    it.each(commission.map((p) => [p.roles[0], p] as const))(
      'shows the %s everything',
      (_role, principal) => {
        expect(visiblePilot(principal, evaluating)).toBe(evaluating);
      },
    );
  });

  describe('to a region', () => {
    it('replaces every reviewer by its position and drops what reviewers wrote', () => {
      expect(visiblePilot(lead, evaluating).seats).toEqual([
        {
          reviewer: 'reviewer-1',
          round: 1,
          assignedAt: '2025-07-01T08:00:00.000Z',
          dueAt: '2025-07-31T08:00:00.000Z',
          reminded: true,
        },
        {
          reviewer: 'reviewer-2',
          round: 1,
          assignedAt: '2025-07-01T08:00:00.000Z',
          dueAt: '2025-07-31T08:00:00.000Z',
          vacated: true,
        },
        {
          reviewer: 'reviewer-3',
          round: 1,
          assignedAt: '2025-07-01T08:00:00.000Z',
          dueAt: '2025-07-31T08:00:00.000Z',
        },
        {
          reviewer: 'reviewer-4',
          round: 1,
          assignedAt: '2025-07-01T08:00:00.000Z',
          dueAt: '2025-08-05T08:00:00.000Z',
        },
      ]);
    });

    it("shows reviewers' tasks as the reviewer's, with their deadlines", () => {
      expect(visiblePilot(lead, evaluating).pendingTasks).toEqual([
        { kind: 'review', assignee: 'reviewer', dueAt: '2025-07-31T08:00:00.000Z' },
        { kind: 'declare-conflicts', assignee: 'reviewer', dueAt: '2025-08-05T08:00:00.000Z' },
      ]);
    });

    it('never names a reviewer anywhere in what it shows, nor any review or declaration', () => {
      for (const region of [lead, partner]) {
        const shown = JSON.stringify(visiblePilot(region, evaluating));
        for (const id of reviewerIds) expect(shown).not.toContain(id);
        expect(shown).not.toContain('A solid plan.');
        expect(shown).not.toContain('Well argued.');
        expect(shown).not.toContain('75.25');
        expect(shown).not.toContain('I advised the lead region');
        expect(shown).not.toContain('No conflict.');
      }
    });

    it('keeps only the deadline of the consensus, not who agreed nor what', () => {
      const pilot = pilotOf({
        stage: 'decision',
        seats: [seat('r-de', { review: review(55) }), seat('r-it', { review: review(80) })],
        consensus: {
          by: 'r-it',
          review: review(68),
          dueAt: '2025-08-31T08:00:00.000Z',
          reminded: true,
          escalated: false,
        },
        score: 68,
        pendingTasks: [{ kind: 'decide', assignee: 'approver', dueAt: '2025-09-15T08:00:00.000Z' }],
      });
      const shown = visiblePilot(partner, pilot);
      expect(shown.consensus).toEqual({ dueAt: '2025-08-31T08:00:00.000Z' });
      expect(shown.score).toBe(68);
      expect(JSON.stringify(shown)).not.toMatch(/r-it|r-de/);
    });

    it('shows no consensus when there is none', () => {
      expect(visiblePilot(lead, evaluating)).not.toHaveProperty('consensus');
    });

    it('hides the reviewers of the consensus step too', () => {
      const pilot = pilotOf({
        stage: 'consensus',
        seats: [seat('r-de', { review: review(55) }), seat('r-it', { review: review(80) })],
        consensus: { dueAt: '2025-08-31T08:00:00.000Z' },
        pendingTasks: [
          { kind: 'consensus', assignee: 'r-de', dueAt: '2025-08-31T08:00:00.000Z' },
          { kind: 'consensus', assignee: 'r-it', dueAt: '2025-08-31T08:00:00.000Z' },
        ],
      });
      expect(visiblePilot(lead, pilot).pendingTasks).toEqual([
        { kind: 'consensus', assignee: 'reviewer', dueAt: '2025-08-31T08:00:00.000Z' },
        { kind: 'consensus', assignee: 'reviewer', dueAt: '2025-08-31T08:00:00.000Z' },
      ]);
    });

    it("leaves other people's tasks as they are", () => {
      const tasks = [
        { kind: 'resubmit' as const, assignee: 'BG41', dueAt: '2025-11-30T23:59:59.000Z' },
        { kind: 'decide' as const, assignee: 'approver' },
        { kind: 'assign-expert-team' as const, assignee: 'programme-manager' },
        {
          kind: 'milestone-report' as const,
          assignee: 'BG41',
          dueAt: '2025-12-31T23:59:59.000Z',
          milestone: 0,
        },
      ];
      const pilot = pilotOf({
        stage: 'revision',
        seats: [seat('r-de', { review: review(60) })],
        pendingTasks: tasks,
      });
      expect(visiblePilot(lead, pilot).pendingTasks).toEqual(tasks);
    });

    it('keeps the rest of the pilot: stage, history, score, threshold, decision, milestones', () => {
      const decision = {
        approver: 'u-approver',
        decision: 'revise' as const,
        reasons: 'The work plan needs milestones with deliverables.',
        at: '2025-09-01T08:00:00.000Z',
        dueAt: '2025-11-30T23:59:59.000Z',
      };
      const pilot = pilotOf({
        stage: 'revision',
        score: 70,
        decision,
        seats: [seat('r-de', { review: review(70) })],
      });
      const { seats: _seats, ...rest } = pilot;
      expect(visiblePilot(lead, pilot)).toMatchObject(rest);
    });

    it('does not change the pilot it is given', () => {
      const before = JSON.stringify(evaluating);
      visiblePilot(lead, evaluating);
      expect(JSON.stringify(evaluating)).toBe(before);
    });
  });

  describe('to a reviewer', () => {
    it("shows its own seat whole and the others' anonymised while its review is not in", () => {
      const shown = visiblePilot(as('r-it', ['reviewer']), evaluating);
      expect(shown.seats).toEqual([
        {
          reviewer: 'reviewer-1',
          round: 1,
          assignedAt: '2025-07-01T08:00:00.000Z',
          dueAt: '2025-07-31T08:00:00.000Z',
          reminded: true,
        },
        {
          reviewer: 'reviewer-2',
          round: 1,
          assignedAt: '2025-07-01T08:00:00.000Z',
          dueAt: '2025-07-31T08:00:00.000Z',
          vacated: true,
        },
        evaluating.seats[2],
        {
          reviewer: 'reviewer-4',
          round: 1,
          assignedAt: '2025-07-01T08:00:00.000Z',
          dueAt: '2025-08-05T08:00:00.000Z',
        },
      ]);
    });

    it("never shows another reviewer's score before its own review is in (no anchoring)", () => {
      for (const sub of ['r-it', 'r-pl']) {
        const shown = visiblePilot(as(sub, ['reviewer']), evaluating);
        expect(shown.seats.filter((s) => s.review)).toEqual([]);
        expect(JSON.stringify(shown.seats)).not.toContain('75.25');
      }
    });

    it('shows every seat as it is once its own review is in', () => {
      const shown = visiblePilot(as('r-de', ['reviewer']), evaluating);
      expect(shown.seats).toEqual(evaluating.seats);
    });

    it("shows the others' reviews to a reviewer whose review is in", () => {
      const pilot = pilotOf({
        stage: 'consensus',
        seats: [seat('r-de', { review: review(55) }), seat('r-it', { review: review(80) })],
        consensus: { dueAt: '2025-08-31T08:00:00.000Z' },
      });
      expect(visiblePilot(as('r-de', ['reviewer']), pilot).seats.map((s) => s.review?.weightedScore)).toEqual(
        [55, 80],
      );
    });

    it("shows a reviewer who left on a conflict only the others' anonymised seats", () => {
      const shown = visiblePilot(as('r-fr', ['reviewer']), evaluating);
      expect(shown.seats[1]).toEqual(evaluating.seats[1]);
      expect(shown.seats.filter((s) => s.review)).toEqual([]);
      expect(shown.seats.map((s) => s.reviewer)).toEqual(['reviewer-1', 'r-fr', 'reviewer-3', 'reviewer-4']);
    });

    it('keeps the rest of the pilot as it is', () => {
      const { seats: _seats, pendingTasks: _tasks, ...rest } = evaluating;
      expect(visiblePilot(as('r-pl', ['reviewer']), evaluating)).toMatchObject(rest);
    });

    it('does not name the other reviewers in the pending tasks before its review is in', () => {
      expect(visiblePilot(as('r-pl', ['reviewer']), evaluating).pendingTasks).toEqual([
        { kind: 'review', assignee: 'reviewer', dueAt: '2025-07-31T08:00:00.000Z' },
        { kind: 'declare-conflicts', assignee: 'r-pl', dueAt: '2025-08-05T08:00:00.000Z' },
      ]);
      expect(visiblePilot(as('r-de', ['reviewer']), evaluating).pendingTasks).toEqual(
        evaluating.pendingTasks,
      );
    });

    it('is not unlocked by a review of an earlier round, nor by a review from a vacated seat', () => {
      const resubmitted = pilotOf({
        submissionVersion: 2,
        round: 2,
        seats: [
          seat('r-de', { round: 1, declaration: declared(), review: review(60) }),
          seat('r-it', { round: 1, declaration: declared(), review: review(62) }),
          seat('r-de', { round: 2 }),
          seat('r-it', { round: 2, declaration: declared(), review: review(70) }),
        ],
      });
      const shown = visiblePilot(as('r-de', ['reviewer']), resubmitted);
      expect(shown.seats.map((s) => s.reviewer)).toEqual(['r-de', 'reviewer-2', 'r-de', 'reviewer-4']);
      expect(JSON.stringify(shown.seats)).not.toContain('r-it');
      expect(shown.seats[3]).not.toHaveProperty('review');

      const vacatedWithReview = pilotOf({
        seats: [
          seat('r-de', { declaration: declared(), review: review(60), vacated: true }),
          seat('r-it', { declaration: declared(), review: review(70) }),
        ],
      });
      expect(visiblePilot(as('r-de', ['reviewer']), vacatedWithReview).seats[1]).toEqual({
        reviewer: 'reviewer-2',
        round: 1,
        assignedAt: '2025-07-01T08:00:00.000Z',
        dueAt: '2025-07-31T08:00:00.000Z',
      });
    });
  });

  describe('to an expert of the team', () => {
    it('shows the pilot as a region sees it: no reviewer, no review', () => {
      const pilot = pilotOf({
        stage: 'implementation',
        score: 72,
        seats: [
          seat('r-de', { declaration: declared(), review: review(70) }),
          seat('r-it', { review: review(74) }),
        ],
        consensus: { by: 'r-it', review: review(72), dueAt: '2025-08-31T08:00:00.000Z' },
        team: {
          teamId: 'team-1',
          members: [{ expertId: 'x-fi', country: 'FI', lead: true }],
          assignedAt: '2025-09-20T08:00:00.000Z',
        },
      });
      const shown = visiblePilot(as('x-fi', ['expert']), pilot);
      expect(shown.seats.map((s) => s.reviewer)).toEqual(['reviewer-1', 'reviewer-2']);
      expect(shown.consensus).toEqual({ dueAt: '2025-08-31T08:00:00.000Z' });
      expect(JSON.stringify(shown)).not.toMatch(/r-de|r-it/);
      expect(shown.team).toEqual(pilot.team);
    });
  });
});

describe('mayReadContent', () => {
  it.each(commission.map((p) => [p.roles[0], p] as const))('lets the %s read', (_role, principal) => {
    expect(mayReadContent(principal, evaluating)).toBe(true);
  });

  it('lets the lead and the partner regions read', () => {
    expect(mayReadContent(lead, evaluating)).toBe(true);
    expect(mayReadContent(partner, evaluating)).toBe(true);
  });

  it('does not let another region read', () => {
    expect(mayReadContent(otherRegion, evaluating)).toBe(false);
  });

  it('lets an expert of the team read, not another expert', () => {
    const pilot = pilotOf({
      stage: 'implementation',
      team: {
        teamId: 'team-1',
        members: [{ expertId: 'x-fi', country: 'FI', lead: true }],
        assignedAt: '2025-09-20T08:00:00.000Z',
      },
    });
    expect(mayReadContent(as('x-fi', ['expert']), pilot)).toBe(true);
    expect(mayReadContent(as('x-nl', ['expert']), pilot)).toBe(false);
  });

  it('lets a reviewer read once it declared no conflict in the current round', () => {
    expect(mayReadContent(as('r-it', ['reviewer']), evaluating)).toBe(true);
    expect(mayReadContent(as('r-de', ['reviewer']), evaluating)).toBe(true);
  });

  it('does not let a seated reviewer read before it declared', () => {
    expect(mayReadContent(as('r-pl', ['reviewer']), evaluating)).toBe(false);
  });

  it('does not let a reviewer read who declared a conflict and left its seat', () => {
    expect(mayReadContent(as('r-fr', ['reviewer']), evaluating)).toBe(false);
  });

  it('does not let a reviewer read who declared a conflict, even before its seat is vacated', () => {
    const pilot = pilotOf({ seats: [seat('r-fr', { declaration: declared(true) })] });
    expect(mayReadContent(as('r-fr', ['reviewer']), pilot)).toBe(false);
  });

  it('does not let a reviewer read from a vacated seat, whatever it declared', () => {
    const pilot = pilotOf({ seats: [seat('r-fr', { declaration: declared(false), vacated: true })] });
    expect(mayReadContent(as('r-fr', ['reviewer']), pilot)).toBe(false);
  });

  it('does not let a reviewer read on the strength of a declaration of an earlier round', () => {
    const pilot = pilotOf({
      submissionVersion: 2,
      round: 2,
      seats: [
        seat('r-de', { round: 1, declaration: declared(), review: review(60) }),
        seat('r-it', { round: 2, declaration: declared() }),
        seat('r-pl', { round: 2 }),
      ],
    });
    expect(mayReadContent(as('r-de', ['reviewer']), pilot)).toBe(false);
    expect(mayReadContent(as('r-it', ['reviewer']), pilot)).toBe(true);
    expect(mayReadContent(as('r-pl', ['reviewer']), pilot)).toBe(false);
  });

  it('lets a reviewer seated again in a new round read only once it declared again', () => {
    const first = seat('r-de', { round: 1, declaration: declared(), review: review(60) });
    const again = seat('r-de', { round: 2, assignedAt: '2026-01-10T08:00:00.000Z' });
    const pilot = pilotOf({ submissionVersion: 2, round: 2, seats: [first, again] });
    expect(mayReadContent(as('r-de', ['reviewer']), pilot)).toBe(false);
    const declaredAgain = pilotOf({
      submissionVersion: 2,
      round: 2,
      seats: [first, { ...again, declaration: declared() }],
    });
    expect(mayReadContent(as('r-de', ['reviewer']), declaredAgain)).toBe(true);
  });

  it('goes by the round of the workflow, not by the latest seat: a new round not yet seated locks out the last', () => {
    const pilot = pilotOf({
      submissionVersion: 2,
      round: 2,
      seats: [seat('r-de', { round: 1, declaration: declared(), review: review(60) })],
    });
    expect(mayReadContent(as('r-de', ['reviewer']), pilot)).toBe(false);
  });

  it('does not let a reviewer read who holds no seat on the pilot', () => {
    expect(mayReadContent(as('r-se', ['reviewer']), evaluating)).toBe(false);
  });

  it('does not let anyone in by a reviewer seat before any seat is filled', () => {
    expect(mayReadContent(as('r-de', ['reviewer']), pilotOf())).toBe(false);
  });
});
