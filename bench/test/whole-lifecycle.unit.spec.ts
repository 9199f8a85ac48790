import type { PilotSeen } from '../src/lifecycle-bots';
import { dayAfter, lifecycleApplication, takeMessage } from '../src/lifecycle-bots';
import type { HistoryEventLike } from '../src/scenarios/whole-lifecycle';
import {
  continuedFrom,
  evenlySpaced,
  perMinute,
  timeInStages,
  tasksOf,
} from '../src/scenarios/whole-lifecycle';

const stageChanged = (pilotId: string, sequence: number, to: string, occurredAt: string) =>
  JSON.stringify({
    id: `e-${pilotId}-${sequence}`,
    type: 'lifecycle.stage-changed',
    occurredAt,
    subject: pilotId,
    data: { pilotId, sequence, from: null, to, reason: 'because' },
  });

describe('what the bots read on Kafka', () => {
  it('keeps each stage change once, with its timestamp and when it was first read', () => {
    const pilots = new Map<string, PilotSeen>();
    expect(takeMessage(pilots, stageChanged('p1', 1, 'submitted', '2025-01-01T00:00:00.000Z'), 10)).toBe(
      'p1',
    );
    expect(takeMessage(pilots, stageChanged('p1', 2, 'eligibility', '2025-01-01T00:00:00.250Z'), 20)).toBe(
      'p1',
    );
    // A redelivery changes nothing and wakes nobody.
    expect(
      takeMessage(pilots, stageChanged('p1', 2, 'eligibility', '2025-01-01T00:00:00.250Z'), 30),
    ).toBeUndefined();
    const seen = pilots.get('p1')!;
    expect(seen.changes).toEqual([
      { sequence: 1, to: 'submitted', at: Date.parse('2025-01-01T00:00:00.000Z') },
      { sequence: 2, to: 'eligibility', at: Date.parse('2025-01-01T00:00:00.250Z') },
    ]);
    expect(seen.reachedAt.get('eligibility')).toBe(20);
  });

  it('gathers the seated reviewers, the invitations and a failed team, and ignores the rest', () => {
    const pilots = new Map<string, PilotSeen>();
    const message = (type: string, data: Record<string, unknown>) => JSON.stringify({ type, data });
    takeMessage(
      pilots,
      message('lifecycle.reviewers-assigned', { pilotId: 'p', reviewers: ['reviewer2'] }),
      0,
    );
    takeMessage(
      pilots,
      message('lifecycle.reviewers-assigned', { pilotId: 'p', reviewers: ['reviewer2', 'reviewer4'] }),
      0,
    );
    takeMessage(
      pilots,
      message('expert-team.invited', { pilotId: 'p', assignmentId: 'a1', expertId: 'expert05' }),
      0,
    );
    takeMessage(
      pilots,
      message('expert-team.invited', { pilotId: 'p', assignmentId: 'a1', expertId: 'expert05' }),
      0,
    );
    expect(takeMessage(pilots, message('lifecycle.review-submitted', { pilotId: 'p' }), 0)).toBeUndefined();
    expect(takeMessage(pilots, 'not json', 0)).toBeUndefined();
    expect(pilots.get('p')).toMatchObject({
      reviewers: ['reviewer2', 'reviewer4'],
      invitations: [{ assignmentId: 'a1', expertId: 'expert05' }],
    });
    takeMessage(
      pilots,
      message('expert-team.assignment-failed', { pilotId: 'p', reason: 'nobody knows C' }),
      0,
    );
    expect(pilots.get('p')?.teamFailure).toBe('nobody knows C');
  });
});

describe('the bench application', () => {
  it('plans its milestones the first two days after the call closes', () => {
    expect(dayAfter('2024-12-31', 1)).toBe('2025-01-01');
    const body = lifecycleApplication({ callId: 'c1', closingDay: '2025-02-28' }, 7) as {
      callId: string;
      workPlan: { dueDate: string }[];
    };
    expect(body.callId).toBe('c1');
    expect(body.workPlan.map((milestone) => milestone.dueDate)).toEqual(['2025-03-01', '2025-03-02']);
  });
});

