/**
 * Who may do what on the public API: every operation of the merged OpenAPI document, for every
 * role, on an object of the caller's own region and of another. One table drives the test
 * (test/authorization-matrix.e2e.spec.ts) and the document (docs/security/authorization-matrix.md,
 * written by scripts/authorization-doc.ts; the test fails when the two differ).
 *
 * Rows run in order and, within a row, the refusals first: a row whose permitted caller changes
 * the object (publishing, confirming, withdrawing) comes after the rows that need it unchanged.
 */

/** The callers, each a demo user of the embedded default signed in through the portal. */
export const actors = [
  'anonymous',
  'programme-manager',
  'region',
  'partner-region',
  'other-region',
  'reviewer',
  'other-reviewer',
  'approver',
  'expert',
  'other-expert',
  'auditor',
] as const;
export type Actor = (typeof actors)[number];

export interface ActorDescription {
  /** Demo username; none for the caller without a token. */
  username?: string;
  /** The token's role. */
  role?: string;
  /** Column heading in the document. */
  heading: string;
  who: string;
}

export const actorDescriptions: Record<Actor, ActorDescription> = {
  anonymous: { heading: 'none', who: 'no token at all' },
  'programme-manager': {
    username: 'manager',
    role: 'programme-manager',
    heading: 'PM',
    who: 'programme manager',
  },
  region: { username: 'region-bg41', role: 'region', heading: 'R own', who: 'BG41, the lead region' },
  'partner-region': {
    username: 'region-el30',
    role: 'region',
    heading: 'R partner',
    who: 'EL30, a partner region of the lead application',
  },
  'other-region': {
    username: 'region-pl91',
    role: 'region',
    heading: 'R other',
    who: 'PL91, a region with no part in the objects',
  },
  reviewer: {
    username: 'reviewer1',
    role: 'reviewer',
    heading: 'Rev assigned',
    who: 'reviewer1, seated on the pilot (declared no conflict, reviewed)',
  },
  'other-reviewer': {
    username: 'reviewer3',
    role: 'reviewer',
    heading: 'Rev other',
    who: 'reviewer3, not seated on the pilot',
  },
  approver: { username: 'approver1', role: 'approver', heading: 'Appr', who: 'approver1' },
  expert: {
    username: 'expert01',
    role: 'expert',
    heading: 'Exp team',
    who: "expert01, the pilot's expert team",
  },
  'other-expert': {
    username: 'expert02',
    role: 'expert',
    heading: 'Exp other',
    who: 'expert02, in the registry but not on the team',
  },
  auditor: { username: 'auditor', role: 'auditor', heading: 'Aud', who: 'auditor' },
};

/**
 * The objects the rows act on, made by the test's set-up through the portal. All belong to the
 * lead region BG41 (with EL30 as partner) unless said otherwise.
 */
export const fixtures = {
  openCall: 'an open interregional-partnership call, the one the pilot was approved under',
  draftCall: "a programme manager's draft call",
  spareCall: 'a draft call that the rows publish, close and reserve budget on',
  pilot: 'the approved pilot (in implementation), a partnership of BG41 (lead) and EL30',
  draftApplication: 'a draft application of BG41 with EL30 invited as partner',
  assignment: "expert01's (accepted) assignment to the pilot's team",
  milestone: "the pilot's first milestone",
  file: 'a report file BG41 uploaded for the pilot',
  notification: "a notification in BG41's inbox",
} as const;
export type Fixture = keyof typeof fixtures;

/** The ids of the fixtures once made. */
export type FixtureIds = Record<Fixture, string>;

/** A status; for a list, also whether the row's `listed` object is among the items. */
export type Expected = number | { status: 200; lists: boolean };

export const statusOf = (expected: Expected): number =>
  typeof expected === 'number' ? expected : expected.status;

