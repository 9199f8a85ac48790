import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshots } from './support/browser';
import { inDays } from './support/client';
import type { Language } from './support/messages';
import { uiText } from './support/messages';
import type { Platform } from './support/platform';
import { startPlatform } from './support/platform';

/**
 * One pilot from its call to its closure through the web application only, in Debian's Chromium:
 * no API call sets anything up. One user per role, each in a browser of its own: the programme
 * manager (English) fills the reviewer pool and the expert registry and publishes the call; the
 * region (English) applies; the reviewer (English) declares no conflict and scores; the approver
 * (Bulgarian) approves; the expert (Swedish) accepts; the region reports on its milestone; the
 * auditor (Swedish) accepts it; the region files the final report and the auditor accepts it,
 * which closes the pilot. Each role's main page is saved as a screenshot.
 */
const suffix = Math.random().toString(36).slice(2, 8);
const callTitle = `Green manufacturing walk ${suffix}`;
const pilotTitle = `Skills for green steel ${suffix}`;

let platform: Platform;
let browser: Browser;
let pilotId: string;
const failures: string[] = [];

beforeAll(async () => {
  platform = await startPlatform('e2e-portal-walk');
  browser = await launchChromium();
}, 120_000);

beforeEach(() => {
  failures.length = 0;
});

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

/**
 * A user's own browser, signed in, in its language. Refused requests and page errors are failures,
 * but for one: the team section asks for the expert team once the pilot is approved, and the
 * experts service answers 404 until it has proposed one.
 */
