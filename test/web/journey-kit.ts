/**
 * What every browser-journey file shares: the loud skip (a failure under CI=true) when Chromium or
 * web/dist is missing, the real stack and browser per file, a context per journey, and the check
 * every screen gets (axe, screenshots at 360 and 1280 px).
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { ROOT } from '../helpers/processes.js';
import { startStack, type Stack, type StackOptions } from '../helpers/stack.js';
import { ensureChromium, launch, newContext, screenshots, seriousViolations, writePng } from './browser.js';

const inCi = process.env.CI === 'true';
const built = existsSync(path.join(ROOT, 'web', 'dist', 'index.html'));
const chromium = ensureChromium();
const missing = !built ? 'web/dist is not built (npm run build builds it)' : chromium.ok ? undefined : chromium.why;
if (missing) {
  const why = missing;
  if (inCi) throw new Error(`browser tests cannot run under CI=true: ${why}`);
  console.warn(`\n!!! SKIPPED: the web browser journeys did not run — ${why}\n`);
}
/** Whether the journeys can run here (describe.skipIf(!canRun)). */
export const canRun = missing === undefined;

export const PASSWORD = 'journey-password-1234';

export interface Journeys {
  readonly stack: Stack;
  /** A folder with red.png, blue.png and green.png for uploads. */
  readonly files: string;
  /** The screens checked so far (each file asserts it covered its own). */
  readonly screens: Set<string>;
  /** A fresh browser context (one per journey and person), closed after the file. */
  context(): Promise<BrowserContext>;
  /** No serious/critical axe violation; screenshots at both widths. */
  checkScreen(page: Page, name: string): Promise<void>;
}

/** Starts the stack and the browser for this file (beforeAll) and stops them (afterAll). */
export function journeys(options: StackOptions = {}): Journeys {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  let files = '';
  const contexts: BrowserContext[] = [];
  const screens = new Set<string>();
  beforeAll(async () => {
    if (!canRun) return;
    stack = await startStack(options);
    browser = await launch();
    files = await mkdtemp(path.join(os.tmpdir(), 'agora-web-files-'));
    await writePng(path.join(files, 'red.png'), [200, 40, 40]);
    await writePng(path.join(files, 'blue.png'), [40, 80, 200]);
    await writePng(path.join(files, 'green.png'), [40, 160, 80]);
  }, 240_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });
  return {
    get stack() {
      return stack!;
    },
    get files() {
      return files;
    },
    screens,
    async context() {
      const c = await newContext(browser!, stack!.url);
      contexts.push(c);
      return c;
    },
    async checkScreen(page, name) {
      await page.waitForLoadState('networkidle');
      expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
      await screenshots(page, name);
      screens.add(name);
    },
  };
}

let seq = 0;
/** A new person's username and email, unique in this run. */
export function person(prefix: string) {
  seq += 1;
  const username = `${prefix}${seq}${Math.random().toString(36).slice(2, 6)}`;
  return { username, email: `${username}@example.com` };
}

/** Signs up through the screen (signed in right after, on Settings); `shoot` checks the form first. */
export async function signUp(page: Page, who: { username: string; email: string }, shoot?: () => Promise<void>): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(PASSWORD);
  if (shoot) await shoot();
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
}

export async function signIn(page: Page, login: string, password = PASSWORD): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * The tab's next actions land on sign-in, which says why. A revocation reaches every service within
 * 5 s (SECURITY.md), so the tab keeps acting (Settings, Home, …) until a request is refused. A tab
 * the app already signed out (its notification stream ended on the revocation) passes at once.
 */
export async function nextActionSignsOut(page: Page, why: string): Promise<void> {
  const signInHeading = page.getByRole('heading', { name: 'Sign in to Agora' });
  await expect
    .poll(
      async () => {
        if (await signInHeading.count()) return true;
        const next = new URL(page.url()).pathname === '/settings' ? 'Home' : 'Settings';
        await page.getByRole('link', { name: next, exact: true }).click();
        return signInHeading.waitFor({ timeout: 1_500 }).then(
          () => true,
          () => false,
        );
      },
      { timeout: 15_000, interval: 0 },
    )
    .toBe(true);
  await expect.poll(() => page.locator('.notice').textContent()).toContain(why);
}
