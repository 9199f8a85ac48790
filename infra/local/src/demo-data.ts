/**
 * The demo data `npm start` puts in through the public API, as the demo users would: calls of
 * both pilot types, published, the reviewer pool and the expert registry. Safe to run again:
 * what exists is kept.
 */

interface CallSummary {
  id: string;
  title: string;
  status: string;
}

const day = 24 * 60 * 60 * 1000;
const at = (offsetDays: number) => new Date(Date.now() + offsetDays * day).toISOString();
const dayAt = (offsetDays: number) => at(offsetDays).slice(0, 10);

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

const nace = (naceSection: string, naceDivision?: string) => ({
  kind: 'economic',
  naceSection,
  ...(naceDivision ? { naceDivision } : {}),
});
const nabs = (nabsChapter: string) => ({ kind: 'scientific', nabsChapter });
const policy = (objective: string, topic?: string) => ({
  kind: 'policy',
  objective,
  ...(topic ? { topic } : {}),
});

/**
 * The expert registry: `expertNN` is also the expert's demo user (roles `expert`, the same
 * country), so every one of them can sign in and answer its invitations. Between them they cover
 * each demo call's priority sectors (manufacturing and its motor vehicles division, energy,
 * health research, ICT, agriculture) from many member states, so that a pilot of any demo region
 * gets a team of experts from other countries.
 */
