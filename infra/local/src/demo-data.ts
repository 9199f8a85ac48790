/**
 * The demo data `npm start` puts in through the public API, as the demo users would: calls of
 * both pilot types, published, and a draft application. Safe to run again: what exists is kept.
 */

interface CallSummary {
  id: string;
  title: string;
  status: string;
}

const day = 24 * 60 * 60 * 1000;
const at = (offsetDays: number) => new Date(Date.now() + offsetDays * day).toISOString();

const criteria = [
  { id: 'relevance', name: 'Relevance to the region’s S3 strategy', weight: 40, maxScore: 5 },
  { id: 'quality', name: 'Quality of the work plan', weight: 35, maxScore: 5 },
  { id: 'impact', name: 'Expected impact and sustainability', weight: 25, maxScore: 5 },
];

const allMemberStates = [
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'GR',
  'ES',
  'FI',
  'FR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
];

/** Titles identify the demo calls, so a second run finds them instead of adding new ones. */
export const demoCalls = () => [
  {
    pilotType: 'industrial-transition',
    title: 'Industrial transition: tailored support for regions in transition',
    summary:
      'Regions facing industrial change ask for a team of Commission experts to boost innovation capacity, remove barriers to investment, build skills and prepare for industrial transition on the basis of their S3 strategy.',
    eligibility: { countries: allMemberStates, minPartners: 0, maxPartners: 0, minCountries: 1 },
    prioritySectors: [
      { kind: 'economic', naceSection: 'C' },
      { kind: 'economic', naceSection: 'D' },
      { kind: 'scientific', nabsChapter: '07' },
    ],
    criteria,
    passThreshold: 60,
    reviewersPerApplication: 3,
    scoreTolerance: 15,
    totalBudget: 1_200_000_00,
    perApplicationCeiling: 300_000_00,
    opensAt: at(-1),
    closesAt: at(60),
  },
  {
    pilotType: 'interregional-partnership',
    title: 'Interregional innovation partnerships: European value chains',
    summary:
      'A lead region and partner regions from several member states propose bankable interregional projects that build European value chains in priority sectors such as big data, bioeconomy, resource efficiency, connected mobility and advanced manufacturing.',
    eligibility: { countries: allMemberStates, minPartners: 2, maxPartners: 10, minCountries: 2 },
    prioritySectors: [
      { kind: 'economic', naceSection: 'J' },
      { kind: 'economic', naceSection: 'C', naceDivision: '29' },
      { kind: 'economic', naceSection: 'A' },
    ],
    criteria,
    passThreshold: 65,
    reviewersPerApplication: 3,
    scoreTolerance: 15,
    totalBudget: 2_000_000_00,
    perApplicationCeiling: 500_000_00,
    opensAt: at(-1),
    closesAt: at(90),
  },
  {
    pilotType: 'industrial-transition',
    title: 'Industrial transition, second round (opens next week)',
    summary: 'The second round of tailored support for industrial-transition regions.',
    eligibility: { countries: allMemberStates, minPartners: 0, maxPartners: 0, minCountries: 1 },
    prioritySectors: [{ kind: 'economic', naceSection: 'C' }],
    criteria,
    passThreshold: 60,
    reviewersPerApplication: 2,
    scoreTolerance: 15,
    totalBudget: 800_000_00,
    perApplicationCeiling: 200_000_00,
    opensAt: at(7),
    closesAt: at(97),
  },
];

class DemoDataError extends Error {}

async function call<T>(
  portal: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${portal}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new DemoDataError(`${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function tokenOf(portal: string, username: string): Promise<string> {
  const { access_token } = await call<{ access_token: string }>(
    portal,
    'POST',
    '/api/auth/token',
    undefined,
    {
      username,
      password: 'demo',
    },
  );
  return access_token;
}

/** The demo reviewers in the lifecycle's pool: never seated on a pilot of their own country. */
export const demoReviewers = [
  { id: 'reviewer1', name: 'Reviewer One', country: 'NL' },
  { id: 'reviewer2', name: 'Reviewer Two', country: 'AT' },
  { id: 'reviewer3', name: 'Reviewer Three', country: 'IE' },
  { id: 'reviewer4', name: 'Reviewer Four', country: 'DK' },
  { id: 'reviewer5', name: 'Reviewer Five', country: 'LU' },
];

export async function seedDemoData(portal: string, log: (line: string) => void): Promise<void> {
  const manager = await tokenOf(portal, 'manager');
  for (const { id, ...reviewer } of demoReviewers) {
    await call(portal, 'PUT', `/api/reviewers/${id}`, manager, reviewer);
  }
  log(`reviewer pool: ${demoReviewers.map((r) => r.id).join(', ')}`);
  const existing = new Map<string, CallSummary>();
  let cursor: string | undefined;
  do {
    const page = await call<{ items: CallSummary[]; nextCursor?: string }>(
      portal,
      'GET',
      `/api/calls?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      manager,
    );
    for (const item of page.items) existing.set(item.title, item);
    cursor = page.nextCursor;
  } while (cursor);

  for (const draft of demoCalls()) {
    let found = existing.get(draft.title);
    if (!found) {
      found = await call<CallSummary>(portal, 'POST', '/api/calls', manager, draft);
      log(`demo call created: ${draft.title}`);
    }
    if (found.status === 'draft') {
      await call(portal, 'POST', `/api/calls/${found.id}/publish`, manager);
      log(`demo call published: ${draft.title}`);
    }
  }
}
