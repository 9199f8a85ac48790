import type { Actor, AnyEnvelope, CallSnapshot, PilotStage } from '@s3p/contracts';
import {
  applicationEvents,
  callEvents,
  expertEvents,
  lifecycleEvents,
  reportingEvents,
} from '@s3p/contracts';
import { newEvent } from '@s3p/messaging';
import type { CallProjection } from '../src/projections/call-projection';
import { foldCall } from '../src/projections/call-projection';
import { completedStays, dashboardOf, figuresOf } from '../src/projections/figures';
import { moneyOf, opportunityOf, outcomesOf } from '../src/projections/open-data';
import type { PilotProjection } from '../src/projections/pilot-projection';
import { foldPilot } from '../src/projections/pilot-projection';
import { csvCell, csvLine, pilotsCsvHeader, pilotsCsvRow } from '../src/projections/pilots-csv';
import { asCallEvent, asPilotEvent, canonical } from '../src/projections/projected-events';
import { opportunityPage, opportunityView } from '../src/projections/projection-schemas';
import type { PilotTimeline, TimelineEntry } from '../src/projections/timeline-entries';
import { entriesFor, timelineEntryOf, timelineWith } from '../src/projections/timeline-entries';

const day = 24 * 60 * 60 * 1000;
const start = Date.UTC(2025, 0, 6, 9);
const on = (days: number) => new Date(start + days * day);
const system: Actor = { kind: 'system', name: 'lifecycle' };
const approver: Actor = { kind: 'user', sub: 'approver-1', roles: ['approver'] };
const auditor: Actor = { kind: 'user', sub: 'auditor-1', roles: ['auditor'] };
const lead: Actor = { kind: 'user', sub: 'region-bg41', roles: ['region'] };

const pilotId = 'pilot-unit';
const callId = '0193a6c0-0000-7000-8000-000000000001';
const facts = { pilotId, callId, pilotType: 'industrial-transition' as const, region: 'BG41', partners: [] };

const submitted = (version: number, days: number) =>
  newEvent(applicationEvents.submitted, {
    source: 'applications',
    subject: pilotId,
    actor: lead,
    occurredAt: on(days),
    data: {
      application: {
        id: pilotId,
        callId,
        pilotType: 'industrial-transition',
        region: 'BG41',
        partners: [],
        title: `Smart manufacturing v${version}`,
        s3Strategy: {
          contextAnalysis: 'Context.',
          governance: 'Governance.',
          sharedVision: 'Vision.',
          priorities: 'Priorities.',
          policyMix: 'Policy mix.',
          monitoring: 'Monitoring.',
        },
        priorityDomains: [{ kind: 'economic', naceSection: 'C' }],
        requestedSupport: ['skills'],
        supportDescription: 'Experts for the skills academy.',
        budget: { total: 400_000_00, requested: 200_000_00 },
        workPlan: [],
      },
      receipt: {
        applicationId: pilotId,
        submissionVersion: version,
        contentHash: 'c'.repeat(64),
        submittedAt: on(days).toISOString(),
      },
    },
  });

const stage = (sequence: number, from: PilotStage | null, to: PilotStage, days: number, id = pilotId) =>
  newEvent(lifecycleEvents.stageChanged, {
    source: 'lifecycle',
    subject: id,
    actor: system,
    occurredAt: on(days),
    data: { ...facts, pilotId: id, partners: [], sequence, from, to, reason: `to ${to}` },
  });

const decided = (decision: 'approve' | 'revise', days: number) =>
  newEvent(lifecycleEvents.decisionTaken, {
    source: 'lifecycle',
    subject: pilotId,
    actor: approver,
    occurredAt: on(days),
    data: {
      pilotId,
      approver: 'approver-1',
      decision,
      reasons: `${decision}: reasons`,
      score: 81,
      ...(decision === 'revise' ? { dueAt: on(days + 20).toISOString() } : {}),
    },
  });

const verified = (milestone: number, verdict: 'accepted' | 'rejected', days: number) =>
  newEvent(reportingEvents.milestoneVerified, {
    source: 'reporting',
    subject: pilotId,
    actor: auditor,
    occurredAt: on(days),
    data: {
      pilotId,
      milestone,
      verdict,
      ...(verdict === 'rejected' ? { note: 'add the indicators' } : {}),
      verifiedAt: on(days).toISOString(),
    },
  });