describe('time in each stage', () => {
  it('is the time from a change to the next, per stage, in the order the pilots went through them', () => {
    const times = timeInStages([
      [
        { sequence: 3, to: 'evaluation', at: 1_300 },
        { sequence: 1, to: 'submitted', at: 1_000 },
        { sequence: 2, to: 'eligibility', at: 1_100 },
        { sequence: 4, to: 'decision', at: 2_000 },
      ],
      [
        { sequence: 1, to: 'submitted', at: 0 },
        { sequence: 2, to: 'eligibility', at: 50 },
        { sequence: 2, to: 'eligibility', at: 50 },
      ],
    ]);
    expect([...times]).toEqual([
      ['submitted', [100, 50]],
      ['eligibility', [200]],
      ['evaluation', [700]],
    ]);
  });

  it('counts both stays in a stage entered twice', () => {
    const times = timeInStages([
      [
        { sequence: 1, to: 'eligibility', at: 0 },
        { sequence: 2, to: 'revision', at: 10 },
        { sequence: 3, to: 'eligibility', at: 40 },
        { sequence: 4, to: 'evaluation', at: 45 },
      ],
    ]);
    expect(times.get('eligibility')).toEqual([10, 5]);
  });
});

describe('the rate', () => {
  it('is per minute over the span, and not a number over none', () => {
    expect(perMinute(30, 1_000, 31_000)).toBe(60);
    expect(perMinute(0, 5, 5)).toBeNaN();
  });
});

describe('workflow tasks from a history', () => {
  const long = (value: number) => ({ toNumber: () => value });
  const at = (ms: number) => ({ seconds: long(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 });

  it('counts the completed workflow tasks and times them and the activities from their scheduling', () => {
    const events: HistoryEventLike[] = [
      {
        eventId: long(1),
        eventTime: at(10_000),
        workflowExecutionStartedEventAttributes: { continuedExecutionRunId: 'run-0' },
      },
      { eventId: long(2), eventTime: at(10_000), workflowTaskScheduledEventAttributes: {} },
      { eventId: long(3), eventTime: at(10_005) },
      {
        eventId: long(4),
        eventTime: at(10_040),
        workflowTaskCompletedEventAttributes: { scheduledEventId: long(2) },
      },
      { eventId: long(5), eventTime: at(11_000), workflowTaskScheduledEventAttributes: {} },
      { eventId: 6, eventTime: at(11_002) },
      { eventId: 7, eventTime: at(11_500), workflowTaskCompletedEventAttributes: { scheduledEventId: 5 } },
      { eventId: 8, eventTime: at(11_500), activityTaskScheduledEventAttributes: {} },
      { eventId: 9, eventTime: at(11_520) },
      { eventId: 10, eventTime: at(11_580), activityTaskCompletedEventAttributes: { scheduledEventId: 8 } },
      // Scheduled, not yet completed: not a task done.
      { eventId: 11, eventTime: at(12_000), workflowTaskScheduledEventAttributes: {} },
    ];
    const { workflowTasks, workflowTaskMs, activityMs } = tasksOf(events);
    expect(workflowTasks).toBe(2);
    expect(workflowTaskMs.map((ms) => Math.round(ms))).toEqual([40, 500]);
    expect(activityMs.map((ms) => Math.round(ms))).toEqual([80]);
    expect(continuedFrom(events)).toBe('run-0');
    expect(continuedFrom([{ eventId: 1, workflowExecutionStartedEventAttributes: {} }])).toBeUndefined();
    expect(continuedFrom([])).toBeUndefined();
  });
});

describe('the sample', () => {
  it('takes every item when there are few, else spreads over them from the first', () => {
    expect(evenlySpaced([1, 2], 5)).toEqual([1, 2]);
    expect(evenlySpaced([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4)).toEqual([0, 2, 5, 7]);
  });
});