export const demoExperts = () => [
  {
    id: 'expert01',
    name: 'Lucía Fernández Ruiz',
    country: 'ES',
    languages: ['es', 'en', 'pt'],
    domains: [nace('C'), policy('key-enabling-technologies', 'advanced-manufacturing')],
    supportAreas: ['industrial-transition', 'skills'],
    capacity: 3,
  },
  {
    id: 'expert02',
    name: 'Marco Bianchi',
    country: 'IT',
    languages: ['it', 'en', 'fr'],
    domains: [nace('C', '29'), nace('J')],
    supportAreas: ['interregional-value-chains', 'innovation-capacity'],
    capacity: 2,
  },
  {
    id: 'expert03',
    name: 'Sanne de Vries',
    country: 'NL',
    languages: ['nl', 'en', 'de'],
    domains: [nace('D'), policy('societal-challenges', 'energy')],
    supportAreas: ['investment-barriers', 'innovation-capacity'],
    capacity: 3,
  },
  {
    id: 'expert04',
    name: 'Erik Lindqvist',
    country: 'SE',
    languages: ['sv', 'en', 'fi'],
    domains: [nabs('07'), nace('Q')],
    supportAreas: ['innovation-capacity', 'skills'],
    capacity: 2,
  },
  {
    id: 'expert05',
    name: 'Katharina Müller',
    country: 'DE',
    languages: ['de', 'en'],
    domains: [nace('C'), nace('C', '29')],
    supportAreas: ['industrial-transition', 'interregional-value-chains'],
    capacity: 4,
    conflicts: { regions: ['PL91'], countries: [], organisations: ['Mazovia Development Agency'] },
  },
  {
    id: 'expert06',
    name: 'Julien Moreau',
    country: 'FR',
    languages: ['fr', 'en', 'es'],
    domains: [nace('J'), policy('digital-agenda')],
    supportAreas: ['innovation-capacity', 'investment-barriers'],
    capacity: 3,
  },
  {
    id: 'expert07',
    name: 'Agnieszka Kowalska',
    country: 'PL',
    languages: ['pl', 'en', 'de'],
    domains: [nace('C'), nace('D')],
    supportAreas: ['industrial-transition', 'skills'],
    capacity: 2,
  },
  {
    id: 'expert08',
    name: 'João Silva',
    country: 'PT',
    languages: ['pt', 'es', 'en'],
    domains: [nace('A'), policy('blue-growth')],
    supportAreas: ['interregional-value-chains', 'skills'],
    capacity: 2,
  },
  {
    id: 'expert09',
    name: 'Thomas Gruber',
    country: 'AT',
    languages: ['de', 'en', 'it'],
    domains: [nace('D'), nabs('05')],
    supportAreas: ['investment-barriers'],
    capacity: 3,
  },
  {
    id: 'expert10',
    name: 'Els Peeters',
    country: 'BE',
    languages: ['nl', 'fr', 'en'],
    domains: [nabs('07'), policy('societal-challenges', 'health')],
    supportAreas: ['innovation-capacity'],
    capacity: 1,
    availability: [{ from: dayAt(0), to: dayAt(180) }],
  },
  {
    id: 'expert11',
    name: 'Petr Novák',
    country: 'CZ',
    languages: ['cs', 'sk', 'en', 'de'],
    domains: [nace('C', '29'), policy('key-enabling-technologies', 'advanced-manufacturing')],
    supportAreas: ['industrial-transition'],
    capacity: 3,
  },
  {
    id: 'expert12',
    name: 'Mette Jensen',
    country: 'DK',
    languages: ['da', 'en', 'sv'],
    domains: [nace('D'), policy('sustainable-innovation')],
    supportAreas: ['investment-barriers', 'innovation-capacity'],
    capacity: 2,
  },
  {
    id: 'expert13',
    name: 'Aino Virtanen',
    country: 'FI',
    languages: ['fi', 'sv', 'en'],
    domains: [nace('J'), nabs('04')],
    supportAreas: ['innovation-capacity', 'interregional-value-chains'],
    capacity: 2,
  },
  {
    id: 'expert14',
    name: 'Siobhán Murphy',
    country: 'IE',
    languages: ['en', 'ga', 'fr'],
    domains: [nace('J'), nace('K')],
    supportAreas: ['investment-barriers'],
    capacity: 3,
  },
  {
    id: 'expert15',
    name: 'Dimitris Papadopoulos',
    country: 'GR',
    languages: ['el', 'en'],
    domains: [nace('A'), nace('I')],
    supportAreas: ['skills', 'interregional-value-chains'],
    capacity: 2,
    conflicts: { regions: ['BG41'], countries: [], organisations: [] },
  },
  {
    id: 'expert16',
    name: 'Zsófia Nagy',
    country: 'HU',
    languages: ['hu', 'en', 'de'],
    domains: [nace('C'), nabs('06')],
    supportAreas: ['skills', 'industrial-transition'],
    capacity: 1,
  },
  {
    id: 'expert17',
    name: 'Andrei Popescu',
    country: 'RO',
    languages: ['ro', 'en', 'fr'],
    domains: [nace('J'), policy('digital-agenda')],
    supportAreas: ['skills', 'innovation-capacity'],
    capacity: 2,
    conflicts: { regions: [], countries: ['BG'], organisations: ['Danube Digital Hub'] },
  },
  {
    id: 'expert18',
    name: 'Martina Horváthová',
    country: 'SK',
    languages: ['sk', 'cs', 'hu', 'en'],
    domains: [nace('C', '29'), nace('H')],
    supportAreas: ['industrial-transition'],
    capacity: 2,
  },
  {
    id: 'expert19',
    name: 'Luka Kovač',
    country: 'SI',
    languages: ['sl', 'hr', 'en', 'it'],
    domains: [nace('A'), nabs('08')],
    supportAreas: ['interregional-value-chains'],
    capacity: 3,
  },
  {
    id: 'expert20',
    name: 'Ivana Babić',
    country: 'HR',
    languages: ['hr', 'en', 'de'],
    domains: [nace('I'), policy('blue-growth')],
    supportAreas: ['investment-barriers', 'skills'],
    capacity: 2,
    availability: [
      { from: dayAt(0), to: dayAt(90) },
      { from: dayAt(150), to: dayAt(365) },
    ],
  },
  {
    id: 'expert21',
    name: 'Tomas Kazlauskas',
    country: 'LT',
    languages: ['lt', 'en', 'pl'],
    domains: [nace('D'), nace('J')],
    supportAreas: ['innovation-capacity'],
    capacity: 2,
  },
  {
    id: 'expert22',
    name: 'Ilze Bērziņa',
    country: 'LV',
    languages: ['lv', 'en', 'lt'],
    domains: [nace('A'), nace('C', '10')],
    supportAreas: ['skills'],
    capacity: 1,
  },
  {
    id: 'expert23',
    name: 'Kristjan Tamm',
    country: 'EE',
    languages: ['et', 'en', 'fi'],
    domains: [nace('J'), policy('public-sector-innovation')],
    supportAreas: ['innovation-capacity', 'investment-barriers'],
    capacity: 3,
  },
  {
    id: 'expert24',
    name: 'Elena Dimitrova',
    country: 'BG',
    languages: ['bg', 'en', 'el'],
    domains: [nabs('07'), nace('Q')],
    supportAreas: ['skills'],
    capacity: 2,
    conflicts: { regions: [], countries: ['GR'], organisations: [] },
  },
  {
    id: 'expert25',
    name: 'Claire Weber',
    country: 'LU',
    languages: ['fr', 'de', 'en'],
    domains: [nace('K'), policy('service-innovation')],
    supportAreas: ['investment-barriers'],
    capacity: 2,
  },
  {
    id: 'expert26',
    name: 'Joseph Borg',
    country: 'MT',
    languages: ['mt', 'en', 'it'],
    domains: [policy('blue-growth'), nace('H')],
    supportAreas: ['interregional-value-chains'],
    capacity: 1,
  },
  {
    id: 'expert27',
    name: 'Andreas Georgiou',
    country: 'CY',
    languages: ['el', 'en'],
    domains: [nace('I'), policy('cultural-creative-industries')],
    supportAreas: ['skills'],
    capacity: 1,
  },
  {
    id: 'expert28',
    name: 'Javier Martín Gómez',
    country: 'ES',
    languages: ['es', 'en', 'fr'],
    domains: [nace('A'), nabs('08')],
    supportAreas: ['interregional-value-chains', 'investment-barriers'],
    capacity: 3,
  },
  {
    id: 'expert29',
    name: 'Giulia Romano',
    country: 'IT',
    languages: ['it', 'en'],
    domains: [nabs('07'), nace('C', '21')],
    supportAreas: ['innovation-capacity'],
    capacity: 2,
    availability: [{ from: dayAt(30), to: dayAt(365) }],
  },
  {
    id: 'expert30',
    name: 'Jonas Schmidt',
    country: 'DE',
    languages: ['de', 'en', 'fr'],
    domains: [nace('D'), policy('societal-challenges', 'climate')],
    supportAreas: ['investment-barriers', 'industrial-transition'],
    capacity: 4,
  },
  {
    id: 'expert31',
    name: 'Camille Laurent',
    country: 'FR',
    languages: ['fr', 'en', 'it'],
    domains: [nace('C', '29'), policy('key-enabling-technologies', 'advanced-materials')],
    supportAreas: ['industrial-transition'],
    capacity: 2,
  },
  {
    id: 'expert32',
    name: 'Daan Bakker',
    country: 'NL',
    languages: ['nl', 'en'],
    domains: [nace('J'), nace('M')],
    supportAreas: ['interregional-value-chains'],
    capacity: 2,
    conflicts: { regions: ['ITC4', 'FR10'], countries: [], organisations: [] },
  },
  {
    id: 'expert33',
    name: 'Piotr Wiśniewski',
    country: 'PL',
    languages: ['pl', 'en'],
    domains: [nabs('07'), nace('C')],
    supportAreas: ['skills', 'innovation-capacity'],
    capacity: 3,
  },
  {
    id: 'expert34',
    name: 'Anna Huber',
    country: 'AT',
    languages: ['de', 'en', 'sl'],
    domains: [nace('A'), policy('societal-challenges', 'food')],
    supportAreas: ['interregional-value-chains'],
    capacity: 2,
  },
  {
    id: 'expert35',
    name: 'Karin Johansson',
    country: 'SE',
    languages: ['sv', 'en', 'da'],
    domains: [nace('D'), nabs('05')],
    supportAreas: ['innovation-capacity'],
    capacity: 2,
  },
  {
    id: 'expert36',
    name: 'Inês Costa',
    country: 'PT',
    languages: ['pt', 'en', 'fr'],
    domains: [nace('J'), policy('social-innovation')],
    supportAreas: ['skills'],
    capacity: 2,
  },
  {
    id: 'expert37',
    name: 'Pieter Janssens',
    country: 'BE',
    languages: ['nl', 'fr', 'de', 'en'],
    domains: [nace('C'), nace('E')],
    supportAreas: ['industrial-transition', 'investment-barriers'],
    capacity: 3,
  },
  {
    id: 'expert38',
    name: 'Tereza Dvořáková',
    country: 'CZ',
    languages: ['cs', 'en'],
    domains: [nabs('07'), policy('key-enabling-technologies', 'industrial-biotechnology')],
    supportAreas: ['innovation-capacity'],
    capacity: 1,
  },
  {
    id: 'expert39',
    name: 'Lars Nielsen',
    country: 'DK',
    languages: ['da', 'en', 'de'],
    domains: [nace('A'), policy('sustainable-innovation')],
    supportAreas: ['interregional-value-chains', 'investment-barriers'],
    capacity: 2,
  },
  {
    id: 'expert40',
    name: 'Mikko Korhonen',
    country: 'FI',
    languages: ['fi', 'en', 'sv'],
    domains: [nace('C', '29'), nabs('06')],
    supportAreas: ['industrial-transition', 'skills'],
    capacity: 2,
    // Kept in the registry but proposed no more: how an expert who stepped back looks.
    active: false,
  },
];

