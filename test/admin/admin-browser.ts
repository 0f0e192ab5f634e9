// Real headless Chromium (Debian `chromium`) for the admin UI tests, driven by playwright-core.
// Without /usr/bin/chromium the browser tests are skipped with a loud warning, so `npm test`
// still runs on machines without it; the summary reporter lists them as unexpected skips, and
// `.ci/run` (which installs chromium) fails on them.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { AdminAuthService } from '../../src/admin/admin-auth.service';
import type { Role } from '../../src/generated/prisma/enums';
import type { TestApp } from '../support/test-app';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
export const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'screenshots');

/** `it` when Chromium is installed, else `it.skip` after a warning naming the package to install. */
export function browserIt(name: string, fn: () => Promise<void>, timeoutMs = 20_000): void {
  if (haveChromium) {
    it(name, fn, timeoutMs);
    return;
  }
  console.warn(`SKIPPED browser test "${name}": ${CHROMIUM} is missing (install the Debian package "chromium")`);
  it.skip(name, fn);
}

export async function launchBrowser(): Promise<Browser | null> {
  if (!haveChromium) return null;
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}

export async function createUser(t: TestApp, role: Role): Promise<{ email: string; password: string }> {
  const email = `${role}.${Date.now()}.${Math.random().toString(36).slice(2, 6)}@ui.test`;
  const { password } = await t.app.get(AdminAuthService).createUser({ email, role });
  return { email, password: password! };
}

/** A fresh browser context (own cookies) signed in as the user, on the dashboard. */
export async function signIn(browser: Browser, t: TestApp, user: { email: string; password: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${t.url}/admin`);
  await page.waitForURL(/\/admin\/login/);
  await page.fill('#email', user.email);
  await page.fill('#password', user.password);
  await Promise.all([page.waitForURL(`${t.url}/admin`), page.click('button[type=submit]')]);
  return page;
}

/**
 * On an email template's page: «Исходный код», the source view, as a user who edits MJML by hand
 * chooses it (the page remembers the choice, so later template pages of this browser open in it).
 */
export async function useSourceView(page: Page): Promise<void> {
  await page.click('#template-builder [data-mode="source"]', { timeout: 30_000 });
  await page.locator('textarea#body').waitFor({ state: 'visible' });
}

/** Waits until an email template page's builder has started (in either view). */
export async function builderReady(page: Page): Promise<void> {
  await page.locator('#template-builder [data-mode="source"]').waitFor({ timeout: 30_000 });
}

/**
 * Waits until the document in the frame `frame` (a selector of its <iframe>) shows `text`. The
 * frame reloads as the form changes, and Chromium may move a sandboxed frame to another process
 * while it loads, which ends a wait on the old document ("Target page … has been closed"): such
 * an ending is waited past, anything else fails at once.
 */
export async function waitForFrameText(page: Page, frame: string, text: string, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await page
        .frameLocator(frame)
        .locator('body', { hasText: text })
        .waitFor({ timeout: Math.max(1_000, deadline - Date.now()) });
      return;
    } catch (error) {
      const swapped = /has been closed|detached|Target closed/i.test((error as Error).message);
      if (!swapped || Date.now() > deadline || page.isClosed()) throw error;
      console.warn(`waitForFrameText: the frame's document went away while waiting for "${text}"; waiting on the new one`);
    }
  }
}
