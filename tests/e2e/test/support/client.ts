/** A user of the platform through the portal, as a browser or a script would be. */
export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface User {
  username: string;
  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer<T>>;
}

export async function signIn(portal: string, username: string): Promise<User> {
  const response = await fetch(`${portal}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  if (!response.ok)
    throw new Error(`${username} could not sign in: ${response.status} ${await response.text()}`);
  const { access_token: token } = (await response.json()) as { access_token: string };
  return {
    username,
    request: async <T>(
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const answer = await fetch(`${portal}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await answer.text();
      return { status: answer.status, headers: answer.headers, body: (text ? JSON.parse(text) : {}) as T };
    },
  };
}

const day = 24 * 60 * 60 * 1000;
export const inDays = (days: number) => new Date(Date.now() + days * day).toISOString();
export const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

const criteria = [
  { id: 'relevance', name: 'Relevance', weight: 50, maxScore: 5 },
  { id: 'quality', name: 'Quality', weight: 50, maxScore: 5 },
];

/** A call body of either pilot type, open from now on unless dates are given. */
export function callDraft(
  pilotType: 'industrial-transition' | 'interregional-partnership',
  overrides: Record<string, unknown> = {},
) {
  return {
    pilotType,
    title: `${pilotType} e2e ${Math.random().toString(36).slice(2, 8)}`,
    summary: 'A call written by the end-to-end tests.',
    eligibility:
      pilotType === 'industrial-transition'
        ? { countries: ['BG', 'GR', 'PL', 'ES', 'IT', 'DE'], minPartners: 0, maxPartners: 0, minCountries: 1 }
        : {
            countries: ['BG', 'GR', 'PL', 'ES', 'IT', 'DE'],
            minPartners: 1,
            maxPartners: 5,
            minCountries: 2,
          },
    prioritySectors: [{ kind: 'economic', naceSection: 'C' }],
    criteria,
    passThreshold: 60,
    reviewersPerApplication: 2,
    totalBudget: 1_000_000_00,
    perApplicationCeiling: 250_000_00,
    opensAt: inSeconds(-60),
    closesAt: inDays(30),
    ...overrides,
  };
}

const strategy = {
  contextAnalysis: 'Manufacturing employs a third of the workforce and is changing fast.',
  governance: 'A regional innovation council with industry, universities and civil society.',
  sharedVision: 'A low-carbon manufacturing region by 2030.',
  priorities: 'Advanced manufacturing and the circular economy.',
  policyMix: 'Vouchers, skills academies and a regional investment fund.',
  monitoring: 'Yearly indicators reviewed by the council.',
};

/** A complete application for a call, ready to submit. */
export function applicationDraft(callId: string, overrides: Record<string, unknown> = {}) {
  return {
    callId,
    title: 'Smart manufacturing transition',
    s3Strategy: strategy,
    priorityDomains: [{ kind: 'economic', naceSection: 'C' }],
    requestedSupport: ['innovation-capacity', 'skills'],
    supportDescription: 'Experts to help design the skills academy and the investment fund.',
    budget: { total: 400_000_00, requested: 200_000_00 },
    workPlan: [
      { title: 'Skills academy designed', dueDate: inDays(120).slice(0, 10), deliverables: ['Academy plan'] },
      { title: 'Fund launched', dueDate: inDays(240).slice(0, 10), deliverables: ['Fund statutes'] },
    ],
    ...overrides,
  };
}

export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
