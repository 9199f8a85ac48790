import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshots } from './support/browser';
import type { User } from './support/client';
import { applicationDraft, callDraft, eventually, signIn } from './support/client';
import type { Platform } from './support/platform';
import { startPlatform } from './support/platform';

/**
 * The evaluation through the portal's web application, in Debian's Chromium: two reviewers
 * declare no conflict of interest, read the application and score it (one in English, catching
 * a score above the criterion's maximum inline; one in Bulgarian), and an approver approves it
 * from the decision queue, while the first reviewer's open page sees the stage move on its own.
 * The call and the submitted application are set up through the API.
 */

let platform: Platform;
let browser: Browser;
let manager: User;
let pilotId: string;
const title = `Smart manufacturing ${Math.random().toString(36).slice(2, 8)}`;
const contexts: BrowserContext[] = [];
let failures: string[];
/** The first reviewer's page, left open on the pilot to watch its stage change without a reload. */
let watching: Page;

type Pilot = { stage: string; seats: { reviewer: string; vacated?: boolean }[] };

const pilotIn = (stage: string, check: (pilot: Pilot) => boolean = () => true) =>
  eventually(
    async () => {
      const answer = await manager.request<Pilot>('GET', `/api/pilots/${pilotId}`);
      return answer.status === 200 && answer.body.stage === stage && check(answer.body)
        ? answer.body
        : undefined;
    },
    `the pilot to reach ${stage}`,
    60_000,
  );

beforeAll(async () => {
  platform = await startPlatform('e2e-portal-evaluation');
  manager = await signIn(platform.portal, 'manager');
  // Exactly two reviewers in the pool, for two seats: both are seated, in either order.
  for (const [id, country] of [
    ['reviewer1', 'NL'],
    ['reviewer2', 'AT'],
  ] as const) {
    const answer = await manager.request('PUT', `/api/reviewers/${id}`, { name: id, country });
    expect(answer.status).toBe(201);
  }
  const call = await manager.request<{ id: string }>(
    'POST',
    '/api/calls',
    callDraft('industrial-transition', { reviewersPerApplication: 2 }),
  );
  expect(call.status).toBe(201);
  expect((await manager.request('POST', `/api/calls/${call.body.id}/publish`)).status).toBe(200);
  const region = await signIn(platform.portal, 'region-bg41');
  const draft = await eventually(async () => {
    const answer = await region.request<{ id: string }>(
      'POST',
      '/api/applications',
      applicationDraft(call.body.id, { title }),
    );
    return answer.status === 201 ? answer.body : undefined;
  }, 'the call to reach the applications service');
  pilotId = draft.id;
  expect([200, 201]).toContain((await region.request('POST', `/api/applications/${pilotId}/submit`)).status);
  await pilotIn('evaluation', (pilot) => pilot.seats.filter((seat) => !seat.vacated).length === 2);

  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await platform?.stop();
});

beforeEach(() => {
  failures = [];
});

