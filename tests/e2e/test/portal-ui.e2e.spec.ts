import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { failuresOf, launchChromium, screenshots, signInThroughForm } from './support/browser';
import type { User } from './support/client';
import { callDraft, signIn } from './support/client';
import type { Platform } from './support/platform';
import { startPlatform } from './support/platform';

/**
 * The portal's web application in Debian's Chromium, driven by playwright-core (which never
 * downloads a browser of its own): `npm test` installs the chromium package where it is missing
 * (scripts/lib.sh, ensure_chromium). The portal of the platform serves the UI built by
 * `npm run build` (services/portal/dist/web).
 */

let platform: Platform;
let browser: Browser;
let manager: User;
let callTitle: string;

beforeAll(async () => {
  platform = await startPlatform('e2e-portal-ui');
  manager = await signIn(platform.portal, 'manager');
  const draft = callDraft('industrial-transition');
  callTitle = draft.title;
  const created = await manager.request<{ id: string }>('POST', '/api/calls', draft);
  expect(created.status).toBe(201);
  expect((await manager.request('POST', `/api/calls/${created.body.id}/publish`)).status).toBe(200);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

/** A fresh browser context (its own sessionStorage and localStorage), in English. */
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

async function signInAs(username: string, password = 'demo') {
  await signInThroughForm(page, platform.portal, username, password);
}

const navigation = (name = 'Main') => page.getByRole('navigation', { name });
async function navTexts(name?: string): Promise<string[]> {
  await navigation(name).waitFor();
  return navigation(name).getByRole('link').allTextContents();
}

describe('the portal web application', () => {
  it('shows the sign-in form, and says so accessibly when the password is wrong', async () => {
    const answer = await page.goto(`${platform.portal}/`);
    expect(answer?.status()).toBe(200);
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await signInAs('region-bg41', 'wrong');
    await page.getByRole('alert').filter({ hasText: 'The user name or the password is wrong.' }).waitFor();
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    // The browser reports the refused sign-in (401) on its console: expected here, and only here.
    expect(failures).toEqual([expect.stringContaining('401')]);
    failures.length = 0;
    // The keyboard alone signs in: tab to the fields, Enter submits.
    await page.getByLabel('User name').focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('region-bg41');
    await page.keyboard.press('Tab');
    await page.keyboard.type('demo');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Region BG41', level: 1 }).waitFor();
    expect(failures).toEqual([]);
  });

  it('shows a region its open calls, its pilots and its inbox, and nothing of other roles', async () => {
    await signInAs('region-bg41');
    await page.getByRole('heading', { name: 'Region BG41', level: 1 }).waitFor();
    const call = page.getByRole('article', { name: callTitle });
    await call.waitFor();
    expect(await call.textContent()).toContain('Industrial transition');
    expect(await call.textContent()).toContain('€250,000.00');
    expect(await call.textContent()).toContain('Your member state may apply.');
    await page.getByRole('heading', { name: 'My pilots' }).waitFor();
    await page.getByText('You have no pilot yet.', { exact: false }).waitFor();
    expect(await navTexts()).toEqual(['Calls and pilots', expect.stringMatching(/^Notifications/)]);
    await page.screenshot({ path: path.join(screenshots, 'region.png'), fullPage: true });

    // The call's publication reaches the region's inbox through Kafka: look until it is there.
    await navigation()
      .getByRole('link', { name: /^Notifications/ })
      .click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    const notice = page.getByRole('article').filter({ hasText: callTitle });
    for (let tries = 0; (await notice.count()) === 0; tries++) {
      if (tries > 60) throw new Error('the call-published notification did not reach the inbox');
      await page.waitForTimeout(500);
      await page.reload();
      await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    }
    await page.getByTestId('unread').waitFor();
    const unreadBefore = Number(await page.getByTestId('unread').textContent());
    expect(unreadBefore).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: path.join(screenshots, 'region-notifications.png'), fullPage: true });
    await notice.getByRole('button', { name: /^Mark .* as read$/ }).click();
    await notice.getByRole('button', { name: /as read/ }).waitFor({ state: 'detached' });
    if (unreadBefore === 1) await page.getByTestId('unread').waitFor({ state: 'detached' });
    else expect(Number(await page.getByTestId('unread').textContent())).toBe(unreadBefore - 1);

    // An auditor's page, asked for by its address, is refused and not shown.
    await page.goto(`${platform.portal}/audit`);
    await page.getByRole('heading', { name: 'Your role cannot open this page.' }).waitFor();
    expect(await page.getByRole('button', { name: 'Verify chain' }).count()).toBe(0);
    expect(failures).toEqual([]);
  });

  it('speaks Bulgarian and Swedish when the reader picks them, dates and money included', async () => {
    await signInAs('region-bg41');
    const call = page.getByRole('article', { name: callTitle });
    await call.waitFor();
    await page.getByLabel('Language').selectOption('bg');
    await page.getByRole('heading', { name: 'Регион BG41', level: 1 }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('bg');
    await page.getByRole('heading', { name: 'Отворени покани' }).waitFor();
    expect(await navTexts('Основна навигация')).toEqual([
      'Покани и пилотни действия',
      expect.stringMatching(/^Известия/),
    ]);
    expect(await page.getByRole('button', { name: 'Изход' }).count()).toBe(1);
    expect(await call.textContent()).toContain('Индустриален преход');
    expect(await call.textContent()).toMatch(/250\s000,00\s€/);
    expect(await page.title()).toBe('Платформа за пилотни действия S3');
    await page.screenshot({ path: path.join(screenshots, 'region-bg.png'), fullPage: true });

    await page.getByLabel('Език').selectOption('sv');
    await page.getByRole('heading', { name: 'Öppna utlysningar' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('sv');
    expect(await call.textContent()).toMatch(/250\s000,00\s€/);

    // The choice stays for the next visit.
    await page.reload();
    await page.getByRole('heading', { name: 'Öppna utlysningar' }).waitFor();
    expect(failures).toEqual([]);
  });

  it('shows an auditor the overdue milestones and the audit trail, whose chain verifies', async () => {
    await signInAs('auditor');
    await page.getByRole('heading', { name: 'Audit', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Overdue milestones' }).waitFor();
    await page.getByText('No milestone is overdue.').waitFor();
    expect(await navTexts()).toEqual([
      'Pilots',
      'Milestones',
      'Audit',
      'Dashboard',
      expect.stringMatching(/^Notifications/),
    ]);
    const verify = page.getByRole('button', { name: 'Verify chain' });
    await verify.focus();
    await page.keyboard.press('Enter');
    const result = page.getByTestId('verification');
    await result.getByText(/^The chain is intact: \d+ entries\.$/).waitFor();
    expect(await result.locator('[data-valid]').getAttribute('data-valid')).toBe('true');
    await page.screenshot({ path: path.join(screenshots, 'auditor.png'), fullPage: true });
    expect(failures).toEqual([]);
  });

  it('gives the programme manager the calls as start page, and no region or audit pages', async () => {
    await signInAs('manager');
    await page.getByRole('heading', { name: 'Calls for interest', level: 1 }).waitFor();
    expect(await navTexts()).toEqual([
      'Calls',
      'Pilots',
      'Experts',
      'Reviewers',
      'Escalations',
      'Dashboard',
      expect.stringMatching(/^Notifications/),
    ]);
    await page.screenshot({ path: path.join(screenshots, 'programme-manager.png'), fullPage: true });

    await page.goto(`${platform.portal}/region`);
    await page.getByRole('heading', { name: 'Your role cannot open this page.' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    await page.getByText('You have signed out.').waitFor();
    expect(await page.evaluate('sessionStorage.getItem("s3p.token")')).toBeNull();
    expect(failures).toEqual([]);
  });

  it('fits a tablet held upright: no page scrolls sideways, and the navigation stays reachable', async () => {
    await context.close();
    context = await browser.newContext({
      locale: 'en-GB',
      viewport: { width: 768, height: 1024 },
      hasTouch: true,
    });
    page = await context.newPage();
    const sideways = async () =>
      Number(
        await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
      );
    await signInAs('manager');
    await page.getByRole('heading', { name: 'Calls for interest', level: 1 }).waitFor();
    for (const [link, heading] of [
      ['Calls', 'Calls for interest'],
      ['Pilots', 'Pilots'],
      ['Experts', 'Expert pool'],
      ['Reviewers', 'Reviewer pool'],
      ['Dashboard', 'Dashboard'],
    ] as const) {
      await navigation().getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.getByText('Loading…').first().waitFor({ state: 'detached' });
      expect({ page: link, sideways: await sideways() }).toEqual({ page: link, sideways: 0 });
    }
    await page.goto(`${platform.portal}/calls/new`);
    await page.getByRole('heading', { name: 'New call for interest', level: 1 }).waitFor();
    expect(await sideways()).toBe(0);
    await page.screenshot({ path: path.join(screenshots, 'tablet-call-form.png'), fullPage: true });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInAs('region-bg41');
    await page.getByRole('heading', { name: 'Region BG41', level: 1 }).waitFor();
    await page.getByRole('article', { name: callTitle }).waitFor();
    expect(await sideways()).toBe(0);
    await page.getByRole('link', { name: `Apply to ${callTitle}` }).click();
    await page.getByRole('heading', { name: `Apply to “${callTitle}”`, level: 1 }).waitFor();
    expect(await sideways()).toBe(0);
    await page.screenshot({ path: path.join(screenshots, 'tablet-application-form.png'), fullPage: true });
    expect(failures).toEqual([]);
  });
});