class DemoDataError extends Error {}

async function send(
  portal: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; ok: boolean; text: string }> {
  const response = await fetch(`${portal}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, ok: response.ok, text: await response.text() };
}

async function call<T>(
  portal: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<T> {
  const { status, ok, text } = await send(portal, method, path, token, body);
  if (!ok) throw new DemoDataError(`${method} ${path} answered ${status}: ${text}`);
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
  await seedExperts(portal, manager, log);
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

/** Registers the demo experts the registry lacks; each must be a demo user of its country. */
async function seedExperts(portal: string, manager: string, log: (line: string) => void): Promise<void> {
  const experts = demoExperts();
  const users = await call<{ username: string; country?: string }[]>(portal, 'GET', '/api/auth/demo-users');
  const countryOf = new Map(users.map((user) => [user.username, user.country]));
  const unmatched = experts.filter((expert) => countryOf.get(expert.id) !== expert.country);
  if (unmatched.length > 0) {
    throw new DemoDataError(
      `demo experts without a demo user of their country (services/portal/src/demo-users.ts): ${unmatched.map((e) => e.id).join(', ')}`,
    );
  }
  let added = 0;
  for (const expert of experts) {
    const answer = await send(portal, 'POST', '/api/experts', manager, expert);
    if (answer.status === 201) added += 1;
    else if (answer.status !== 409) {
      throw new DemoDataError(`POST /api/experts answered ${answer.status}: ${answer.text}`);
    }
  }
  log(`expert registry: ${added} demo experts added, ${experts.length - added} already there`);
}