export interface AuthorizationRow {
  /** As in the OpenAPI document: `POST /api/pilots/{id}/decision`. */
  operation: string;
  /** What the row tries, on which object: shown in the document. */
  what: string;
  /** Path parameters: a fixture's id, or a literal value. */
  params?: Record<string, { fixture: Fixture } | string>;
  query?: (ids: FixtureIds) => string;
  body?: (ids: FixtureIds) => unknown;
  /** Sent as the body's Content-Type instead of JSON. */
  contentType?: string;
  /** For a list: the object each `{ status: 200, lists }` cell says is in it or not. */
  listed?: Fixture;
  expected: Record<Actor, Expected>;
}

type Cells = Partial<Record<Actor, Expected>>;

/** Every actor's cell: those named, `others` for the rest, and 401 without a token unless named. */
function cells(named: Cells, others: Expected = 403): Record<Actor, Expected> {
  return Object.fromEntries(
    actors.map((actor) => [actor, named[actor] ?? (actor === 'anonymous' ? 401 : others)]),
  ) as Record<Actor, Expected>;
}

const each = (group: readonly Actor[], expected: Expected): Cells =>
  Object.fromEntries(group.map((actor) => [actor, expected]));

const commission = ['programme-manager', 'approver', 'auditor'] as const;
const regions = ['region', 'partner-region', 'other-region'] as const;
const parties = ['region', 'partner-region'] as const;
const reviewers = ['reviewer', 'other-reviewer'] as const;
const listing = (lists: boolean) => ({ status: 200 as const, lists });

const pilot = { id: { fixture: 'pilot' as const } };
const criteria = [
  { criterionId: 'relevance', score: 4 },
  { criterionId: 'quality', score: 4 },
];

/** A complete call draft, open from a minute ago for a month. */
export function callBody(pilotType: 'industrial-transition' | 'interregional-partnership') {
  const day = 24 * 60 * 60 * 1000;
  const partnership = pilotType === 'interregional-partnership';
  return {
    pilotType,
    title: `Authorization matrix ${pilotType}`,
    summary: 'A call written by the authorization matrix.',
    eligibility: {
      countries: ['BG', 'GR', 'PL', 'ES', 'IT', 'DE'],
      minPartners: partnership ? 1 : 0,
      maxPartners: partnership ? 5 : 0,
      minCountries: partnership ? 2 : 1,
    },
    prioritySectors: [{ kind: 'economic', naceSection: 'C' }],
    criteria: [
      { id: 'relevance', name: 'Relevance', weight: 50, maxScore: 5 },
      { id: 'quality', name: 'Quality', weight: 50, maxScore: 5 },
    ],
    passThreshold: 60,
    reviewersPerApplication: 2,
    expertTeamSize: 1,
    totalBudget: 1_000_000_00,
    perApplicationCeiling: 250_000_00,
    opensAt: new Date(Date.now() - 60_000).toISOString(),
    closesAt: new Date(Date.now() + 30 * day).toISOString(),
  };
}

/** A draft application for a call, inviting one partner region. */
export const applicationBody = (callId: string, partner: string) => ({
  callId,
  title: 'A draft written by the authorization matrix',
  partners: [partner],
});

