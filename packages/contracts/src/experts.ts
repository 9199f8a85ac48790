import { z } from 'zod';
import { supportArea } from './applications';
import { envelope } from './events/envelope';
import { memberState } from './values/country';
import { euLanguage } from './values/language';
import { nutsCode } from './values/nuts';
import { priorityDomain } from './values/priority-domain';

const timestamp = z.iso.datetime({ offset: true });
const date = z.iso.date();
const text = (max: number) => z.string().trim().min(1).max(max);

/** An expert's id is the subject of its sign-in: the registry and the identity provider agree on it. */
export const expertId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'lower-case letters, digits, dots, dashes or underscores, 2 to 64');

/** A period, in whole days, in which the expert can take on a pilot; both days included. */
export const availabilityWindow = z
  .strictObject({ from: date, to: date })
  .refine((w) => w.from <= w.to, { path: ['to'], message: 'must not be before from' });

/** What an expert declared it may not work on: regions, their member states, organisations. */
export const expertConflicts = z.strictObject({
  regions: z.array(nutsCode).max(300).default([]),
  countries: z.array(memberState).max(27).default([]),
  organisations: z.array(text(200)).max(100).default([]),
});

const noConflicts = { regions: [], countries: [], organisations: [] };

/** Without defaults: a patch that leaves a field out leaves it as it is. */
const expertFields = z.strictObject({
  name: text(200),
  country: memberState,
  languages: z.array(euLanguage).min(1).max(24),
  /** S3 priority domains the expert knows, classified as the applications name them. */
  domains: z.array(priorityDomain).max(50),
  /** The kinds of support the expert gives. */
  supportAreas: z.array(supportArea).max(5),
  /** How many pilots the expert can support at the same time. */
  capacity: z.number().int().min(1).max(10),
  /** When the expert can start on a pilot; always, when none is given. */
  availability: z.array(availabilityWindow).max(20),
  conflicts: expertConflicts,
  /** An inactive expert keeps its teams but is not proposed again. */
  active: z.boolean(),
});

const hasExpertise = (expert: { domains?: unknown[]; supportAreas?: unknown[] }) =>
  (expert.domains?.length ?? 0) + (expert.supportAreas?.length ?? 0) > 0;

/** `POST /api/experts` (programme manager): an expert joins the registry. */
export const expertBody = expertFields
  .extend({
    id: expertId,
    domains: expertFields.shape.domains.default([]),
    supportAreas: expertFields.shape.supportAreas.default([]),
    availability: expertFields.shape.availability.default([]),
    conflicts: expertConflicts.default(noConflicts),
    active: z.boolean().default(true),
  })
  .refine(hasExpertise, {
    path: ['domains'],
    message: 'an expert needs at least one domain or support area',
  });
export type ExpertBody = z.infer<typeof expertBody>;

/** `PATCH /api/experts/{id}`: the fields it changes; the id never changes. */
export const expertPatchBody = expertFields
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'a patch must change at least one field' });
export type ExpertPatchBody = z.infer<typeof expertPatchBody>;

/** An expert as the registry keeps it, and as its events carry it. */
export const expertSnapshot = z.strictObject({
  ...expertFields.shape,
  id: expertId,
  version: z.number().int().min(1),
});
export type ExpertSnapshot = z.infer<typeof expertSnapshot>;

/** `POST /api/assignments/{id}/decline` (the invited expert). */
export const declineBody = z.strictObject({ reason: text(2_000) });
export type DeclineBody = z.infer<typeof declineBody>;

/** `POST /api/pilots/{id}/team/members/{expertId}/replace` (programme manager): a member leaves. */
export const replaceMemberBody = z.strictObject({ reason: text(2_000) });
export type ReplaceMemberBody = z.infer<typeof replaceMemberBody>;

/** One seat of an expert team, as the lifecycle and the region learn of it. */
export const teamMember = z.strictObject({
  expertId: z.string().min(1),
  country: memberState,
  lead: z.boolean(),
});
export type TeamMember = z.infer<typeof teamMember>;

/** Something a team must cover: a priority domain of the application, or a kind of support it asked for. */
export const teamRequirement = z.strictObject({
  key: z.string().min(1),
  label: z.string().min(1),
});
export type TeamRequirement = z.infer<typeof teamRequirement>;

export const invitationAnswer = z.enum(['accepted', 'declined', 'lapsed']);
export type InvitationAnswer = z.infer<typeof invitationAnswer>;

export const expertEvents = {
  expertRegistered: envelope('expert.registered', 1, z.strictObject({ expert: expertSnapshot })),
  expertUpdated: envelope(
    'expert.updated',
    1,
    z.strictObject({ expert: expertSnapshot, changed: z.array(z.string()).min(1) }),
  ),
  /** An expert is asked to join a pilot's team, and must answer by `dueAt`. */
  memberInvited: envelope(
    'expert-team.invited',
    1,
    z.strictObject({
      pilotId: z.string().min(1),
      teamId: z.string().min(1),
      assignmentId: z.string().min(1),
      expertId,
      lead: z.boolean(),
      /** Keys of the requirements this expert is chosen to cover. */
      covers: z.array(z.string()),
      dueAt: timestamp,
    }),
  ),
  /** An invitation is about to lapse: its expert is reminded to answer. */
  invitationReminded: envelope(
    'expert-team.invitation-reminded',
    1,
    z.strictObject({
      pilotId: z.string().min(1),
      teamId: z.string().min(1),
      assignmentId: z.string().min(1),
      expertId,
      dueAt: timestamp,
    }),
  ),
  invitationAnswered: envelope(
    'expert-team.invitation-answered',
    1,
    z.strictObject({
      pilotId: z.string().min(1),
      teamId: z.string().min(1),
      assignmentId: z.string().min(1),
      expertId,
      answer: invitationAnswer,
      reason: text(2_000).optional(),
    }),
  ),
  /**
   * Every seat of the pilot's team is accepted: the pilot goes into implementation. Published
   * again, with the same team id, when a replacement has completed the team anew.
   */
  teamAssigned: envelope(
    'expert-team.assigned',
    1,
    z.strictObject({
      pilotId: z.string().min(1),
      teamId: z.string().min(1),
      members: z.array(teamMember).min(1),
      assignedAt: timestamp,
    }),
  ),
  /** No team can be formed from the pool as it is; the programme manager adds experts and retries. */
  assignmentFailed: envelope(
    'expert-team.assignment-failed',
    1,
    z.strictObject({
      pilotId: z.string().min(1),
      teamId: z.string().min(1),
      uncovered: z.array(teamRequirement),
      reason: text(10_000),
    }),
  ),
  /** A member leaves a formed team (illness, a conflict found late); the pilot goes on. */
  memberReplaced: envelope(
    'expert-team.member-replaced',
    1,
    z.strictObject({
      pilotId: z.string().min(1),
      teamId: z.string().min(1),
      expertId,
      reason: text(2_000),
    }),
  ),
  /** The pilot ended: its experts' capacity is free again. */
  teamReleased: envelope(
    'expert-team.released',
    1,
    z.strictObject({ pilotId: z.string().min(1), teamId: z.string().min(1), reason: text(2_000) }),
  ),
} as const;
