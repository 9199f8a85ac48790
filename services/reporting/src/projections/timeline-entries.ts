import type { Actor } from '@s3p/contracts';
import { formatEuro } from '@s3p/contracts';
import type { PilotEvent } from './projected-events';
import { pilotIdOf, utc } from './projected-events';

/**
 * Who may read an entry besides the Commission: the pilot's regions read its stages, decisions,
 * reports and verdicts, not who reviewed it nor which experts were asked, declined or replaced
 * (as the lifecycle and the experts service keep those from them).
 */
export type TimelineVisibility = 'parties' | 'commission';

/** One event of a pilot's history, keyed by the event's id: a redelivery writes the same entry. */
export interface TimelineEntry {
  _id: string;
  pilotId: string;
  occurredAt: string;
  type: string;
  version: number;
  actor: Actor;
  summary: string;
  details: Record<string, unknown>;
  visibility: TimelineVisibility;
}

interface Described {
  summary: string;
  details: Record<string, unknown>;
  visibility?: TimelineVisibility;
}

const milestoneName = (index: number) => `milestone ${index + 1}`;

/** What an event says, in a line and in its facts; long texts (report summaries) stay with the reports. */
function describe(event: PilotEvent): Described {
  switch (event.type) {
    case 'application.submitted': {
      const { application, receipt } = event.data;
      return {
        summary: `submitted, version ${receipt.submissionVersion}`,
        details: {
          title: application.title,
          submissionVersion: receipt.submissionVersion,
          contentHash: receipt.contentHash,
          requested: application.budget.requested,
        },
      };
    }
    case 'application.withdrawn':
      return { summary: 'withdrawn by the region', details: { reason: event.data.reason } };
    case 'lifecycle.stage-changed': {
      const { sequence, from, to, reason, reasons, dueAt } = event.data;
      return {
        summary: `${from ?? 'start'} → ${to}: ${reason}`,
        details: { sequence, from, to, reason, reasons, dueAt },
      };
    }
    case 'lifecycle.reviewers-assigned':
      return {
        summary: `${event.data.reviewers.length} reviewer(s) assigned`,
        details: { reviewers: event.data.reviewers, dueAt: event.data.dueAt },
        visibility: 'commission',
      };
    case 'lifecycle.conflict-declared': {
      const { reviewer, conflict, replacement } = event.data;
      return {
        summary: conflict
          ? `${reviewer} declared a conflict of interest`
          : `${reviewer} declared no conflict`,
        details: { reviewer, conflict, replacement },
        visibility: 'commission',
      };
    }
    case 'lifecycle.review-submitted': {
      const { reviewer, weightedScore, consensus } = event.data;
      return {
        summary: `${consensus ? 'consensus review' : 'review'} by ${reviewer}: ${weightedScore}%`,
        details: { reviewer, weightedScore, consensus },
        visibility: 'commission',
      };
    }
    case 'lifecycle.decision-taken': {
      const { decision, approver, reasons, score, conditions, dueAt } = event.data;
      return {
        summary: `decision by ${approver}: ${decision}`,
        details: { decision, approver, reasons, score, conditions, dueAt },
      };
    }
    case 'pilot.approved':
      return {
        summary: `approved: ${formatEuro(event.data.amount)} committed`,
        details: { amount: event.data.amount, approvedAt: event.data.approvedAt },
      };
    case 'lifecycle.milestone-overdue': {
      const { milestone, title, dueDate } = event.data;
      return {
        summary: `${milestoneName(milestone)} overdue (${dueDate})`,
        details: { milestone, title, dueDate },
      };
    }
    case 'expert-team.invited': {
      const { teamId, expertId, lead, dueAt } = event.data;
      return {
        summary: `${expertId} invited to the expert team${lead ? ' as its lead' : ''}`,
        details: { teamId, expertId, lead, dueAt },
        visibility: 'commission',
      };
    }
    case 'expert-team.invitation-answered': {
      const { teamId, expertId, answer, reason } = event.data;
      return {
        summary: `${expertId}: invitation ${answer}`,
        details: { teamId, expertId, answer, reason },
        visibility: 'commission',
      };
    }
    case 'expert-team.assigned': {
      const { teamId, members, assignedAt } = event.data;
      return {
        summary: `expert team assigned (${members.length} expert(s))`,
        details: { teamId, members, assignedAt },
      };
    }
    case 'expert-team.assignment-failed': {
      const { teamId, uncovered, reason } = event.data;
      return {
        summary: `no expert team could be formed: ${reason}`,
        details: { teamId, uncovered, reason },
        visibility: 'commission',
      };
    }
    case 'expert-team.member-replaced': {
      const { teamId, expertId, reason } = event.data;
      return {
        summary: `${expertId} left the expert team`,
        details: { teamId, expertId, reason },
        visibility: 'commission',
      };
    }
    case 'expert-team.released':
      return {
        summary: 'expert team released',
        details: { teamId: event.data.teamId, reason: event.data.reason },
      };
    case 'milestone.reported': {
      const { milestone, reportId, deliverables, files, reportedAt } = event.data;
      return {
        summary: `${milestoneName(milestone)} reported`,
        details: { milestone, reportId, deliverables, files, reportedAt },
      };
    }
    case 'milestone.verified': {
      const { milestone, verdict, note, verifiedAt } = event.data;
      return {
        summary: `${milestoneName(milestone)} ${verdict}`,
        details: { milestone, verdict, note, verifiedAt },
      };
    }
    case 'final-report.submitted': {
      const { reportId, files, submittedAt } = event.data;
      return { summary: 'final report submitted', details: { reportId, files, submittedAt } };
    }
    case 'final-report.accepted':
      return { summary: 'final report accepted', details: { acceptedAt: event.data.acceptedAt } };
    case 'final-report.rejected':
      return {
        summary: 'final report rejected',
        details: { note: event.data.note, rejectedAt: event.data.rejectedAt },
      };
  }
}

