import type { AnyEnvelope, DecisionKind, PendingTask, PilotType } from '@s3p/contracts';
import {
  applicationEvents,
  callEvents,
  expertEvents,
  lifecycleEvents,
  reportingEvents,
} from '@s3p/contracts';
import { z } from 'zod';
import type { Audience } from './recipients';
import { audienceOfAssignee } from './recipients';

/**
 * What people are told. A mandatory kind cannot be switched off: the person must act on it or
 * keep it as proof (a receipt, a decision, a rejection, an escalation).
 */
export const notificationKinds = {
  'call-published': { mandatory: false },
  'application-submitted': { mandatory: true },
  'reviewers-assigned': { mandatory: true },
  'review-due': { mandatory: false },
  'review-overdue': { mandatory: true },
  'decision-taken': { mandatory: true },
  'team-invitation': { mandatory: true },
  'invitation-lapsing': { mandatory: false },
  'invitation-lapsed': { mandatory: false },
  'milestone-due': { mandatory: false },
  'milestone-overdue': { mandatory: true },
  'report-verified': { mandatory: false },
  'report-rejected': { mandatory: true },
  'task-due': { mandatory: false },
  'task-overdue': { mandatory: true },
} as const satisfies Record<string, { mandatory: boolean }>;

export type NotificationKind = keyof typeof notificationKinds;
export const kindNames = Object.keys(notificationKinds) as NotificationKind[];
export const isMandatory = (kind: NotificationKind): boolean => notificationKinds[kind].mandatory;

export type TaskKind = PendingTask['kind'];

/** What the service knows of a pilot, from the lifecycle's stage changes and the submissions. */
export interface PilotFacts {
  pilotId: string;
  region: string;
  partners: string[];
  title?: string;
  /** The milestones' titles, in work-plan order, from the newest submission. */
  milestones?: string[];
}

export interface OnPilot {
  pilotId: string;
  /** The application's title, when the service has seen its submission. */
  pilotTitle?: string;
}

interface MilestoneRef {
  /** The milestone's position in the work plan, from 0. */
  milestone: number;
  milestoneTitle?: string;
}

/** The facts each kind's messages are written from: kept with the notification, rendered per reader. */
export interface FactsByKind {
  'call-published': { callId: string; callTitle: string; pilotType: PilotType; closesAt: string };
  'application-submitted': OnPilot & {
    callId: string;
    submissionVersion: number;
    contentHash: string;
    submittedAt: string;
  };
  'reviewers-assigned': OnPilot & { dueAt: string };
  'review-due': OnPilot & { task: TaskKind; dueAt?: string };
  'review-overdue': OnPilot & { task: TaskKind; reviewer: string; dueAt?: string };
  'decision-taken': OnPilot & {
    decision: DecisionKind;
    reasons: string;
    score: number;
    conditions?: string[];
    dueAt?: string;
  };
  'team-invitation': OnPilot & { assignmentId: string; lead: boolean; dueAt: string };
  'invitation-lapsing': OnPilot & { assignmentId: string; dueAt: string };
  'invitation-lapsed': OnPilot & { assignmentId: string };
  'milestone-due': OnPilot & Partial<MilestoneRef> & { dueAt?: string };
  'milestone-overdue': OnPilot & MilestoneRef & { dueDate: string };
  /** Without a milestone: the final report. */
  'report-verified': OnPilot & Partial<MilestoneRef> & { note?: string };
  'report-rejected': OnPilot & Partial<MilestoneRef> & { note?: string };
  'task-due': OnPilot & { task: TaskKind; dueAt?: string };
  'task-overdue': OnPilot & { task: TaskKind; assignee: string; dueAt?: string };
}

/** One notice an event gives: its kind, for whom, what it says, and where in the portal it is acted on. */
export type Notice = {
  [K in NotificationKind]: { kind: K; audiences: Audience[]; facts: FactsByKind[K]; path: string };
}[NotificationKind];

type EventSchema = z.ZodObject<{
  type: z.ZodLiteral<string>;
  version: z.ZodLiteral<number>;
  data: z.ZodType;
}>;
type DataOf<S extends EventSchema> = z.output<S['shape']['data']>;
type Draft<K extends NotificationKind> = { audiences: Audience[]; facts: FactsByKind[K]; path: string };

