import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { failuresOf, launchChromium, screenshots, signInThroughForm } from './support/browser';
import type { User } from './support/client';
import { applicationDraft, callDraft, eventually, inDays, signIn } from './support/client';
import type { Platform } from './support/platform';
import { startPlatform } from './support/platform';

/**
 * Reporting through the portal's web application in Debian's Chromium: a pilot is brought to its
 * implementation through the API (as pilots.e2e.spec.ts does), then the region reports on a
 * milestone, an auditor sends it back and accepts it, and the auditor's dashboard, audit trail
 * and everyone's notification preferences are used, all through the UI.
 */

let platform: Platform;
let browser: Browser;
let manager: User;
let approver: User;
let bulgaria: User;
let pilotId: string;

const reviewers = [
  { id: 'reviewer1', name: 'Reviewer One', country: 'NL' },
  { id: 'reviewer2', name: 'Reviewer Two', country: 'AT' },
];
const manufacturing = { kind: 'economic', naceSection: 'C' };
const experts = [
  {
    id: 'expert01',
    country: 'ES',
    languages: ['es', 'en'],
    domains: [manufacturing],
    supportAreas: ['skills'],
  },
  {
    id: 'expert02',
    country: 'IT',
    languages: ['it', 'en'],
    domains: [manufacturing],
    supportAreas: ['innovation-capacity'],
  },
  { id: 'expert03', country: 'NL', languages: ['nl', 'en'], supportAreas: ['innovation-capacity', 'skills'] },
].map((expert) => ({ ...expert, capacity: 2 }));

type Pilot = { stage: string; seats: { reviewer: string; vacated?: boolean }[] };
type Team = { phase: string; members: { expertId: string; assignmentId: string }[] };

const stageOf = async (id: string, stage: string, check: (pilot: Pilot) => boolean = () => true) =>
  eventually(
    async () => {
      const answer = await manager.request<Pilot>('GET', `/api/pilots/${id}`);
      return answer.status === 200 && answer.body.stage === stage && check(answer.body)
        ? answer.body
        : undefined;
    },
    `pilot ${id} to reach ${stage}`,
    60_000,
  );

/** A pilot of region BG41 in implementation, whose first milestone is due in ten days. */
async function pilotInImplementation(): Promise<string> {
  const created = await manager.request<{ id: string }>(
    'POST',
    '/api/calls',
    callDraft('industrial-transition', { closesAt: inDays(2) }),
  );
  expect(created.status).toBe(201);
  expect((await manager.request('POST', `/api/calls/${created.body.id}/publish`)).status).toBe(200);
  const draft = await eventually(async () => {
    const answer = await bulgaria.request<{ id: string }>(
      'POST',
      '/api/applications',
      applicationDraft(created.body.id, {
        workPlan: [
          {
            title: 'Skills academy designed',
            dueDate: inDays(10).slice(0, 10),
            deliverables: ['Academy plan'],
          },
          { title: 'Fund launched', dueDate: inDays(200).slice(0, 10), deliverables: ['Fund statutes'] },
        ],
      }),
    );
    return answer.status === 201 ? answer.body : undefined;
  }, 'the call to reach the applications service');
  expect([200, 201]).toContain(
    (await bulgaria.request('POST', `/api/applications/${draft.id}/submit`)).status,
  );
  const evaluating = await stageOf(
    draft.id,
    'evaluation',
    (pilot) => pilot.seats.filter((s) => !s.vacated).length === 2,
  );
  for (const seat of evaluating.seats.filter((s) => !s.vacated)) {
    const reviewer = await signIn(platform.portal, seat.reviewer);
    const declared = await reviewer.request('POST', `/api/pilots/${draft.id}/conflicts`, {
      conflict: false,
      statement: 'I have no tie to the regions of this application.',
    });
    expect(declared.status).toBe(201);
    const reviewed = await reviewer.request('POST', `/api/pilots/${draft.id}/reviews`, {
      scores: [
        { criterionId: 'relevance', score: 4 },
        { criterionId: 'quality', score: 4 },
      ],
    });
    expect(reviewed.status).toBe(201);
  }
  await stageOf(draft.id, 'decision');
  const approved = await approver.request('POST', `/api/pilots/${draft.id}/decision`, {
    decision: 'approve',
    reasons: 'A clear plan with a credible budget.',
  });
  expect(approved.status).toBe(201);
  const team = await eventually(async () => {
    const answer = await manager.request<Team>('GET', `/api/pilots/${draft.id}/team`);
    return answer.status === 200 && answer.body.phase === 'inviting' ? answer.body : undefined;
  }, 'the team to be proposed');
  for (const member of team.members) {
    const expert = await signIn(platform.portal, member.expertId);
    expect((await expert.request('POST', `/api/assignments/${member.assignmentId}/accept`)).status).toBe(200);
  }
  await stageOf(draft.id, 'implementation');
  await eventually(async () => {
    const answer = await bulgaria.request<{ items: unknown[] }>('GET', `/api/pilots/${draft.id}/milestones`);
    return answer.status === 200 && answer.body.items.length === 2;
  }, 'the milestones of the work plan');
  return draft.id;
}