/** The timeline entry an event makes: a function of the event alone. */
export function timelineEntryOf(event: PilotEvent): TimelineEntry {
  const { summary, details, visibility = 'parties' } = describe(event);
  return {
    _id: event.id,
    pilotId: pilotIdOf(event),
    occurredAt: utc(event.occurredAt),
    type: event.type,
    version: event.version,
    actor: event.actor,
    summary,
    // As stored: an absent optional fact is left out rather than written as null.
    details: JSON.parse(JSON.stringify(details)) as Record<string, unknown>,
    visibility,
  };
}

/**
 * A pilot's timeline as kept: one document per pilot, its entries oldest first, so that a read is
 * one lookup by `_id` (FerretDB 1.x reads the whole collection for a filter on any other field).
 */
export interface PilotTimeline {
  _id: string;
  entries: TimelineEntry[];
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Oldest first, by event time, then by event id, so that ties always sort the same way. */
const entryOrder = (a: TimelineEntry, b: TimelineEntry): number =>
  compare(a.occurredAt, b.occurredAt) || compare(a._id, b._id);

/** The timeline with the entry in its place; the same timeline when the entry is in it already. */
export function timelineWith(timeline: PilotTimeline | undefined, entry: TimelineEntry): PilotTimeline {
  const held = timeline ?? { _id: entry.pilotId, entries: [] };
  if (held.entries.some((kept) => kept._id === entry._id)) return held;
  return { ...held, entries: [...held.entries, entry].sort(entryOrder) };
}

/** What an audience reads of a timeline: all of it for the Commission, the parties' entries for its regions. */
export const entriesFor = (timeline: PilotTimeline | null, audience: TimelineVisibility): TimelineEntry[] =>
  (timeline?.entries ?? []).filter((entry) => audience === 'commission' || entry.visibility === 'parties');