type RuleSpec<S extends EventSchema, K extends NotificationKind> = {
  event: S;
  kind: K;
  /** When the event gives this kind, in words and as a test; always when absent. */
  when?: { says: string; holds: (data: DataOf<S>) => boolean };
  /** Who is told, in words: the README's table is checked against these. */
  recipients: string;
} & (
  | {
      /** The recipients come from the pilot's facts: the notice waits until those are known. */
      needsPilot: true;
      notice: (data: DataOf<S>, pilot: PilotFacts) => Draft<K>;
    }
  | { needsPilot?: false; notice: (data: DataOf<S>, pilot: PilotFacts | undefined) => Draft<K> }
);

/** One row of the table, its event's payload type erased: each row parses its own payload. */
export interface NotificationRule {
  type: string;
  version: number;
  kind: NotificationKind;
  when?: string;
  recipients: string;
  /** The notice, nothing when the condition does not hold, `pilot` when the pilot's facts must come first. */
  apply(envelope: AnyEnvelope, pilot: PilotFacts | undefined): Notice | undefined | 'pilot';
}

function rule<S extends EventSchema, K extends NotificationKind>(spec: RuleSpec<S, K>): NotificationRule {
  const notice = (draft: Draft<K>) => ({ kind: spec.kind, ...draft }) as Notice;
  return {
    type: spec.event.shape.type.value,
    version: spec.event.shape.version.value,
    kind: spec.kind,
    ...(spec.when ? { when: spec.when.says } : {}),
    recipients: spec.recipients,
    apply(envelope, pilot) {
      const data = spec.event.shape.data.parse(envelope.data) as DataOf<S>;
      if (spec.when && !spec.when.holds(data)) return undefined;
      if (spec.needsPilot === true) return pilot ? notice(spec.notice(data, pilot)) : 'pilot';
      return notice(spec.notice(data, pilot));
    },
  };
}

const pilotPath = (pilotId: string) => `/pilots/${encodeURIComponent(pilotId)}`;
const onPilot = (pilotId: string, pilot: PilotFacts | undefined): OnPilot => ({
  pilotId,
  ...(pilot?.title ? { pilotTitle: pilot.title } : {}),
});
const milestoneRef = (
  milestone: number | undefined,
  pilot: PilotFacts | undefined,
): Partial<MilestoneRef> => {
  if (milestone === undefined) return {};
  const title = pilot?.milestones?.[milestone];
  return { milestone, ...(title ? { milestoneTitle: title } : {}) };
};
const dueAtOf = (dueAt: string | undefined) => (dueAt ? { dueAt } : {});
const theRegions = (pilot: PilotFacts): Audience[] =>
  [pilot.region, ...pilot.partners].map((region) => ({ region }));

const reviewTasks: readonly TaskKind[] = ['declare-conflicts', 'review', 'consensus'];
const isReviewTask = (task: TaskKind) => reviewTasks.includes(task);
const programmeManagers: Audience = { role: 'programme-manager' };

/**
 * THE table: which event tells whom what. Each row is one kind of notice an event gives; an event
 * may give several (a milestone overdue: its region and the auditors). README.md lists the same
 * rows, and a unit test holds the two together.
 */