const reported = (milestone: number, days: number) =>
  newEvent(reportingEvents.milestoneReported, {
    source: 'reporting',
    subject: pilotId,
    actor: lead,
    occurredAt: on(days),
    data: {
      pilotId,
      milestone,
      reportId: `report-${milestone}-${days}`,
      summary: 'Done.',
      deliverables: ['Academy curriculum'],
      files: [],
      reportedAt: on(days).toISOString(),
    },
  });

const finalReport = (what: 'submitted' | 'accepted' | 'rejected', days: number): AnyEnvelope => {
  const origin = { source: 'reporting', subject: pilotId, occurredAt: on(days) };
  const at = on(days).toISOString();
  switch (what) {
    case 'submitted':
      return newEvent(reportingEvents.finalReportSubmitted, {
        ...origin,
        actor: lead,
        data: { pilotId, reportId: `final-${days}`, summary: 'All done.', files: [], submittedAt: at },
      });
    case 'accepted':
      return newEvent(reportingEvents.finalReportAccepted, {
        ...origin,
        actor: auditor,
        data: { pilotId, acceptedAt: at },
      });
    case 'rejected':
      return newEvent(reportingEvents.finalReportRejected, {
        ...origin,
        actor: auditor,
        data: { pilotId, note: 'missing annex', rejectedAt: at },
      });
  }
};

/** One pilot from submission to closure, through a revision, a rejected report and a rejected final report. */
const history: AnyEnvelope[] = [
  submitted(1, 0),
  stage(1, null, 'submitted', 0),
  stage(2, 'submitted', 'eligibility', 0.1),
  stage(3, 'eligibility', 'evaluation', 2),
  newEvent(lifecycleEvents.reviewSubmitted, {
    source: 'lifecycle',
    subject: pilotId,
    actor: { kind: 'user', sub: 'reviewer-7', roles: ['reviewer'] },
    occurredAt: on(8),
    data: { pilotId, reviewer: 'reviewer-7', weightedScore: 78.5, consensus: false },
  }),
  stage(4, 'evaluation', 'decision', 12),
  decided('revise', 13),
  stage(5, 'decision', 'revision', 13),
  submitted(2, 20),
  stage(6, 'revision', 'decision', 20),
  decided('approve', 25),
  stage(7, 'decision', 'expert-team', 25),
  newEvent(lifecycleEvents.pilotApprovedV2, {
    source: 'lifecycle',
    subject: pilotId,
    actor: approver,
    occurredAt: on(25),
    data: {
      ...facts,
      countries: ['BG' as const],
      priorityDomains: [{ kind: 'economic', naceSection: 'C' }],
      requestedSupport: ['skills'],
      expertTeamSize: 2,
      amount: 200_000_00,
      approvedAt: on(25).toISOString(),
    },
  }),
  newEvent(expertEvents.teamAssigned, {
    source: 'experts',
    subject: pilotId,
    actor: { kind: 'system', name: 'experts' },
    occurredAt: on(30),
    data: {
      pilotId,
      teamId: 'team-1',
      members: [{ expertId: 'expert-a', country: 'IT', lead: true }],
      assignedAt: on(30).toISOString(),
    },
  }),
  stage(8, 'expert-team', 'implementation', 30),
  reported(0, 60),
  verified(0, 'rejected', 62),
  reported(0, 65),
  verified(0, 'accepted', 66),
  newEvent(lifecycleEvents.milestoneOverdue, {
    source: 'lifecycle',
    subject: pilotId,
    actor: system,
    occurredAt: on(90),
    data: { pilotId, region: 'BG41', milestone: 1, title: 'Milestone 2', dueDate: '2025-04-05' },
  }),
  reported(1, 95),
  verified(1, 'accepted', 96),
  stage(9, 'implementation', 'final-report', 96),
  finalReport('submitted', 100),
  finalReport('rejected', 104),
  finalReport('submitted', 106),
  finalReport('accepted', 110),
  stage(10, 'final-report', 'closed', 110),
];