/** A signed-in user's page, in a fresh context of its own (kept open until the end). */
async function signedIn(username: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => failures.push(`${username} page error: ${error.message}`));
  // A refused request is reported by its address (the console only says that one failed). The
  // team section asks for the expert team as soon as the pilot is approved, and until the team
  // is proposed the answer is 404: expected, and no failure.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      failures.push(`${username} console: ${message.text()}`);
    }
  });
  page.on('response', (response) => {
    const expected = response.status() === 404 && new URL(response.url()).pathname.endsWith('/team');
    if (response.status() >= 400 && !expected) {
      failures.push(`${username} ${response.status()} ${response.url()}`);
    }
  });
  await page.goto(`${platform.portal}/`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill('demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

describe('the evaluation in the portal', () => {
  it('lets a reviewer declare no conflict, read the application and score it, catching a score out of range', async () => {
    const page = await signedIn('reviewer1');
    await page.getByRole('heading', { name: 'My evaluations', level: 1 }).waitFor();
    const task = page.getByRole('row').filter({ hasText: title });
    await task.waitFor();
    expect(await task.textContent()).toContain('Declare conflicts of interest');
    await page.screenshot({ path: path.join(screenshots, 'evaluation-reviewer-tasks.png'), fullPage: true });

    await task.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { name: 'Your evaluation', level: 2 }).waitFor();
    // Nothing of the application before the declaration.
    expect(await page.getByRole('heading', { name: 'Your scores' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Declare no conflict and read the application' }).click();
    await page.getByText('Choose one of the two answers.').waitFor();
    await page.getByLabel('No, I have no conflict of interest').check();
    await page
      .getByLabel('Statement', { exact: true })
      .fill('I have no tie to Yugozapaden or to the applicants.');
    await page.getByRole('button', { name: 'Declare no conflict and read the application' }).click();
    await page.getByRole('status').filter({ hasText: 'the application is open to you' }).waitFor();

    // The application, read-only, beside the form: one criterion per fieldset, with its maximum.
    await page.getByRole('heading', { name: title, level: 2 }).waitFor();
    await page.getByRole('heading', { name: 'Your scores' }).waitFor();
    await page.getByRole('group', { name: 'Relevance: weight 50, up to 5 points' }).waitFor();
    const relevance = page.getByLabel('Score for Relevance', { exact: true });
    await relevance.fill('9');
    await relevance.press('Tab');
    const outOfRange = page.getByText('Enter a whole number from 0 to 5.');
    await outOfRange.waitFor();
    expect(await relevance.getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: path.join(screenshots, 'evaluation-scoring-form.png'), fullPage: true });
    await relevance.fill('4');
    await outOfRange.waitFor({ state: 'detached' });
    expect(await relevance.getAttribute('aria-invalid')).toBeNull();
    await page.getByLabel('Comment on Relevance (optional)').fill('Close to the region’s S3 priorities.');
    await page.getByLabel('Score for Quality', { exact: true }).fill('4');
    await page.getByLabel('Overall comment (optional)').fill('A credible plan with a clear budget.');
    await page.getByRole('button', { name: 'Check and send' }).click();
    await page.getByRole('heading', { name: 'Send your review?' }).waitFor();
    await page.getByText('Your weighted score is 80 of 100').waitFor();
    await page.getByRole('button', { name: 'Send the review' }).click();
    await page.getByRole('status').filter({ hasText: 'Your review is recorded.' }).waitFor();
    const mine = page.getByRole('region', { name: 'Your review' });
    await mine.waitFor();
    expect(await mine.textContent()).toContain('Weighted score: 80 of 100');
    expect(await mine.textContent()).toContain('A credible plan with a clear budget.');
    watching = page;
    expect(failures).toEqual([]);
  }, 180_000);

  it('lets the second reviewer do the same in Bulgarian', async () => {
    const page = await signedIn('reviewer2');
    await page.getByRole('heading', { name: 'My evaluations', level: 1 }).waitFor();
    await page.getByLabel('Language').selectOption('bg');
    await page.getByRole('heading', { name: 'Моите оценявания', level: 1 }).waitFor();
    const task = page.getByRole('row').filter({ hasText: title });
    expect(await task.textContent()).toContain('Деклариране на конфликт на интереси');
    await page.screenshot({
      path: path.join(screenshots, 'evaluation-reviewer-tasks-bg.png'),
      fullPage: true,
    });
    await task.getByRole('link', { name: title }).click();

    await page.getByRole('heading', { name: 'Вашето оценяване', level: 2 }).waitFor();
    await page.getByLabel('Не, нямам конфликт на интереси').check();
    await page.getByLabel('Обяснение', { exact: true }).fill('Нямам връзка с региона.');
    await page
      .getByRole('button', { name: 'Деклариране, че няма конфликт, и четене на заявлението' })
      .click();
    await page.getByRole('heading', { name: 'Вашите оценки' }).waitFor();
    await page.getByLabel('Оценка по „Relevance“', { exact: true }).fill('4');
    await page.getByLabel('Оценка по „Quality“', { exact: true }).fill('3');
    await page.getByLabel('Общ коментар (по избор)').fill('Добър план, но графикът е амбициозен.');
    await page.getByRole('button', { name: 'Проверка и изпращане' }).click();
    await page.getByText('Претеглената ви оценка е 70 от 100').waitFor();
    await page.getByRole('button', { name: 'Изпращане на оценката' }).click();
    await page.getByRole('status').filter({ hasText: 'Оценката ви е записана.' }).waitFor();
    // With its own review in, a reviewer sees the panel's: none of it before.
    await page.getByRole('region', { name: 'Вашата оценка' }).waitFor();
    expect(failures).toEqual([]);
  }, 180_000);

  it('shows the approver the pilot in the queue with both scores, and the approval moves the stage live', async () => {
    await pilotIn('decision');
    const page = await signedIn('approver1');
    await page.getByRole('heading', { name: 'Decisions', level: 1 }).waitFor();
    const item = page.getByRole('article', { name: title });
    await item.waitFor();
    const text = (await item.textContent()) ?? '';
    expect(text).toContain('75 of 100, pass threshold 60');
    expect(text).toContain('Passes');
    expect(text).toContain('€200,000.00');
    expect(text).toContain('€1,000,000.00 of €1,000,000.00');
    const scores = item.getByRole('table', { name: 'Reviewers’ scores' });
    expect(await scores.getByRole('row').filter({ hasText: 'reviewer1' }).textContent()).toContain('80');
    expect(await scores.getByRole('row').filter({ hasText: 'reviewer2' }).textContent()).toContain('70');
    expect(await scores.textContent()).toContain('Добър план, но графикът е амбициозен.');
    await page.screenshot({ path: path.join(screenshots, 'evaluation-decision-queue.png'), fullPage: true });

    await item.getByRole('link', { name: `Decide on “${title}”` }).click();
    await page.getByRole('heading', { name: 'Your decision' }).waitFor();
    await page.getByRole('button', { name: 'Check the decision' }).click();
    await page.getByText('Choose a decision.').waitFor();
    await page.getByLabel('Approve', { exact: true }).check();
    await page.getByLabel('Reasons').fill('A credible plan, well within the call’s budget.');
    await page.getByRole('button', { name: 'Check the decision' }).click();
    await page.getByRole('heading', { name: 'Confirm your decision' }).waitFor();
    await page.getByText('€200,000.00 is reserved from the call’s budget.').waitFor();
    await page.screenshot({ path: path.join(screenshots, 'evaluation-decision.png'), fullPage: true });
    await page.getByRole('button', { name: 'Confirm: Approve' }).click();
    await page.getByRole('status').filter({ hasText: 'Decision recorded: Approve.' }).waitFor();
    await page.locator('[data-testid="stage"][data-stage="expert-team"]').waitFor();

    // The first reviewer's page, open all along, follows the pilot's stage without a reload.
    await watching.locator('[data-testid="stage"][data-stage="expert-team"]').waitFor({ timeout: 30_000 });
    await watching.getByText('The pilot has moved to: Expert team').waitFor();
    expect(failures).toEqual([]);
  }, 180_000);
});
