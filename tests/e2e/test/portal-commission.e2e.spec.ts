import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { failuresOf, launchChromium, screenshots, signInThroughForm } from './support/browser';
import type { User } from './support/client';
import { applicationDraft, eventually, inDays, signIn } from './support/client';
import type { Platform } from './support/platform';
import { startPlatform } from './support/platform';

/**
 * The Commission's pages in Debian's Chromium: a programme manager drafts a call through the
 * form, publishes it and follows its pipeline; registers an expert; the expert accepts its
 * invitation to an approved pilot's team, which then shows on the pilot's page. The steps of
 * other roles (applying, reviewing, approving) go through the API, as pilots.e2e.spec.ts does.
 */

let platform: Platform;
let browser: Browser;
let manager: User;
let context: BrowserContext;
let page: Page;
let failures: string[];

/** What the tests build on, one after the other. */
const callTitle = `Smart manufacturing transition ${Math.random().toString(36).slice(2, 8)}`;
let callId: string;
let pilotId: string;

beforeAll(async () => {
  platform = await startPlatform('e2e-portal-commission');
  manager = await signIn(platform.portal, 'manager');
  // A reviewer from a member state other than the applicant's, so that one can be seated.
  expect(
    (await manager.request('PUT', '/api/reviewers/reviewer1', { name: 'Reviewer One', country: 'NL' }))
      .status,
  ).toBe(201);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

beforeEach(async () => {
  context = await browser.newContext({
    locale: 'en-GB',
    timezoneId: 'Europe/Brussels',
    viewport: { width: 1280, height: 900 },
  });
  page = await context.newPage();
  failures = failuresOf(page);
});

afterEach(async () => {
  await context?.close();
});

async function signInAs(username: string) {
  await signInThroughForm(page, platform.portal, username);
}

/** A `datetime-local` value, `days` from now, in the browser's time zone (Brussels). */
function localInput(days: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Brussels',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(inDays(days)));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`;
}

type Pilot = { stage: string; seats: { reviewer: string; vacated?: boolean }[] };

const pilotIn = (id: string, stage: string, check: (pilot: Pilot) => boolean = () => true) =>
  eventually(
    async () => {
      const answer = await manager.request<Pilot>('GET', `/api/pilots/${id}`);
      return answer.status === 200 && answer.body.stage === stage && check(answer.body)
        ? answer.body
        : undefined;
    },
    `pilot ${id} to reach ${stage}`,
    40_000,
  );

describe('the programme manager and the experts in the portal', () => {
  it('drafts a call through the form, fixing what the form points out, then publishes it', async () => {
    await signInAs('manager');
    await page.getByRole('heading', { name: 'Calls for interest', level: 1 }).waitFor();
    await page.getByText('There is no call yet.', { exact: false }).waitFor();
    await page.getByRole('link', { name: 'New call' }).click();
    await page.getByRole('heading', { name: 'New call for interest', level: 1 }).waitFor();

    // Sending the empty form shows what is missing, at the fields.
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await page.getByRole('alert').filter({ hasText: 'Some fields need attention' }).waitFor();
    expect(await page.getByLabel('Title', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Pilot type').selectOption('industrial-transition');
    await page.getByLabel('Title', { exact: true }).fill(callTitle);
    await page
      .getByLabel('Summary')
      .fill('Pilots that help regions in industrial transition modernise manufacturing.');
    for (const country of ['Bulgaria', 'Greece', 'Poland', 'Spain']) {
      await page.getByRole('checkbox', { name: country, exact: true }).check();
    }
    await page.getByLabel('Domain', { exact: true }).selectOption('C');
    await page.getByLabel('Criterion 1', { exact: true }).fill('Relevance');
    await page.getByLabel('Criterion 2', { exact: true }).fill('Quality of the plan');
    // Weights that do not add up to 100 are pointed out as typed, and the message goes once fixed.
    await page.getByLabel('Weight of criterion 1 (%)').fill('60');
    await page.getByLabel('Weight of criterion 1 (%)').blur();
    const weights = page.getByRole('alert').filter({ hasText: 'The weights add up to 110, not 100.' });
    await weights.waitFor();
    await page.getByLabel('Weight of criterion 1 (%)').fill('50');
    await weights.waitFor({ state: 'detached' });
    await page.getByLabel('Reviewers per application').fill('1');
    await page.getByLabel('Expert team size').fill('1');
    await page.getByLabel('Total budget (€)').fill('1 000 000');
    await page.getByLabel('Most per application (€)').fill('250000');
    await page.getByLabel('Opens', { exact: true }).fill(localInput(-1));
    await page.getByLabel('Closes', { exact: true }).fill(localInput(30));
    await page.screenshot({ path: path.join(screenshots, 'commission-call-form.png'), fullPage: true });
    await page.getByRole('button', { name: 'Save the draft' }).click();

    // Saved, the draft opens on its own page, where it is published after a confirmation.
    await page.getByRole('heading', { name: callTitle, level: 1 }).waitFor();
    callId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    expect(callId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.locator('[data-status]').first().getAttribute('data-status')).toBe('draft');
    expect(await page.getByTestId('remaining').textContent()).toBe('€1,000,000.00');
    await page.getByRole('button', { name: 'Publish…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Publish this call?' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Yes, publish' }).click();
    await page.locator('[data-status="open"]').first().waitFor();
    expect(await page.getByRole('button', { name: 'Close the call…' }).count()).toBe(1);
    await page.getByRole('heading', { name: 'Pipeline' }).waitFor();
    await page.getByText('No application has been submitted to this call yet.').waitFor();

    const stored = await manager.request<{
      status: string;
      totalBudget: number;
      perApplicationCeiling: number;
      expertTeamSize: number;
      criteria: { id: string; weight: number }[];
    }>('GET', `/api/calls/${callId}`);
    expect(stored.body).toMatchObject({
      status: 'open',
      totalBudget: 1_000_000_00,
      perApplicationCeiling: 250_000_00,
      expertTeamSize: 1,
    });
    expect(stored.body.criteria.map((c) => c.id)).toEqual(['relevance', 'quality-of-the-plan']);
    expect(failures).toEqual([]);
  });

  it('lists the call among all calls, filtered by status, and in Swedish', async () => {
    await signInAs('manager');
    await page.getByRole('heading', { name: 'Calls for interest', level: 1 }).waitFor();
    const row = page.getByRole('row').filter({ hasText: callTitle });
    await row.waitFor();
    expect(await row.textContent()).toContain('Open');
    expect(await row.textContent()).toContain('€1,000,000.00');
    await page.getByLabel('Status').selectOption('draft');
    await page.getByText('No call has this status.').waitFor();
    expect(page.url()).toContain('status=draft');
    await page.getByLabel('Status').selectOption('open');
    await row.waitFor();
    await page.screenshot({ path: path.join(screenshots, 'commission-calls.png'), fullPage: true });

    await page.getByLabel('Language').selectOption('sv');
    await page.getByRole('heading', { name: 'Intresseanmälningar', level: 1 }).waitFor();
    expect(await row.textContent()).toContain('Öppen');
    expect(await row.textContent()).toMatch(/1\s000\s000,00\s€/);
    expect(await page.getByRole('columnheader').allTextContents()).toContain('Kvar');
    await page.screenshot({ path: path.join(screenshots, 'commission-calls-sv.png'), fullPage: true });
    expect(failures).toEqual([]);
  });

  it('registers an expert in the pool', async () => {
    await signInAs('manager');
    await page.getByRole('heading', { name: 'Calls for interest', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Experts' }).click();
    await page.getByRole('heading', { name: 'Expert pool', level: 1 }).waitFor();
    await page.getByText('No expert matches.').waitFor();
    await page.getByRole('button', { name: 'Register an expert' }).click();
    const form = page.getByRole('region', { name: 'Register an expert' });
    await form.getByLabel('User id').fill('Expert 5');
    await form.getByLabel('Name').fill('Elena Ruiz');
    await form.getByRole('button', { name: 'Register' }).click();
    // The id is checked before anything is sent.
    await form.getByText('Lower-case letters, digits, dots, dashes or underscores, 2 to 64.').waitFor();
    await form.getByLabel('User id').fill('expert05');
    await form.getByLabel('Member state', { exact: true }).selectOption('ES');
    await form.getByRole('checkbox', { name: 'Spanish', exact: true }).check();
    await form.getByRole('checkbox', { name: 'English', exact: true }).check();
    await form.getByRole('button', { name: 'Add a domain' }).click();
    await form.getByLabel('Domain', { exact: true }).selectOption('C');
    await form.getByRole('checkbox', { name: 'Innovation capacity' }).check();
    await form.getByRole('checkbox', { name: 'Skills' }).check();
    await form.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('status').filter({ hasText: 'Elena Ruiz (expert05) is registered' }).waitFor();
    const card = page.getByRole('article', { name: /Elena Ruiz/ });
    await card.waitFor();
    expect(await card.textContent()).toContain('0 of 2');
    await page.screenshot({ path: path.join(screenshots, 'commission-experts.png'), fullPage: true });
    expect(failures).toEqual([]);
  });

  it('lets the invited expert accept, after which the team shows on the pilot and the call shows its pipeline', async () => {
    // A region applies and the pilot is reviewed and approved through the API.
    const region = await signIn(platform.portal, 'region-bg41');
    const draft = await eventually(async () => {
      const answer = await region.request<{ id: string }>(
        'POST',
        '/api/applications',
        applicationDraft(callId),
      );
      return answer.status === 201 ? answer.body : undefined;
    }, 'the call to reach the applications service');
    pilotId = draft.id;
    expect([200, 201]).toContain(
      (await region.request('POST', `/api/applications/${pilotId}/submit`)).status,
    );
    await pilotIn(pilotId, 'evaluation', (pilot) => pilot.seats.some((seat) => !seat.vacated));
    const reviewer = await signIn(platform.portal, 'reviewer1');
    expect(
      (
        await reviewer.request('POST', `/api/pilots/${pilotId}/conflicts`, {
          conflict: false,
          statement: 'No tie to this region.',
        })
      ).status,
    ).toBe(201);
    const scores = [
      { criterionId: 'relevance', score: 4 },
      { criterionId: 'quality-of-the-plan', score: 4 },
    ];
    expect((await reviewer.request('POST', `/api/pilots/${pilotId}/reviews`, { scores })).status).toBe(201);
    await pilotIn(pilotId, 'decision');
    const approver = await signIn(platform.portal, 'approver1');
    const approved = await approver.request('POST', `/api/pilots/${pilotId}/decision`, {
      decision: 'approve',
      reasons: 'A clear plan.',
    });
    expect(approved.status).toBe(201);
    await eventually(
      async () => {
        const team = await manager.request<{ phase: string }>('GET', `/api/pilots/${pilotId}/team`);
        return team.status === 200 && team.body.phase === 'inviting';
      },
      'the team to be proposed',
      40_000,
    );

    // The expert finds the invitation, with its deadline, and accepts it.
    await signInAs('expert05');
    await page.getByRole('heading', { name: 'My assignments', level: 1 }).waitFor();
    const invitation = page.getByRole('article', { name: 'Pilot of region BG41' });
    await invitation.waitFor();
    expect(await invitation.textContent()).toContain('Answer by');
    expect(await invitation.textContent()).toContain('Manufacturing');
    await page.screenshot({ path: path.join(screenshots, 'commission-assignments.png'), fullPage: true });
    await page.getByRole('button', { name: 'Accept the invitation: Pilot of region BG41' }).click();
    await page.getByRole('status').filter({ hasText: 'You have accepted the invitation.' }).waitFor();
    await page.getByText('You have no open invitation.').waitFor();
    await pilotIn(pilotId, 'implementation');
    expect(failures).toEqual([]);

    // The pilot's page shows the team, with why its member was chosen.
    await eventually(
      async () => {
        const expert = await signIn(platform.portal, 'expert05');
        return (await expert.request('GET', `/api/pilots/${pilotId}`)).status === 200;
      },
      'the expert to see its pilot',
      40_000,
    );
    await page.reload();
    await page.getByRole('link', { name: 'Open the pilot' }).click();
    await page.getByRole('heading', { name: 'Expert team' }).waitFor();
    const member = page.locator('tr[data-expert="expert05"]');
    await member.waitFor();
    expect(await member.locator('[data-status]').getAttribute('data-status')).toBe('accepted');
    await page.locator('[data-phase="assigned"]').waitFor();

    // The manager sees the same team, and the call's pipeline and budget.
    await context.close();
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await signInAs('manager');
    await page.getByRole('heading', { name: 'Calls for interest', level: 1 }).waitFor();
    await page.getByRole('link', { name: callTitle }).click();
    await page.getByRole('heading', { name: callTitle, level: 1 }).waitFor();
    expect(await page.getByTestId('committed').textContent()).toBe('€200,000.00');
    expect(await page.getByTestId('remaining').textContent()).toBe('€800,000.00');
    // The dashboard follows the events: look until the pilot is counted in its stage.
    const implementing = page.locator('ol.pipeline li[data-stage="implementation"]');
    for (let tries = 0; (await implementing.count()) === 0; tries++) {
      if (tries > 60) throw new Error('the pipeline did not count the pilot in implementation');
      await page.waitForTimeout(500);
      await page.reload();
      await page.getByRole('heading', { name: 'Pipeline' }).waitFor();
      await page.locator('ol.pipeline').or(page.getByText('No application has been submitted')).waitFor();
    }
    expect(await implementing.textContent()).toContain('1');
    await page.screenshot({ path: path.join(screenshots, 'commission-call.png'), fullPage: true });
    await implementing.getByRole('link').click();
    await page.getByRole('heading', { name: 'Pilots', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Smart manufacturing transition', exact: true }).click();
    await page.getByRole('heading', { name: 'Expert team' }).waitFor();
    await page.getByText('How the team was chosen', { exact: false }).waitFor();
  });
});