export const notificationRules: readonly NotificationRule[] = [
  rule({
    event: callEvents.published,
    kind: 'call-published',
    recipients: 'every region of the member states eligible to apply',
    notice: ({ call }) => ({
      audiences: [{ regionsOf: call.eligibility.countries }],
      facts: { callId: call.id, callTitle: call.title, pilotType: call.pilotType, closesAt: call.closesAt },
      path: `/calls/${encodeURIComponent(call.id)}`,
    }),
  }),
  rule({
    event: applicationEvents.submitted,
    kind: 'application-submitted',
    recipients: 'the lead region, with its receipt',
    notice: ({ application, receipt }) => ({
      audiences: [{ region: application.region }],
      facts: {
        pilotId: application.id,
        pilotTitle: application.title,
        callId: application.callId,
        submissionVersion: receipt.submissionVersion,
        contentHash: receipt.contentHash,
        submittedAt: receipt.submittedAt,
      },
      path: `/applications/${encodeURIComponent(application.id)}`,
    }),
  }),
  rule({
    event: lifecycleEvents.reviewersAssigned,
    kind: 'reviewers-assigned',
    recipients: 'each reviewer assigned',
    notice: ({ pilotId, reviewers, dueAt }, pilot) => ({
      audiences: reviewers.map((user) => ({ user })),
      facts: { ...onPilot(pilotId, pilot), dueAt },
      path: pilotPath(pilotId),
    }),
  }),
  rule({
    event: lifecycleEvents.taskReminded,
    kind: 'review-due',
    when: {
      says: "a reviewer's task (conflict declaration, review, consensus) before its deadline",
      holds: ({ task, escalated }) => !escalated && isReviewTask(task.kind),
    },
    recipients: 'the reviewer',
    notice: ({ pilotId, task }, pilot) => ({
      audiences: [audienceOfAssignee(task.assignee)],
      facts: { ...onPilot(pilotId, pilot), task: task.kind, ...dueAtOf(task.dueAt) },
      path: pilotPath(pilotId),
    }),
  }),
  rule({
    event: lifecycleEvents.taskReminded,
    kind: 'review-overdue',
    when: {
      says: "a reviewer's task past its deadline",
      holds: ({ task, escalated }) => escalated && isReviewTask(task.kind),
    },
    recipients: 'the programme managers',
    notice: ({ pilotId, task }, pilot) => ({
      audiences: [programmeManagers],
      facts: { ...onPilot(pilotId, pilot), task: task.kind, reviewer: task.assignee, ...dueAtOf(task.dueAt) },
      path: pilotPath(pilotId),
    }),
  }),
  rule({
    event: lifecycleEvents.taskReminded,
    kind: 'milestone-due',
    when: {
      says: 'a milestone report before its due date',
      holds: ({ task, escalated }) => !escalated && task.kind === 'milestone-report',
    },
    recipients: 'the lead region',
    notice: ({ pilotId, task }, pilot) => ({
      audiences: [audienceOfAssignee(task.assignee)],
      facts: {
        ...onPilot(pilotId, pilot),
        ...milestoneRef(task.milestone, pilot),
        ...dueAtOf(task.dueAt),
      },
      path: `${pilotPath(pilotId)}/milestones`,
    }),
  }),
  rule({
    event: lifecycleEvents.taskReminded,
    kind: 'task-due',
    when: {
      says: 'any other task before its deadline',
      holds: ({ task, escalated }) =>
        !escalated && !isReviewTask(task.kind) && task.kind !== 'milestone-report',
    },
    recipients: 'whoever the task is assigned to: a user, a region or a role',
    notice: ({ pilotId, task }, pilot) => ({
      audiences: [audienceOfAssignee(task.assignee)],
      facts: { ...onPilot(pilotId, pilot), task: task.kind, ...dueAtOf(task.dueAt) },
      path: pilotPath(pilotId),
    }),
  }),
  rule({
    event: lifecycleEvents.taskReminded,
    kind: 'task-overdue',
    when: {
      says: 'any other task (the decision, …) past its deadline',
      holds: ({ task, escalated }) => escalated && !isReviewTask(task.kind),
    },
    recipients: 'the programme managers',
    notice: ({ pilotId, task }, pilot) => ({
      audiences: [programmeManagers],
      facts: { ...onPilot(pilotId, pilot), task: task.kind, assignee: task.assignee, ...dueAtOf(task.dueAt) },
      path: pilotPath(pilotId),
    }),
  }),
  rule({
    event: lifecycleEvents.decisionTaken,
    kind: 'decision-taken',
    recipients: 'the lead region and its partner regions',
    needsPilot: true,
    notice: ({ pilotId, decision, reasons, score, conditions, dueAt }, pilot) => ({
      audiences: theRegions(pilot),
      facts: {
        ...onPilot(pilotId, pilot),
        decision,
        reasons,
        score,
        ...(conditions ? { conditions } : {}),
        ...dueAtOf(dueAt),
      },
      path: pilotPath(pilotId),
    }),
  }),
  rule({
    event: expertEvents.memberInvited,
    kind: 'team-invitation',
    recipients: 'the invited expert',
    notice: ({ pilotId, expertId, assignmentId, lead, dueAt }, pilot) => ({
      audiences: [{ user: expertId }],
      facts: { ...onPilot(pilotId, pilot), assignmentId, lead, dueAt },
      path: `/assignments/${encodeURIComponent(assignmentId)}`,
    }),
  }),
  rule({
    event: expertEvents.invitationReminded,
    kind: 'invitation-lapsing',
    recipients: 'the invited expert',
    notice: ({ pilotId, expertId, assignmentId, dueAt }, pilot) => ({
      audiences: [{ user: expertId }],
      facts: { ...onPilot(pilotId, pilot), assignmentId, dueAt },
      path: `/assignments/${encodeURIComponent(assignmentId)}`,
    }),
  }),
  rule({
    event: expertEvents.invitationAnswered,
    kind: 'invitation-lapsed',
    when: { says: 'the invitation lapsed unanswered', holds: ({ answer }) => answer === 'lapsed' },
    recipients: 'the invited expert',
    notice: ({ pilotId, expertId, assignmentId }, pilot) => ({
      audiences: [{ user: expertId }],
      facts: { ...onPilot(pilotId, pilot), assignmentId },
      path: '/assignments',
    }),
  }),
  rule({
    event: lifecycleEvents.milestoneOverdue,
    kind: 'milestone-overdue',
    recipients: 'the lead region and the auditors',
    notice: ({ pilotId, region, milestone, title, dueDate }, pilot) => ({
      audiences: [{ region }, { role: 'auditor' }],
      facts: { ...onPilot(pilotId, pilot), milestone, milestoneTitle: title, dueDate },
      path: `${pilotPath(pilotId)}/milestones`,
    }),
  }),
  rule({
    event: reportingEvents.milestoneVerified,
    kind: 'report-verified',
    when: { says: 'a milestone report accepted', holds: ({ verdict }) => verdict === 'accepted' },
    recipients: 'the lead region',
    needsPilot: true,
    notice: ({ pilotId, milestone, note }, pilot) => ({
      audiences: [{ region: pilot.region }],
      facts: { ...onPilot(pilotId, pilot), ...milestoneRef(milestone, pilot), ...(note ? { note } : {}) },
      path: `${pilotPath(pilotId)}/milestones`,
    }),
  }),
  rule({
    event: reportingEvents.milestoneVerified,
    kind: 'report-rejected',
    when: { says: 'a milestone report rejected', holds: ({ verdict }) => verdict === 'rejected' },
    recipients: 'the lead region',
    needsPilot: true,
    notice: ({ pilotId, milestone, note }, pilot) => ({
      audiences: [{ region: pilot.region }],
      facts: { ...onPilot(pilotId, pilot), ...milestoneRef(milestone, pilot), ...(note ? { note } : {}) },
      path: `${pilotPath(pilotId)}/milestones`,
    }),
  }),
  rule({
    event: reportingEvents.finalReportAccepted,
    kind: 'report-verified',
    recipients: 'the lead region and its partner regions: the pilot is closed',
    needsPilot: true,
    notice: ({ pilotId }, pilot) => ({
      audiences: theRegions(pilot),
      facts: onPilot(pilotId, pilot),
      path: `${pilotPath(pilotId)}/final-report`,
    }),
  }),
  rule({
    event: reportingEvents.finalReportRejected,
    kind: 'report-rejected',
    recipients: 'the lead region',
    needsPilot: true,
    notice: ({ pilotId, note }, pilot) => ({
      audiences: [{ region: pilot.region }],
      facts: { ...onPilot(pilotId, pilot), note },
      path: `${pilotPath(pilotId)}/final-report`,
    }),
  }),
];