beforeAll(async () => {
  platform = await startPlatform('e2e-portal-reporting');
  const as = (username: string) => signIn(platform.portal, username);
  [manager, approver, bulgaria] = await Promise.all([as('manager'), as('approver1'), as('region-bg41')]);
  for (const { id, ...reviewer } of reviewers) {
    expect((await manager.request('PUT', `/api/reviewers/${id}`, reviewer)).status).toBe(201);
  }
  for (const expert of experts) {
    const answer = await manager.request('POST', '/api/experts', { name: `Expert ${expert.id}`, ...expert });
    expect(answer.status).toBe(201);
  }
  pilotId = await pilotInImplementation();
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

let context: BrowserContext;
let page: Page;
let failures: string[];

beforeEach(async () => {
  context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  failures = failuresOf(page);
});

afterEach(async () => {
  await context?.close();
});

async function signInAs(username: string) {
  await signInThroughForm(page, platform.portal, username);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

const openPilot = async () => {
  await page.goto(`${platform.portal}/pilots/${pilotId}`);
  await page.getByRole('heading', { name: 'Milestones', level: 2 }).waitFor();
};
const firstMilestone = () => page.getByRole('article', { name: 'Milestone 1: Skills academy designed' });
const statusOfFirst = () => firstMilestone().getByTestId('milestone-status');
const nav = () => page.getByRole('navigation', { name: 'Main' });

describe('reporting in the portal', () => {
  it('takes a region’s milestone report with a file, sends it back with a note, and accepts it again', async () => {
    // The region uploads a file, then reports.
    await signInAs('region-bg41');
    await openPilot();
    const milestone = firstMilestone();
    expect(await statusOfFirst().textContent()).toBe('Due');
    const content = 'The academy opened with 40 trainees.';
    await milestone.getByLabel('Choose files').setInputFiles({
      name: 'progress.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(content),
    });
    await milestone.getByRole('button', { name: 'Upload' }).click();
    await milestone.getByText(/^SHA-256: [0-9a-f]{64}$/).waitFor();
    // The browser checks the report against the API's schema before sending it.
    await milestone.getByRole('button', { name: 'Send the report' }).click();
    await milestone.getByText('Write a summary of the progress.').waitFor();
    await milestone.getByLabel('Summary').fill('The academy is designed and its first course has started.');
    await milestone.getByLabel('Deliverables').fill('Academy plan\nCourse catalogue');
    await milestone.getByRole('button', { name: 'Send the report' }).click();
    await statusOfFirst().filter({ hasText: 'Reported, awaiting verification' }).waitFor();
    expect(failures).toEqual([]);
    await context.close();

    // The auditor finds it among the reports awaiting verification and sends it back.
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    failures.length = 0;
    page.on('pageerror', (error) => failures.push(`page error: ${error.message}`));
    await signInAs('auditor');
    await nav().getByRole('link', { name: 'Milestones' }).click();
    await page.getByRole('heading', { name: 'Milestones', level: 1 }).waitFor();
    const waiting = page.getByTestId('milestones-reported');
    const link = waiting.getByRole('link', { name: 'Milestone 1: Skills academy designed' });
    await link.waitFor();
    await page.screenshot({ path: path.join(screenshots, 'reporting-milestones.png'), fullPage: true });
    await link.click();
    await page.getByRole('heading', { name: 'Milestones', level: 2 }).waitFor();
    const reported = firstMilestone();
    await reported.getByText('The academy is designed and its first course has started.').waitFor();
    await reported.getByText(/^SHA-256: [0-9a-f]{64}$/).waitFor();
    const download = page.waitForEvent('download');
    await reported.getByRole('button', { name: 'Download progress.txt' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('progress.txt');
    expect(readFileSync(await file.path()).toString()).toBe(content);
    await reported.getByLabel('Send back to the region').check();
    await reported.getByRole('button', { name: 'Record the verdict' }).click();
    await reported.getByText('Say what the region must change: a report is sent back with a note.').waitFor();
    expect(await reported.getByLabel('Note to the region').getAttribute('aria-invalid')).toBe('true');
    await reported.getByLabel('Note to the region').fill('Attach the list of trainees.');
    await reported.getByRole('button', { name: 'Record the verdict' }).click();
    await statusOfFirst().filter({ hasText: 'Sent back' }).waitFor();
    // The Commission reads the pilot's timeline.
    // The read model follows the events a moment later: read the page again until it has the verdict.
    await eventually(async () => {
      await page.getByRole('heading', { name: 'Timeline', level: 2 }).waitFor();
      const verdicts = page.getByTestId('timeline').locator('li[data-type="milestone.verified"]');
      if ((await verdicts.count()) > 0) return true;
      await page.reload();
      return false;
    }, 'the verdict in the timeline');
    expect(failures).toEqual([]);
    await context.close();

    // The region reads the note and reports again.
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await signInAs('region-bg41');
    await openPilot();
    const returned = firstMilestone();
    await returned.getByTestId('rejection-note').getByText('Attach the list of trainees.').waitFor();
    await returned.getByRole('heading', { name: 'Report again' }).waitFor();
    await returned
      .getByLabel('Summary')
      .fill('The academy is designed; the list of trainees is in the plan.');
    await returned.getByLabel('Deliverables').fill('Academy plan with the list of trainees');
    await returned.getByRole('button', { name: 'Send the report' }).click();
    await statusOfFirst().filter({ hasText: 'Reported, awaiting verification' }).waitFor();
    await context.close();

    // The auditor accepts it.
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await signInAs('auditor');
    await openPilot();
    const again = firstMilestone();
    await again.getByText('The academy is designed; the list of trainees is in the plan.').waitFor();
    await again.getByLabel('Accept', { exact: true }).check();
    await again.getByRole('button', { name: 'Record the verdict' }).click();
    await statusOfFirst().filter({ hasText: 'Accepted' }).waitFor();
  });

  it('shows the auditor the dashboard’s charts, and exports the pilots as CSV', async () => {
    await signInAs('auditor');
    await nav().getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    for (const title of ['Stage funnel', 'Time in stage', 'Budget by member state']) {
      await page.getByRole('img', { name: new RegExp(`^${title}`) }).waitFor();
    }
    const budget = page.getByTestId('chart-budget');
    await budget.getByText('Show the figures as a table').click();
    await budget.getByRole('row', { name: /BG/ }).getByText('€200,000.00').waitFor();
    await page.screenshot({ path: path.join(screenshots, 'reporting-dashboard.png'), fullPage: true });
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export the pilots (CSV)' }).click();
    const csv = await download;
    expect(csv.suggestedFilename()).toBe('pilots.csv');
    expect(readFileSync(await csv.path()).toString()).toContain(pilotId);
    await page.getByText('The file has been downloaded.').waitFor();
    expect(failures).toEqual([]);
  });

  it('filters the audit trail by event type', async () => {
    await signInAs('auditor');
    await page.getByRole('heading', { name: 'Audit', level: 1 }).waitFor();
    const entries = page.getByTestId('audit-entries');
    // The trail takes the events in from every topic: filter again until both verdicts are in.
    await eventually(
      async () => {
        await entries.waitFor();
        await page.getByLabel('Event', { exact: true }).selectOption('milestone.verified');
        await page.getByRole('button', { name: 'Filter', exact: true }).click();
        await page.getByRole('button', { name: 'Clear the filters' }).waitFor();
        await entries.or(page.getByText('The audit trail has no entries yet.')).waitFor();
        const types = await entries.locator('tbody td:nth-child(3)').allTextContents();
        if (types.length === 2 && types.every((type) => type === 'milestone.verified')) return true;
        await page.reload();
        return false;
      },
      'the trail to show only the milestone verdicts',
      60_000,
    );
    await page.screenshot({ path: path.join(screenshots, 'reporting-audit.png'), fullPage: true });
    expect(failures).toEqual([]);
  });

  it('saves a region’s notification preferences, keeps mandatory kinds on, and reads them back in Bulgarian', async () => {
    await signInAs('region-bg41');
    await nav()
      .getByRole('link', { name: /^Notifications/ })
      .click();
    await page.getByRole('link', { name: 'Choose how you are notified' }).click();
    await page.getByRole('heading', { name: 'Notification preferences', level: 1 }).waitFor();
    const overdue = page.getByLabel('A milestone is overdue');
    expect(await overdue.locator('option[value="off"]').isDisabled()).toBe(true);
    await page.getByLabel('A milestone is due soon').selectOption('digest');
    await page.getByLabel('E-mail address').fill('not an address');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Enter an e-mail address such as name@example.eu.').waitFor();
    await page.getByLabel('E-mail address').fill('innovation@bg41.example.eu');
    await page.getByLabel('Time zone', { exact: true }).fill('Europe/Sofia');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Your preferences are saved.').waitFor();

    await page.reload();
    await page.getByRole('heading', { name: 'Notification preferences', level: 1 }).waitFor();
    expect(await page.getByLabel('A milestone is due soon').inputValue()).toBe('digest');
    expect(await page.getByLabel('E-mail address').inputValue()).toBe('innovation@bg41.example.eu');
    await page.getByLabel('Language', { exact: true }).selectOption('bg');
    await page.getByRole('heading', { name: 'Настройки за известия', level: 1 }).waitFor();
    const dueSoon = page.getByLabel('Наближава срок на етап');
    expect(await dueSoon.inputValue()).toBe('digest');
    expect(await dueSoon.locator('option:checked').textContent()).toBe('Дневен обзор');
    await page.screenshot({ path: path.join(screenshots, 'reporting-preferences.png'), fullPage: true });
    expect(failures).toEqual([]);
  });
});
