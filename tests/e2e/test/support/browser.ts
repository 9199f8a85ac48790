import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

/**
 * The browser tests' Chromium: Debian's package, driven by playwright-core, which never downloads
 * a browser of its own. `npm test` installs the package where it is missing (scripts/lib.sh,
 * ensure_chromium). The portal of the platform serves the UI built by `npm run build`.
 */
export const chromiumPath = '/usr/bin/chromium';

/** Where the browser tests leave their screenshots (each role's main page, among others). */
export const screenshots = path.join(__dirname, '..', '..', 'test-output', 'screenshots');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `${chromiumPath} is missing: the browser tests need Debian's chromium. ` +
        '`npm test` installs it (scripts/lib.sh, ensure_chromium); or run `apt-get install chromium` as root.',
    );
  }
  mkdirSync(screenshots, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // Playwright gives each launch a new empty profile (--user-data-dir) of its own.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Records the page's uncaught errors and console errors: a browser test expects none but those it names. */
export function failuresOf(page: Page): string[] {
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') failures.push(`console: ${message.text()}`);
  });
  return failures;
}

/** Signs in through the portal's own form, as a person does. */
export async function signInThroughForm(
  page: Page,
  portal: string,
  username: string,
  password = 'demo',
): Promise<void> {
  await page.goto(`${portal}/`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