const rulesByEvent = new Map<string, NotificationRule[]>();
for (const r of notificationRules) {
  const key = `${r.type}@${r.version}`;
  rulesByEvent.set(key, [...(rulesByEvent.get(key) ?? []), r]);
}
const rulesOf = (envelope: AnyEnvelope) => rulesByEvent.get(`${envelope.type}@${envelope.version}`) ?? [];

/** Whether some row of the table reads this event (at this version). */
export const isNotifiable = (envelope: AnyEnvelope): boolean => rulesOf(envelope).length > 0;

const aboutPilot = z.object({ pilotId: z.string().min(1) });

/** The pilot an event is about, for the events of the lifecycle, the expert teams and the reports. */
export function pilotIdOf(envelope: AnyEnvelope): string | undefined {
  const parsed = aboutPilot.safeParse(envelope.data);
  return parsed.success ? parsed.data.pilotId : undefined;
}

export type Evaluation = { notices: Notice[] } | { waitingFor: string };

/**
 * The notices an event gives, given what is known of its pilot; or the pilot whose facts must
 * arrive first. Pure: the same event and facts give the same notices, every time it is redelivered.
 */
export function evaluate(envelope: AnyEnvelope, pilot: PilotFacts | undefined): Evaluation {
  const notices: Notice[] = [];
  for (const r of rulesOf(envelope)) {
    const outcome = r.apply(envelope, pilot);
    if (outcome === 'pilot') {
      const pilotId = pilotIdOf(envelope);
      if (!pilotId) throw new Error(`${envelope.type} names no pilot to wait for`);
      return { waitingFor: pilotId };
    }
    if (outcome) notices.push(outcome);
  }
  return { notices };
}