async function as(username: string, language: Language, work: (page: Page) => Promise<void>): Promise<void> {
  const context: BrowserContext = await browser.newContext({
    locale: { en: 'en-GB', bg: 'bg-BG', sv: 'sv-SE' }[language],
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => failures.push(`${username}: page error ${error.message}`));
  page.on('response', (response) => {
    const teamNotYet = response.status() === 404 && new URL(response.url()).pathname.endsWith('/team');
    if (response.status() >= 400 && !teamNotYet) {
      failures.push(`${username}: ${response.status()} ${response.request().method()} ${response.url()}`);
    }
  });
  try {
    await page.goto(`${platform.portal}/`);
    await page.getByLabel(uiText(language, 'signIn.username')).fill(username);
    await page.getByLabel(uiText(language, 'signIn.password')).fill('demo');
    await page.getByRole('button', { name: uiText(language, 'signIn.submit') }).click();
    await page.getByRole('button', { name: uiText(language, 'header.signOut') }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe(language);
    await work(page);
  } finally {
    await context.close();
  }
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(screenshots, `walk-${name}.png`), fullPage: true });
const nav = (page: Page, language: Language, key: string) =>
  page
    .getByRole('navigation', { name: uiText(language, 'nav.label') })
    .getByRole('link', { name: uiText(language, key) });
/** The pilot's page shows its stage live: wait for it to move there. */
const stageReached = (page: Page, stage: string, timeout = 60_000) =>
  page.locator(`[data-testid="stage"][data-stage="${stage}"]`).waitFor({ timeout });

/** A datetime-local value (the reader's time zone, here the machine's) `days` from now. */
function localInput(days: number): string {
  const at = new Date(inDays(days));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

describe('one pilot from its call to its closure, through the web application only', () => {
  it('is set up by the programme manager: reviewer, expert and the published call', async () => {
    await as('manager', 'en', async (page) => {
      await page.getByRole('heading', { name: 'Calls for interest', level: 1 }).waitFor();
      await shot(page, 'programme-manager');

      await nav(page, 'en', 'nav.reviewers').click();
      await page.getByRole('heading', { name: 'Reviewer pool', level: 1 }).waitFor();
      await page.getByLabel('User name', { exact: true }).fill('reviewer1');
      await page.getByLabel('Name', { exact: true }).fill('Reviewer One');
      await page.getByLabel('Member state', { exact: true }).selectOption('NL');
      await page.getByRole('button', { name: 'Add to the pool' }).click();
      await page.getByRole('status').filter({ hasText: 'Reviewer One is in the pool.' }).waitFor();
      await page.getByRole('row').filter({ hasText: 'reviewer1' }).waitFor();

      await nav(page, 'en', 'nav.experts').click();
      await page.getByRole('heading', { name: 'Expert pool', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Register an expert' }).click();
      const expert = page.getByRole('region', { name: 'Register an expert' });
      await expert.getByLabel('User id').fill('expert05');
      await expert.getByLabel('Name').fill('Elena Ruiz');
      await expert.getByLabel('Member state', { exact: true }).selectOption('ES');
      await expert.getByRole('checkbox', { name: 'Spanish', exact: true }).check();
      await expert.getByRole('checkbox', { name: 'English', exact: true }).check();
      await expert.getByRole('button', { name: 'Add a domain' }).click();
      await expert.getByLabel('Domain', { exact: true }).selectOption('C');
      await expert.getByRole('checkbox', { name: 'Skills' }).check();
      await expert.getByRole('button', { name: 'Register' }).click();
      await page.getByRole('status').filter({ hasText: 'Elena Ruiz (expert05) is registered' }).waitFor();

      await nav(page, 'en', 'nav.calls').click();
      await page.getByRole('link', { name: 'New call' }).click();
      await page.getByRole('heading', { name: 'New call for interest', level: 1 }).waitFor();
      await page.getByLabel('Pilot type').selectOption('industrial-transition');
      await page.getByLabel('Title', { exact: true }).fill(callTitle);
      await page
        .getByLabel('Summary')
        .fill('Regions in industrial transition modernise their manufacturing.');
      await page.getByRole('checkbox', { name: 'Bulgaria', exact: true }).check();
      await page.getByLabel('Domain', { exact: true }).selectOption('C');
      await page.getByLabel('Criterion 1', { exact: true }).fill('Relevance');
      await page.getByLabel('Criterion 2', { exact: true }).fill('Quality');
      await page.getByLabel('Reviewers per application').fill('1');
      await page.getByLabel('Expert team size').fill('1');
      await page.getByLabel('Total budget (€)').fill('1000000');
      await page.getByLabel('Most per application (€)').fill('250000');
      await page.getByLabel('Opens', { exact: true }).fill(localInput(-1));
      // Closing soon, so that a milestone a few days on is after the close and already due.
      await page.getByLabel('Closes', { exact: true }).fill(localInput(2));
      await page.getByRole('button', { name: 'Save the draft' }).click();
      await page.getByRole('heading', { name: callTitle, level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Publish…' }).click();
      await page
        .getByRole('alertdialog', { name: 'Publish this call?' })
        .getByRole('button', { name: 'Yes, publish' })
        .click();
      await page.locator('[data-status="open"]').first().waitFor();
    });
    expect(failures).toEqual([]);
  }, 180_000);

  it('is applied for by the region', async () => {
    await as('region-bg41', 'en', async (page) => {
      await page.getByRole('heading', { name: 'Region BG41', level: 1 }).waitFor();
      // The call reaches the applications service through Kafka: look until it can be applied to.
      const apply = page.getByRole('link', { name: `Apply to ${callTitle}` });
      for (let tries = 0; (await apply.count()) === 0; tries++) {
        if (tries > 60) throw new Error('the call did not show up for the region');
        await page.waitForTimeout(500);
        await page.reload();
        await page.getByRole('heading', { name: 'Open calls' }).waitFor();
        await page.getByRole('region', { name: 'Open calls' }).locator('ul, p').first().waitFor();
      }
      await shot(page, 'region');
      await apply.click();
      await page.getByRole('heading', { name: `Apply to “${callTitle}”`, level: 1 }).waitFor();
      await page.getByLabel('Title', { exact: true }).fill(pilotTitle);
      for (const step of [
        '1. Analysis of the regional context',
        '2. Governance',
        '3. Shared vision',
        '4. Priorities',
        '5. Policy mix',
        '6. Monitoring and evaluation',
      ]) {
        await page.getByLabel(step).fill(`${step}: where the region stands and where it goes.`);
      }
      await page.getByLabel(/Manufacturing/).check();
      await page.getByLabel('Skills').check();
      await page.getByLabel('What the support should achieve').fill('Experts to set up a skills academy.');
      await page.getByLabel('Total cost (euro)').fill('400000');
      await page.getByLabel('Support requested (euro)').fill('200000');
      await page.getByRole('button', { name: 'Add a milestone' }).click();
      await page.getByLabel('What is achieved').fill('Skills academy open');
      await page.getByLabel('Due date').fill(inDays(5).slice(0, 10));
      await page.getByLabel('Deliverables').fill('Academy plan');
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.waitForURL(/\/applications\/[^/]+$/);
      pilotId = page.url().split('/').pop() ?? '';
      await page.getByRole('button', { name: 'Submit the application' }).click();
      await page.locator('[data-testid="application-status"]:not([data-status="draft"])').waitFor();
      await page.getByRole('heading', { name: 'Submission receipts' }).waitFor();
      // Eligible at once: the pilot's page follows it into evaluation.
      await page.goto(`${platform.portal}/pilots/${pilotId}`);
      await stageReached(page, 'evaluation');
    });
    expect(failures).toEqual([]);
  }, 180_000);

  it('is reviewed by the reviewer, after declaring no conflict of interest', async () => {
    await as('reviewer1', 'en', async (page) => {
      await page.getByRole('heading', { name: 'My evaluations', level: 1 }).waitFor();
      const task = page.getByRole('row').filter({ hasText: pilotTitle });
      await task.waitFor();
      await shot(page, 'reviewer');
      await task.getByRole('link', { name: pilotTitle }).click();
      await page.getByLabel('No, I have no conflict of interest').check();
      await page.getByLabel('Statement', { exact: true }).fill('I have no tie to Yugozapaden.');
      await page.getByRole('button', { name: 'Declare no conflict and read the application' }).click();
      await page.getByRole('heading', { name: 'Your scores' }).waitFor();
      await page.getByLabel('Score for Relevance', { exact: true }).fill('4');
      await page.getByLabel('Score for Quality', { exact: true }).fill('4');
      await page.getByRole('button', { name: 'Check and send' }).click();
      await page.getByText('Your weighted score is 80 of 100').waitFor();
      await page.getByRole('button', { name: 'Send the review' }).click();
      await page.getByRole('status').filter({ hasText: 'Your review is recorded.' }).waitFor();
      await stageReached(page, 'decision');
    });
    expect(failures).toEqual([]);
  }, 180_000);

  it('is approved by the approver, in Bulgarian', async () => {
    await as('approver1', 'bg', async (page) => {
      await page.getByRole('heading', { name: uiText('bg', 'nav.decisions'), level: 1 }).waitFor();
      const item = page.getByRole('article', { name: pilotTitle });
      await item.waitFor();
      await shot(page, 'approver-bg');
      await item
        .getByRole('link', { name: uiText('bg', 'decisionQueue.open', { title: pilotTitle }) })
        .click();
      await page.getByRole('heading', { name: uiText('bg', 'decision.form') }).waitFor();
      await page.getByLabel(uiText('bg', 'decision.kind.approve'), { exact: true }).check();
      await page.getByLabel(uiText('bg', 'decision.reasons')).fill('Убедителен план в рамките на бюджета.');
      await page.getByRole('button', { name: uiText('bg', 'decision.check') }).click();
      const approve = uiText('bg', 'decision.kind.approve');
      await page
        .getByRole('button', { name: uiText('bg', 'decision.confirm', { decision: approve }) })
        .click();
      await page
        .getByRole('status')
        .filter({ hasText: uiText('bg', 'decision.sent', { decision: approve }) })
        .waitFor();
      await stageReached(page, 'expert-team');
    });
    expect(failures).toEqual([]);
  }, 180_000);

  it('gets its expert team when the expert accepts, in Swedish', async () => {
    await as('expert05', 'sv', async (page) => {
      await page.getByRole('heading', { name: uiText('sv', 'nav.assignments'), level: 1 }).waitFor();
      const accept = page.getByRole('button', {
        name: uiText('sv', 'assignment.acceptOf', {
          pilot: uiText('sv', 'assignment.pilotOf', { region: 'BG41' }),
        }),
      });
      // The team is proposed from the approval's event: look until the invitation is there.
      for (let tries = 0; (await accept.count()) === 0; tries++) {
        if (tries > 60) throw new Error('the invitation did not reach the expert');
        await page.waitForTimeout(500);
        await page.reload();
        await page.getByRole('heading', { name: uiText('sv', 'nav.assignments'), level: 1 }).waitFor();
      }
      await shot(page, 'expert-sv');
      await accept.click();
      await page
        .getByRole('status')
        .filter({ hasText: uiText('sv', 'assignment.accepted') })
        .waitFor();
      await page.goto(`${platform.portal}/pilots/${pilotId}`);
      await stageReached(page, 'implementation');
    });
    expect(failures).toEqual([]);
  }, 180_000);

  it('is reported on by the region, and the auditor accepts the report, in Swedish', async () => {
    await as('region-bg41', 'en', async (page) => {
      await page.goto(`${platform.portal}/pilots/${pilotId}`);
      await page.getByRole('heading', { name: 'Milestones', level: 2 }).waitFor();
      const milestone = page.getByRole('article', { name: 'Milestone 1: Skills academy open' });
      await milestone.getByLabel('Choose files').setInputFiles({
        name: 'academy.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('The academy opened with 40 trainees.'),
      });
      await milestone.getByRole('button', { name: 'Upload' }).click();
      await milestone.getByText(/^SHA-256: [0-9a-f]{64}$/).waitFor();
      await milestone.getByLabel('Summary').fill('The academy is open and its first course has started.');
      await milestone.getByLabel('Deliverables').fill('Academy plan');
      await milestone.getByRole('button', { name: 'Send the report' }).click();
      await milestone
        .getByTestId('milestone-status')
        .filter({ hasText: 'Reported, awaiting verification' })
        .waitFor();
      await shot(page, 'region-pilot');
    });
    await as('auditor', 'sv', async (page) => {
      await nav(page, 'sv', 'nav.milestones').click();
      await page.getByRole('heading', { name: uiText('sv', 'nav.milestones'), level: 1 }).waitFor();
      const heading = uiText('sv', 'milestone.heading', { number: 1, title: 'Skills academy open' });
      const link = page.getByTestId('milestones-reported').getByRole('link', { name: heading });
      await link.waitFor();
      await shot(page, 'auditor-sv');
      await link.click();
      const milestone = page.getByRole('article', { name: heading });
      await milestone.getByText('The academy is open and its first course has started.').waitFor();
      await milestone.getByLabel(uiText('sv', 'verification.accept'), { exact: true }).check();
      await milestone.getByRole('button', { name: uiText('sv', 'verification.send') }).click();
      await milestone
        .getByTestId('milestone-status')
        .filter({ hasText: uiText('sv', 'milestone.status.accepted') })
        .waitFor();
      await stageReached(page, 'final-report');
    });
    expect(failures).toEqual([]);
  }, 180_000);

  it('closes when the auditor accepts the region’s final report', async () => {
    await as('region-bg41', 'en', async (page) => {
      await page.goto(`${platform.portal}/pilots/${pilotId}`);
      const final = page.getByRole('region', { name: 'Final report' });
      await final.getByRole('heading', { name: 'File the final report' }).waitFor();
      await final
        .getByLabel('Summary')
        .fill('The academy trained 40 people; the region funds it from next year.');
      await final.getByRole('button', { name: 'Send the final report' }).click();
      await final
        .getByTestId('final-report-status')
        .filter({ hasText: 'filed, awaiting verification' })
        .waitFor();
    });
    await as('auditor', 'sv', async (page) => {
      await page.goto(`${platform.portal}/pilots/${pilotId}`);
      const final = page.getByRole('region', { name: uiText('sv', 'finalReport.title') });
      await final.getByText('The academy trained 40 people; the region funds it from next year.').waitFor();
      await final.getByLabel(uiText('sv', 'verification.accept'), { exact: true }).check();
      await final.getByRole('button', { name: uiText('sv', 'verification.send') }).click();
      await stageReached(page, 'closed');
      await page.getByRole('heading', { name: uiText('sv', 'pilot.history') }).waitFor();
      await shot(page, 'closed-sv');
      // The closure is in the audit trail, whose chain verifies.
      await nav(page, 'sv', 'nav.audit').click();
      await page.getByRole('button', { name: uiText('sv', 'trail.verify') }).click();
      await page
        .getByTestId('verification')
        .getByText(new RegExp(uiText('sv', 'trail.valid', { entries: '\\d+' }).replace('.', '\\.')))
        .waitFor();
    });
    expect(failures).toEqual([]);
  }, 180_000);
});