export const authorizationTable: AuthorizationRow[] = [
  // Calls for interest ------------------------------------------------------------------------
  {
    operation: 'POST /api/calls',
    what: 'create a complete draft',
    body: () => callBody('industrial-transition'),
    expected: cells({ 'programme-manager': 201 }),
  },
  {
    operation: 'POST /api/calls',
    what: 'mass assignment: a draft with `status`, `committedBudget`, `createdBy`',
    body: () => ({
      ...callBody('industrial-transition'),
      status: 'open',
      committedBudget: 0,
      createdBy: 'someone-else',
    }),
    expected: cells({ 'programme-manager': 400 }),
  },
  {
    operation: 'GET /api/calls',
    what: 'list: the open call is listed for everyone',
    listed: 'openCall',
    expected: cells({}, listing(true)),
  },
  {
    operation: 'GET /api/calls',
    what: 'list drafts (`?status=draft`): only the Commission side that may read drafts sees them',
    query: () => 'status=draft',
    listed: 'draftCall',
    expected: cells({ 'programme-manager': listing(true), auditor: listing(true) }, listing(false)),
  },
  {
    operation: 'GET /api/calls/{id}',
    what: 'read the open call',
    params: { id: { fixture: 'openCall' } },
    expected: cells({}, 200),
  },
  {
    operation: 'GET /api/calls/{id}',
    what: 'read a draft call',
    params: { id: { fixture: 'draftCall' } },
    expected: cells({ 'programme-manager': 200, auditor: 200 }, 404),
  },
  {
    operation: 'PATCH /api/calls/{id}',
    what: 'amend the draft call',
    params: { id: { fixture: 'draftCall' } },
    body: () => ({ title: 'Amended by the authorization matrix' }),
    expected: cells({ 'programme-manager': 200 }),
  },
  {
    operation: 'PATCH /api/calls/{id}',
    what: 'mass assignment: `status`, `remainingBudget`',
    params: { id: { fixture: 'draftCall' } },
    body: () => ({ status: 'open', remainingBudget: 1 }),
    expected: cells({ 'programme-manager': 400 }),
  },
  {
    operation: 'POST /api/calls/{id}/publish',
    what: 'publish the spare call',
    params: { id: { fixture: 'spareCall' } },
    expected: cells({ 'programme-manager': 200 }),
  },
  {
    operation: 'POST /api/calls/{id}/close',
    what: 'close the spare call',
    params: { id: { fixture: 'spareCall' } },
    expected: cells({ 'programme-manager': 200 }),
  },
  {
    operation: 'POST /api/calls/{id}/reservations',
    what: 'reserve budget on the closed spare call (the approver repeats the manager’s: 200)',
    params: { id: { fixture: 'spareCall' } },
    body: () => ({ applicationId: 'authorization-matrix', amount: 100 }),
    expected: cells({ 'programme-manager': 201, approver: 200 }),
  },

  // Applications ------------------------------------------------------------------------------
  {
    operation: 'POST /api/applications',
    what: 'draft an application for the open call (any region may)',
    body: (ids) => applicationBody(ids.openCall, 'ITC4'),
    expected: cells(each(regions, 201)),
  },
  {
    operation: 'POST /api/applications',
    what: 'mass assignment: a draft with `region` and `status`',
    body: (ids) => ({ ...applicationBody(ids.openCall, 'ITC4'), region: 'FI1B', status: 'approved' }),
    expected: cells(each(regions, 400)),
  },
  {
    operation: 'GET /api/applications',
    what: "list: the pilot's application only for its parties and the Commission",
    listed: 'pilot',
    expected: cells({
      ...each(commission, listing(true)),
      ...each(parties, listing(true)),
      'other-region': listing(false),
    }),
  },
  {
    operation: 'GET /api/applications/{id}',
    what: "read the pilot's application",
    params: pilot,
    expected: cells({ ...each(commission, 200), ...each(parties, 200), 'other-region': 404 }),
  },
  {
    operation: 'GET /api/applications/{id}/submissions/{version}',
    what: "read the pilot's frozen submission",
    params: { ...pilot, version: '1' },
    expected: cells({ ...each(commission, 200), ...each(parties, 200), 'other-region': 404 }),
  },
  {
    operation: 'PATCH /api/applications/{id}',
    what: 'edit the draft application',
    params: { id: { fixture: 'draftApplication' } },
    body: () => ({ title: 'Edited by the authorization matrix' }),
    expected: cells({ region: 200, 'partner-region': 403, 'other-region': 404 }),
  },
  {
    operation: 'PATCH /api/applications/{id}',
    what: 'mass assignment: `status`, `region`, `version`',
    params: { id: { fixture: 'draftApplication' } },
    body: () => ({ status: 'submitted', region: 'PL91', version: 9 }),
    expected: cells(each(regions, 400)),
  },
  {
    operation: 'POST /api/applications/{id}/submit',
    what: 'submit the draft application before its partner confirmed (422: allowed, incomplete)',
    params: { id: { fixture: 'draftApplication' } },
    expected: cells({ region: 422, 'partner-region': 403, 'other-region': 404 }),
  },
  {
    operation: 'POST /api/applications/{id}/partners/{nutsCode}/confirm',
    what: "confirm EL30's partnership in the draft application",
    params: { id: { fixture: 'draftApplication' }, nutsCode: 'EL30' },
    expected: cells({ region: 403, 'partner-region': 200, 'other-region': 404 }),
  },
  {
    operation: 'POST /api/applications/{id}/partners/{nutsCode}/confirm',
    what: 'confirm PL91, never invited, into the draft application',
    params: { id: { fixture: 'draftApplication' }, nutsCode: 'PL91' },
    expected: cells({ region: 403, 'partner-region': 403, 'other-region': 404 }),
  },
  {
    operation: 'POST /api/applications/{id}/withdraw',
    what: 'withdraw the draft application',
    params: { id: { fixture: 'draftApplication' } },
    expected: cells({ region: 200, 'partner-region': 403, 'other-region': 404 }),
  },

  // Pilots, evaluation and decision -----------------------------------------------------------
  {
    operation: 'GET /api/pilots',
    what: 'list: the pilot only for its parties and the Commission',
    listed: 'pilot',
    expected: cells({
      ...each(commission, listing(true)),
      ...each(parties, listing(true)),
      'other-region': listing(false),
    }),
  },
  {
    operation: 'GET /api/pilots/{id}',
    what: 'read the pilot',
    params: pilot,
    expected: cells(
      { ...each(commission, 200), ...each(parties, 200), reviewer: 200, expert: 200, anonymous: 401 },
      404,
    ),
  },
  {
    operation: 'GET /api/pilots/{id}/application',
    what: "read the pilot's application content",
    params: pilot,
    expected: cells(
      { ...each(commission, 200), ...each(parties, 200), reviewer: 200, expert: 200, anonymous: 401 },
      404,
    ),
  },
  {
    operation: 'POST /api/pilots/{id}/conflicts',
    what: 'declare no conflict of interest (409: allowed, evaluation is over)',
    params: pilot,
    body: () => ({ conflict: false, statement: 'No tie to these regions.' }),
    expected: cells({ reviewer: 409, 'other-reviewer': 404 }),
  },
  {
    operation: 'POST /api/pilots/{id}/reviews',
    what: 'score the pilot (409: allowed, already reviewed)',
    params: pilot,
    body: () => ({ scores: criteria }),
    expected: cells({ reviewer: 409, 'other-reviewer': 404 }),
  },
  {
    operation: 'POST /api/pilots/{id}/reviews',
    what: 'mass assignment: a review naming another `reviewer` and its `weightedScore`',
    params: pilot,
    body: () => ({ scores: criteria, reviewer: 'reviewer2', weightedScore: 100 }),
    expected: cells(each(reviewers, 400)),
  },
  {
    operation: 'POST /api/pilots/{id}/consensus',
    what: 'submit agreed scores (409: allowed, no consensus step)',
    params: pilot,
    body: () => ({ scores: criteria }),
    expected: cells({ reviewer: 409, 'other-reviewer': 404 }),
  },
  {
    operation: 'POST /api/pilots/{id}/decision',
    what: 'decide (409: allowed, already decided)',
    params: pilot,
    body: () => ({ decision: 'approve', reasons: 'Approved again by the matrix.' }),
    expected: cells({ approver: 409 }),
  },
  {
    operation: 'POST /api/pilots/{id}/decision',
    what: 'mass assignment: a decision with an `amount` and a `by`',
    params: pilot,
    body: () => ({ decision: 'approve', reasons: 'Approved.', amount: 1, by: 'manager' }),
    expected: cells({ approver: 400 }),
  },
  {
    operation: 'POST /api/pilots/{id}/conditions',
    what: 'confirm conditions met (409: allowed, none were set)',
    params: pilot,
    body: () => ({ statement: 'Conditions met.' }),
    expected: cells({ approver: 409 }),
  },
  {
    operation: 'POST /api/pilots/{id}/revision',
    what: 'resubmit after revise (409: allowed to see it, not in the revision stage)',
    params: pilot,
    body: () => ({ submissionVersion: 2 }),
    expected: cells({ ...each(parties, 409), 'other-region': 404 }),
  },
  {
    operation: 'GET /api/reviews',
    what: 'my evaluation tasks (`?mine=true&all=true`): the pilot only for its reviewer',
    query: () => 'mine=true&all=true',
    listed: 'pilot',
    expected: cells({ reviewer: listing(true), 'other-reviewer': listing(false) }),
  },
  {
    operation: 'GET /api/reviewers',
    what: 'list the reviewer pool',
    expected: cells({ 'programme-manager': 200, auditor: 200 }),
  },
  {
    operation: 'GET /api/reviewers/{id}',
    what: 'read reviewer1 in the pool',
    params: { id: 'reviewer1' },
    expected: cells({ 'programme-manager': 200, auditor: 200 }),
  },
  {
    operation: 'PUT /api/reviewers/{id}',
    what: 'put reviewer1 back as it is',
    params: { id: 'reviewer1' },
    body: () => ({ name: 'Reviewer One', country: 'NL' }),
    expected: cells({ 'programme-manager': 200 }),
  },
  {
    operation: 'PUT /api/reviewers/{id}',
    what: 'mass assignment: `updatedBy`',
    params: { id: 'reviewer1' },
    body: () => ({ name: 'Reviewer One', country: 'NL', updatedBy: 'someone-else' }),
    expected: cells({ 'programme-manager': 400 }),
  },

  // Expert teams ------------------------------------------------------------------------------
  {
    operation: 'POST /api/experts',
    what: 'register an expert',
    body: () => ({
      id: 'expert39',
      name: 'Expert 39',
      country: 'DK',
      languages: ['da', 'en'],
      supportAreas: ['skills'],
      capacity: 1,
      active: false,
    }),
    expected: cells({ 'programme-manager': 201 }),
  },
  {
    operation: 'GET /api/experts',
    what: 'list the registry',
    expected: cells(each(commission, 200)),
  },
  {
    operation: 'GET /api/experts/{id}',
    what: 'read expert01',
    params: { id: 'expert01' },
    expected: cells(each(commission, 200)),
  },
  {
    operation: 'PATCH /api/experts/{id}',
    what: 'change expert02’s capacity',
    params: { id: 'expert02' },
    body: () => ({ capacity: 3 }),
    expected: cells({ 'programme-manager': 200 }),
  },
  {
    operation: 'PATCH /api/experts/{id}',
    what: 'mass assignment: `id`, `version`',
    params: { id: 'expert02' },
    body: () => ({ id: 'expert99', version: 9 }),
    expected: cells({ 'programme-manager': 400 }),
  },
  {
    operation: 'GET /api/pilots/{id}/team',
    what: "read the pilot's team",
    params: pilot,
    expected: cells({ ...each(commission, 200), ...each(parties, 200), expert: 200, anonymous: 401 }, 404),
  },
  {
    operation: 'POST /api/pilots/{id}/team/retry',
    what: 'retry the team (409: allowed, it has not failed)',
    params: pilot,
    expected: cells({ 'programme-manager': 409 }),
  },
  {
    operation: 'POST /api/pilots/{id}/team/members/{expertId}/replace',
    what: 'replace expert02, not a member (409: allowed, no such seat)',
    params: { ...pilot, expertId: 'expert02' },
    body: () => ({ reason: 'The matrix asks.' }),
    expected: cells({ 'programme-manager': 409 }),
  },
  {
    operation: 'GET /api/assignments',
    what: 'my assignments (`?mine=true&all=true`): the assignment only for its expert',
    query: () => 'mine=true&all=true',
    listed: 'assignment',
    expected: cells({ expert: listing(true), 'other-expert': listing(false) }),
  },
  {
    operation: 'POST /api/assignments/{id}/accept',
    what: "accept expert01's assignment (409: allowed, already accepted)",
    params: { id: { fixture: 'assignment' } },
    expected: cells({ expert: 409, 'other-expert': 404 }),
  },
  {
    operation: 'POST /api/assignments/{id}/decline',
    what: "decline expert01's assignment (409: allowed, already accepted)",
    params: { id: { fixture: 'assignment' } },
    body: () => ({ reason: 'The matrix asks.' }),
    expected: cells({ expert: 409, 'other-expert': 404 }),
  },

  // Notifications -----------------------------------------------------------------------------
  {
    operation: 'GET /api/notifications',
    what: "my inbox (`?mine=true&limit=100`): BG41's notification only in BG41's",
    query: () => 'mine=true&limit=100',
    listed: 'notification',
    expected: cells({ region: listing(true) }, listing(false)),
  },
  {
    operation: 'POST /api/notifications/{id}/read',
    what: "mark BG41's notification read",
    params: { id: { fixture: 'notification' } },
    expected: cells({ region: 200 }, 404),
  },
  {
    operation: 'GET /api/notifications/preferences',
    what: 'my preferences',
    expected: cells({}, 200),
  },
  {
    operation: 'PUT /api/notifications/preferences',
    what: 'set my preferences',
    body: () => ({ kinds: {} }),
    expected: cells({}, 200),
  },
  {
    operation: 'PUT /api/notifications/preferences',
    what: 'mass assignment: another `sub`, a `version`',
    body: () => ({ kinds: {}, sub: 'manager', version: 7 }),
    expected: cells({}, 400),
  },

  // Milestones, reports, files ----------------------------------------------------------------
  {
    operation: 'GET /api/pilots/{id}/milestones',
    what: "list the pilot's milestones",
    params: pilot,
    expected: cells({ ...each(commission, 200), ...each(parties, 200), anonymous: 401 }, 404),
  },
  {
    operation: 'GET /api/milestones',
    what: "list milestones (`?pilotId=` the pilot): only for the pilot's parties and the Commission",
    query: (ids) => `pilotId=${ids.pilot}`,
    listed: 'milestone',
    expected: cells({
      ...each(commission, listing(true)),
      ...each(parties, listing(true)),
      'other-region': listing(false),
    }),
  },
  {
    operation: 'GET /api/milestones/{id}',
    what: 'read the milestone',
    params: { id: { fixture: 'milestone' } },
    expected: cells({ ...each(commission, 200), ...each(parties, 200), anonymous: 401 }, 404),
  },
  {
    operation: 'POST /api/pilots/{id}/files',
    what: 'upload a report file (text/plain)',
    params: pilot,
    query: () => 'name=matrix.txt',
    body: () => 'Uploaded by the authorization matrix.',
    contentType: 'text/plain',
    expected: cells({ region: 201, 'partner-region': 403, 'other-region': 404 }),
  },
  {
    operation: 'GET /api/files/{id}',
    what: 'download the report file',
    params: { id: { fixture: 'file' } },
    expected: cells({ ...each(commission, 200), ...each(parties, 200), anonymous: 401 }, 404),
  },
  {
    operation: 'POST /api/milestones/{id}/reports',
    what: 'mass assignment: a report with `reportedBy` and `status`',
    params: { id: { fixture: 'milestone' } },
    body: () => ({
      summary: 'Done.',
      deliverables: ['A plan'],
      reportedBy: 'region-el30',
      status: 'accepted',
    }),
    expected: cells(each(regions, 400)),
  },
  {
    operation: 'POST /api/milestones/{id}/reports',
    what: 'report on the milestone',
    params: { id: { fixture: 'milestone' } },
    body: () => ({ summary: 'Done as planned.', deliverables: ['Academy plan'] }),
    expected: cells({ region: 201, 'partner-region': 403, 'other-region': 404 }),
  },
  {
    operation: 'POST /api/milestones/{id}/verification',
    what: 'mass assignment: a verdict naming another `auditor`',
    params: { id: { fixture: 'milestone' } },
    body: () => ({ verdict: 'accepted', auditor: 'manager' }),
    expected: cells({ auditor: 400 }),
  },
  {
    operation: 'POST /api/milestones/{id}/verification',
    what: "accept the milestone's report",
    params: { id: { fixture: 'milestone' } },
    body: () => ({ verdict: 'accepted' }),
    expected: cells({ auditor: 201 }),
  },
  {
    operation: 'GET /api/pilots/{id}/final-report',
    what: "read the pilot's final report",
    params: pilot,
    expected: cells({ ...each(commission, 200), ...each(parties, 200), anonymous: 401 }, 404),
  },
  {
    operation: 'POST /api/pilots/{id}/final-report',
    what: 'file the final report (409: allowed, milestones still open)',
    params: pilot,
    body: () => ({ summary: 'The pilot met its goals.' }),
    expected: cells({ region: 409, 'partner-region': 403, 'other-region': 404 }),
  },
  {
    operation: 'POST /api/pilots/{id}/final-report/verification',
    what: 'verify the final report (409: allowed, none filed)',
    params: pilot,
    body: () => ({ verdict: 'accepted' }),
    expected: cells({ auditor: 409 }),
  },

  // Audit, figures, exports, open data ---------------------------------------------------------
  {
    operation: 'GET /api/pilots/{id}/timeline',
    what: "read the pilot's timeline",
    params: pilot,
    expected: cells({ ...each(commission, 200), ...each(parties, 200), anonymous: 401 }, 404),
  },
  {
    operation: 'GET /api/audit',
    what: 'read the audit trail',
    expected: cells({ 'programme-manager': 200, auditor: 200 }),
  },
  {
    operation: 'GET /api/audit/verify',
    what: 'verify the hash chain',
    expected: cells({ 'programme-manager': 200, auditor: 200 }),
  },
  {
    operation: 'GET /api/exports/audit.jsonl',
    what: 'export the audit trail',
    expected: cells({ 'programme-manager': 200, auditor: 200 }),
  },
  {
    operation: 'GET /api/dashboard',
    what: 'read the figures',
    expected: cells(each(commission, 200)),
  },
  {
    operation: 'GET /api/exports/pilots.csv',
    what: 'export the pilots',
    expected: cells(each(commission, 200)),
  },
  {
    operation: 'GET /api/open-data/calls',
    what: 'open data: published calls, no token needed',
    expected: cells({ anonymous: 200 }, 200),
  },

  // The portal's own --------------------------------------------------------------------------
  {
    operation: 'GET /api/openapi.json',
    what: 'the merged API document',
    expected: cells({ anonymous: 200 }, 200),
  },
  {
    operation: 'POST /api/auth/token',
    what: 'sign in (as the auditor, whatever token is sent)',
    body: () => ({ username: 'auditor', password: 'demo' }),
    expected: cells({ anonymous: 200 }, 200),
  },
  {
    operation: 'GET /api/auth/demo-users',
    what: 'the demo users (embedded default only)',
    expected: cells({ anonymous: 200 }, 200),
  },
  {
    operation: 'GET /.well-known/jwks.json',
    what: "the issuer's public keys",
    expected: cells({ anonymous: 200 }, 200),
  },

  // Last: the replay leaves the read models partial for a moment.
  {
    operation: 'POST /api/projections/rebuild',
    what: 'rebuild the read models',
    expected: cells({ 'programme-manager': 202 }),
  },
];