/** A deterministic shuffle (mulberry32), so that a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** As the store would: each event merged into the document held, stored as JSON. */
const pilotOf = (events: readonly AnyEnvelope[]): PilotProjection | undefined =>
  events.reduce<PilotProjection | undefined>((held, envelope) => {
    const event = asPilotEvent(envelope);
    return event ? (JSON.parse(JSON.stringify(foldPilot(held, event))) as PilotProjection) : held;
  }, undefined);

describe('a pilot projection', () => {
  const inOrder = pilotOf(history)!;

  it('holds where the pilot stands, its latest submission, decision and final report', () => {
    expect(inOrder).toMatchObject({
      _id: pilotId,
      callId,
      pilotType: 'industrial-transition',
      region: 'BG41',
      country: 'BG',
      stage: 'closed',
      submitted: true,
      submission: { version: 2, title: 'Smart manufacturing v2', requested: 200_000_00 },
      decision: { decision: 'approve', approver: 'approver-1' },
      approval: { amount: 200_000_00 },
      team: { teamId: 'team-1', assignedAt: on(30).toISOString() },
      milestones: { reported: [0, 1], accepted: [0, 1], overdue: [1] },
      finalReport: { status: 'accepted', at: on(110).toISOString() },
      lastEventAt: on(110).toISOString(),
    });
    expect(inOrder.changes.map((c) => c.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('is the same in any order and with duplicates (seed %i)', (seed) => {
    const delivered = shuffled([...history, ...shuffled(history, seed * 31).slice(0, 12)], seed);
    expect(canonical(pilotOf(delivered))).toEqual(canonical(inOrder));
  });

  it('keeps an accepted final report over a later rejection, and the earliest date of a change announced twice', () => {
    const late = { ...finalReport('rejected', 120) };
    const again = { ...stage(1, null, 'submitted', 3), id: '0193a6c0-0000-7000-8000-0000000000ff' };
    const pilot = pilotOf([...history, late, again])!;
    expect(pilot.finalReport?.status).toBe('accepted');
    expect(pilot.changes[0]).toEqual({ sequence: 1, from: null, to: 'submitted', at: on(0).toISOString() });
  });
});

describe('a call projection', () => {
  const snapshot = (status: CallSnapshot['status'], title: string): CallSnapshot => ({
    id: callId,
    status,
    pilotType: 'industrial-transition',
    title,
    summary: 'Support for regions in industrial transition.',
    eligibility: { countries: ['BG', 'FR'], minPartners: 0, maxPartners: 0, minCountries: 1 },
    prioritySectors: [{ kind: 'economic', naceSection: 'C' }],
    criteria: [{ id: 'quality', name: 'Quality', weight: 100, maxScore: 10 }],
    passThreshold: 60,
    reviewersPerApplication: 2,
    expertTeamSize: 3,
    scoreTolerance: 15,
    totalBudget: 1_000_000_00,
    perApplicationCeiling: 250_000_00,
    opensAt: on(-10).toISOString(),
    closesAt: on(-1).toISOString(),
    committedBudget: 0,
  });
  const manager: Actor = { kind: 'user', sub: 'manager', roles: ['programme-manager'] };
  const origin = (days: number) => ({
    source: 'calls',
    subject: callId,
    actor: manager,
    occurredAt: on(days),
  });
  const events: AnyEnvelope[] = [
    newEvent(callEvents.published, {
      ...origin(-20),
      data: { call: snapshot('scheduled', 'Industrial transition') },
    }),
    newEvent(callEvents.amended, {
      ...origin(-15),
      data: { call: snapshot('scheduled', 'Industrial transition 2025'), changed: ['title'] },
    }),
    newEvent(callEvents.opened, { ...origin(-10), data: { callId, openedAt: on(-10).toISOString() } }),
    newEvent(callEvents.closed, {
      ...origin(-1),
      data: { callId, closedAt: on(-1).toISOString(), reason: 'deadline' },
    }),
  ];
  const callOf = (delivered: readonly AnyEnvelope[]) =>
    delivered.reduce<CallProjection | undefined>(
      (held, envelope) => foldCall(held, asCallEvent(envelope)!),
      undefined,
    );

  it('takes the newest content and the furthest status, in any order', () => {
    const inOrder = callOf(events)!;
    expect(inOrder).toMatchObject({
      status: 'closed',
      publishedAt: on(-20).toISOString(),
      closedAt: on(-1).toISOString(),
      content: { call: { title: 'Industrial transition 2025' } },
    });
    for (const seed of [1, 2, 3]) {
      expect(callOf(shuffled([...events, ...events], seed))).toEqual(inOrder);
    }
  });

  it('is published as a CommonGrants opportunity with its outcomes', () => {
    const call = callOf(events)!;
    const pilot = pilotOf(history)!;
    const opportunity = opportunityOf(call, outcomesOf([pilot]))!;
    expect(opportunityView.parse(opportunity)).toEqual(opportunity);
    expect(opportunity).toMatchObject({
      id: callId,
      title: 'Industrial transition 2025',
      status: { value: 'closed' },
      funding: {
        totalAmountAvailable: { amount: '1000000.00', currency: 'EUR' },
        maxAwardAmount: { amount: '250000.00', currency: 'EUR' },
      },
      keyDates: {
        appOpens: { date: '2024-12-27', time: '09:00:00' },
        appDeadline: { date: '2025-01-05', time: '09:00:00' },
      },
      createdAt: on(-20).toISOString(),
      lastModifiedAt: on(110).toISOString(),
    });
    expect(opportunity.customFields).toMatchObject({
      applicationsReceived: { type: 'number', value: 1 },
      applicationsEligible: { type: 'number', value: 1 },
      applicationsApproved: { type: 'number', value: 1 },
      budgetCommitted: { type: 'object', value: { amount: '200000.00', currency: 'EUR' } },
    });
    expect(
      opportunityPage.safeParse({
        status: 200,
        message: 'Success',
        items: [opportunity],
        paginationInfo: { page: 1, pageSize: 100, totalItems: 1, totalPages: 1 },
      }).success,
    ).toBe(true);
    expect(opportunityOf({ _id: callId, status: 'draft', lastEventAt: '' }, outcomesOf([]))).toBeUndefined();
  });

  it('writes euro cents as decimal strings', () => {
    expect(moneyOf(0)).toEqual({ amount: '0.00', currency: 'EUR' });
    expect(moneyOf(5)).toEqual({ amount: '0.05', currency: 'EUR' });
    expect(moneyOf(123_456_789_012_34)).toEqual({ amount: '123456789012.34', currency: 'EUR' });
  });
});

describe('the figures', () => {
  const pilot = pilotOf(history)!;

  it('count completed stays only, from entering a stage to the next change', () => {
    const stays = completedStays(pilot);
    expect(stays.find((s) => s.stage === 'evaluation')?.ms).toBe(10 * day);
    expect(stays.filter((s) => s.stage === 'decision').map((s) => s.ms)).toEqual([1 * day, 5 * day]);
    expect(stays.some((s) => s.stage === 'closed')).toBe(false);
    // A gap in the sequence leaves the stay before it uncounted until the missing change arrives.
    expect(
      completedStays({ ...pilot, changes: pilot.changes.filter((c) => c.sequence !== 4) }),
    ).not.toContainEqual(expect.objectContaining({ stage: 'evaluation' }));
  });

  it('give rates over the applications that reached the step', () => {
    const other = pilotOf([
      stage(1, null, 'submitted', 0, 'other'),
      stage(2, 'submitted', 'eligibility', 0, 'other'),
      stage(3, 'eligibility', 'ineligible', 1, 'other'),
    ])!;
    const figures = figuresOf([pilot, other]);
    expect(figures).toMatchObject({
      applications: 2,
      eligible: 1,
      ineligible: 1,
      eligibilityRate: 0.5,
      approved: 1,
      approvalRate: 1,
      budgetCommitted: 200_000_00,
    });
    expect(figures.timeInStage.eligibility).toEqual({ stays: 2, totalDays: 2.9, averageDays: 1.45 });
    const dashboard = dashboardOf([pilot, other], new Map([[callId, 'Industrial transition']]), {});
    expect(dashboard.byCall).toEqual([
      expect.objectContaining({ callId, title: 'Industrial transition', applications: 2 }),
    ]);
    expect(dashboard.byStage.map((group) => [group.stage, group.applications])).toEqual([
      ['closed', 1],
      ['ineligible', 1],
    ]);
  });
});

describe('the timeline', () => {
  it('makes one entry per event, with who and when, and keeps the reviewers’ steps to the Commission', () => {
    const entries = history.map((envelope) => timelineEntryOf(asPilotEvent(envelope)!));
    expect(new Set(entries.map((e) => e._id)).size).toBe(history.length);
    const review = entries.find((e) => e.type === 'lifecycle.review-submitted')!;
    expect(review.visibility).toBe('commission');
    const decision = entries.find(
      (e) => e.type === 'lifecycle.decision-taken' && e.details.decision === 'approve',
    )!;
    expect(decision).toMatchObject({
      pilotId,
      visibility: 'parties',
      actor: approver,
      occurredAt: on(25).toISOString(),
      summary: 'decision by approver-1: approve',
    });
    expect('conditions' in decision.details).toBe(false);
  });

  const entries = () => history.map((envelope) => timelineEntryOf(asPilotEvent(envelope)!));
  const fold = (list: TimelineEntry[]) => list.reduce<PilotTimeline | undefined>(timelineWith, undefined)!;

  it("keeps a pilot's entries oldest first, whatever order the events came in, each once", () => {
    const inOrder = fold(entries());
    const shuffledTwice = fold([...entries().reverse(), ...entries()]);
    expect(inOrder._id).toBe(pilotId);
    expect(shuffledTwice).toEqual(inOrder);
    const times = inOrder.entries.map((e) => e.occurredAt);
    expect(times).toEqual([...times].sort());
    expect(inOrder.entries).toHaveLength(history.length);
  });

  it('orders entries of the same moment by event id, and gives back the same timeline for a known entry', () => {
    const at = on(3).toISOString();
    const [a, b] = entries()
      .slice(0, 2)
      .map((e, i) => ({ ...e, _id: `id-${2 - i}`, occurredAt: at }));
    const timeline = fold([a!, b!]);
    expect(timeline.entries.map((e) => e._id)).toEqual(['id-1', 'id-2']);
    expect(timelineWith(timeline, a!)).toBe(timeline);
  });

  it("shows the Commission every entry and the pilot's regions the parties' entries", () => {
    const timeline = fold(entries());
    expect(entriesFor(timeline, 'commission')).toEqual(timeline.entries);
    const parties = entriesFor(timeline, 'parties');
    expect(parties.length).toBeLessThan(timeline.entries.length);
    expect(parties.every((e) => e.visibility === 'parties')).toBe(true);
    expect(entriesFor(null, 'commission')).toEqual([]);
  });
});

describe('the CSV export', () => {
  it('quotes as RFC 4180 has it and defuses what a spreadsheet would run as a formula', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "yes"')).toBe('"say ""yes"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://evil.example","click")')).toBe(
      `"'=HYPERLINK(""http://evil.example"",""click"")"`,
    );
    for (const start of ['+1', '-1+2', '@SUM(A1)', '\tx']) expect(csvCell(start)).toBe(`'${start}`);
    expect(csvCell(42)).toBe('42');
    expect(csvCell(undefined)).toBe('');
    expect(csvLine(['a', 1, undefined])).toBe('a,1,\r\n');
  });

  it('writes one record per pilot under the header', () => {
    const header = pilotsCsvHeader().trimEnd().split(',');
    const row = pilotsCsvRow(pilotOf(history)!, 'Industrial transition').trimEnd().split(',');
    expect(row).toHaveLength(header.length);
    const record = Object.fromEntries(header.map((name, i) => [name, row[i]]));
    expect(record).toMatchObject({
      pilot_id: pilotId,
      call_title: 'Industrial transition',
      member_state: 'BG',
      stage: 'closed',
      requested_eur: '200000.00',
      eligibility: 'eligible',
      decision: 'approve',
      outcome: 'approved',
      committed_eur: '200000.00',
      milestones_accepted: '2',
      final_report: 'accepted',
      closed_at: on(110).toISOString(),
    });
  });
});
