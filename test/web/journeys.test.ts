/**
 * The web app in a real browser (Chromium, playwright-core) against the real stack: the same
 * services, PostgreSQL and ingress as `npm start`, on free ports; the ingress serves web/dist.
 * Each journey has its own browser context. axe-core runs on every screen, and every screen is
 * photographed at 360 px and 1280 px into test/web/screenshots/ (git-ignored).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { generate } from 'otplib';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newSession } from '../helpers/stack.js';
import { canRun, journeys, nextActionSignsOut, PASSWORD, person, signIn, signUp as signUpAs } from './journey-kit.js';

// Real per-account lockout (5 failures) for the lockout journey; the other limits stay raised.
const j = journeys({ env: { auth: { RATE_LIMIT_LOGIN_PER_ACCOUNT: '5' } } });
const context = () => j.context();
const checkScreen = (page: Page, name: string) => j.checkScreen(page, name);
const signUp = (page: Page, who: { username: string; email: string }, shoot?: string) =>
  signUpAs(page, who, shoot ? () => checkScreen(page, shoot) : undefined);

async function setAvatar(page: Page, file: string): Promise<void> {
  await page.goto('/settings');
  await page.getByLabel('Upload a new avatar').setInputFiles(file);
  await page.locator('.avatar-row img.avatar').waitFor();
}

describe.skipIf(!canRun)('web app in Chromium', () => {
  it('two people sign up, set avatars, follow each other, post with an image, like, comment, and stay signed in on reload', async () => {
    const a = person('ana');
    const b = person('ben');
    const pageA = await (await context()).newPage();
    const pageB = await (await context()).newPage();

    await signUp(pageA, a, 'signup');
    await signUp(pageB, b);
    await checkScreen(pageA, 'settings');
    await setAvatar(pageA, path.join(j.files, 'red.png'));
    await setAvatar(pageB, path.join(j.files, 'blue.png'));
    await pageA.getByLabel('Display name').fill('Ana Example');
    await pageA.getByLabel('Bio').fill('Writes about harbours. https://example.com/harbour');
    await pageA.getByRole('button', { name: 'Save profile' }).click();
    await pageA.getByText('Saved.').waitFor();

    // They find each other by search: A by a prefix of B's username, B by A's display name.
    await pageA.goto('/search');
    await pageA.getByRole('heading', { name: 'People to follow' }).waitFor();
    await pageA.getByLabel('Name, @username or a word').fill(b.username.slice(0, 6));
    await pageA.getByRole('button', { name: 'Search', exact: true }).click();
    await pageA
      .getByRole('list', { name: 'People found' })
      .getByRole('link', { name: new RegExp(`@${b.username}`) })
      .click();
    await checkScreen(pageA, 'profile-of-other');
    await pageA.getByRole('button', { name: 'Follow', exact: true }).click();
    await pageA.getByRole('button', { name: 'Unfollow' }).waitFor();
    await pageB.goto('/search');
    await pageB.getByLabel('Name, @username or a word').fill('Ana Exam');
    await pageB.getByRole('button', { name: 'Search', exact: true }).click();
    await checkScreen(pageB, 'search');
    await pageB
      .getByRole('list', { name: 'People found' })
      .getByRole('link', { name: new RegExp(`@${a.username}`) })
      .click();
    await pageB.getByRole('button', { name: 'Follow', exact: true }).click();
    await pageB.getByRole('button', { name: 'Unfollow' }).waitFor();
    await expect.poll(() => pageB.getByTestId('follower-count').textContent()).toBe('1');

    // A posts with an image; a wrong file type is refused before upload, with the reason.
    await pageA.goto('/');
    await pageA.getByRole('heading', { name: 'Home' }).waitFor();
    await checkScreen(pageA, 'feed-empty-ish');
    const notImage = path.join(j.files, 'notes.txt');
    await (await import('node:fs/promises')).writeFile(notImage, 'plain text');
    await pageA.getByLabel('Add image').setInputFiles(notImage);
    await expect.poll(() => pageA.getByRole('alert').first().textContent()).toContain('is not a JPEG, PNG, WebP or GIF image');
    const huge = path.join(j.files, 'huge.png');
    await (await import('node:fs/promises')).writeFile(huge, Buffer.alloc(11 * 1024 * 1024, 1));
    await pageA.getByLabel('Add image').setInputFiles(huge);
    await expect.poll(() => pageA.getByRole('alert').first().textContent()).toContain('images can be at most 10 MB');
    await pageA.getByLabel('Add image').setInputFiles(path.join(j.files, 'green.png'));
    await pageA.getByRole('button', { name: 'Remove image 1' }).waitFor();
    await pageA.getByLabel('What’s happening?').fill('First light over the harbour. <b>not bold</b> https://example.com/x');
    await pageA.getByRole('button', { name: 'Post', exact: true }).click();
    const postA = pageA.locator('article.post', { hasText: 'First light over the harbour.' });
    await postA.waitFor();
    // User text is text: the tag shows as typed, the link is a safe anchor.
    await expect.poll(() => postA.locator('.post-text').textContent()).toContain('<b>not bold</b>');
    expect(await postA.locator('.post-text b').count()).toBe(0);
    expect(await postA.locator('a[href="https://example.com/x"]').getAttribute('rel')).toContain('noopener');
    await postA.locator('img.post-image').waitFor();
    // One's own posts stay in one's home feed after a reload.
    await pageA.reload();
    await postA.locator('img.post-image').waitFor();

    // B sees it in the feed (followed posts), likes it: the count updates in place.
    const feedRequests: string[] = [];
    pageB.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) feedRequests.push(new URL(r.url()).pathname);
    });
    await pageB.goto('/');
    const postInB = pageB.locator('article.post', { hasText: 'First light over the harbour.' });
    await postInB.locator('img.post-image').waitFor();
    // (Not 'networkidle': the notification stream stays open for as long as the page does.)
    await pageB.waitForTimeout(500);
    // Images load through <img> from their cacheable /content URLs, and the layout's notification
    // stream (a ticket, then the stream) is one per tab, not per page: counted apart.
    const image = (p: string) => /^\/api\/v1\/media\/[^/]+\/content$/.test(p);
    const layout = (p: string) => p.startsWith('/api/v1/notifications/');
    const apiCalls = feedRequests.filter((p) => !image(p) && !layout(p));
    console.log(
      `[web] API requests for one feed page in the browser: ${apiCalls.length} (${apiCalls.join(', ')}), plus ${feedRequests.filter(image).length} image(s) and the notification stream (${feedRequests.filter(layout).join(', ')})`,
    );
    expect(apiCalls.length, apiCalls.join(', ')).toBeLessThanOrEqual(3);
    await checkScreen(pageB, 'feed');
    // A's tab is open on the feed; its badge already counts B's follow.
    const unreadInA = async () => parseInt((await pageA.getByTestId('unread-badge').textContent({ timeout: 5_000 })) ?? '0', 10);
    await expect.poll(unreadInA, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    const unreadBefore = await unreadInA();
    await postInB.getByRole('button', { name: /Like/ }).click();
    await expect.poll(() => postInB.getByTestId('like-count').textContent()).toBe('1');
    expect(await postInB.getByRole('button', { name: /Like/ }).getAttribute('aria-pressed')).toBe('true');
    // A's open tab hears of the like on its notification stream, without a reload: the badge grows.
    await expect.poll(unreadInA, { timeout: 5_000 }).toBe(unreadBefore + 1);
    await pageA.getByRole('link', { name: /Notifications/ }).click();
    await pageA.getByRole('link', { name: /liked your post/ }).waitFor();
    await checkScreen(pageA, 'notifications');
    await pageA.getByRole('button', { name: 'Mark all read' }).click();
    await pageA.getByTestId('unread-badge').waitFor({ state: 'detached' });

    // B comments on the post page; A's feed shows the new count.
    await postInB.getByRole('link', { name: /comments?/ }).click();
    await pageB.getByRole('heading', { name: 'Comments' }).waitFor();
    await pageB.getByLabel('Add a comment').fill('Lovely light!');
    await pageB.getByRole('button', { name: 'Comment', exact: true }).click();
    await pageB.locator('.comment', { hasText: 'Lovely light!' }).waitFor();
    await expect.poll(() => pageB.locator('article.post').getByTestId('comment-count').textContent()).toBe('1');
    await pageB.locator('.likers', { hasText: `@${b.username}` }).waitFor();
    await checkScreen(pageB, 'post');
    // Delete one's own comment: the count follows.
    await pageB.getByLabel('Add a comment').fill('A second thought');
    await pageB.getByRole('button', { name: 'Comment', exact: true }).click();
    const second = pageB.locator('.comment', { hasText: 'A second thought' });
    await second.waitFor();
    await expect.poll(() => pageB.locator('article.post').getByTestId('comment-count').textContent()).toBe('2');
    await second.getByRole('button', { name: 'Delete my comment' }).click();
    await second.waitFor({ state: 'detached' });
    await expect.poll(() => pageB.locator('article.post').getByTestId('comment-count').textContent()).toBe('1');
    await pageB.goBack();
    await pageB.getByRole('heading', { name: 'Home' }).waitFor();

    // A sees the like and the comment on the post, on their profile too.
    await pageA.goto(`/@${a.username}`);
    await pageA.getByText('Writes about harbours.').waitFor();
    await expect.poll(() => pageA.locator('article.post', { hasText: 'First light' }).getByTestId('comment-count').textContent()).toBe('1');
    expect(await pageA.locator('article.post', { hasText: 'First light' }).getByTestId('like-count').textContent()).toBe('1');
    await checkScreen(pageA, 'profile');
    await pageA.getByRole('button', { name: 'Followers' }).click();
    await pageA.getByRole('link', { name: new RegExp(`@${b.username}`) }).waitFor();

    // A reload keeps the session (the HttpOnly cookie is exchanged for a new access token).
    await pageB.reload();
    await pageB.getByRole('heading', { name: 'Home' }).waitFor();
    expect(new URL(pageB.url()).pathname).toBe('/');
    // The refresh token is not readable by the page.
    expect(await pageB.evaluate(() => document.cookie)).not.toContain('agora_refresh');
    const cookies = await pageB.context().cookies();
    const refresh = cookies.find((c) => c.name === 'agora_refresh');
    expect(refresh?.httpOnly).toBe(true);
    expect(refresh?.sameSite).toBe('Strict');
    expect(refresh?.path).toBe('/api/v1/auth');

    // Posts are found by a word of their text.
    await pageB.goto('/search?q=harbour&in=posts');
    await pageB.locator('article.post', { hasText: 'First light over the harbour.' }).waitFor();
  });

  it('two-factor: enable with the QR secret, sign out, sign in with a TOTP code, delete the account with a backup code', async () => {
    const c = person('tfa');
    const page = await (await context()).newPage();
    await signUp(page, c);
    await page.getByLabel('Your password, to confirm it is you').fill(PASSWORD);
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    await checkScreen(page, 'two-factor-setup');
    await page.getByLabel('6-digit code from the app').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByTestId('backup-codes').locator('code');
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    const backupCode = (await codes.first().textContent())!.trim();
    await checkScreen(page, 'two-factor-backup-codes');
    // Shown once: a reload no longer shows them.
    await page.reload();
    await page.getByText(/On · 10 backup codes left/).waitFor();
    expect(await page.getByTestId('backup-codes').count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Agora' }).waitFor();
    await signIn(page, c.username);
    await page.getByLabel('Code from your authenticator app, or a backup code').waitFor();
    await checkScreen(page, 'signin-second-factor');
    // The code of the next 30 s step: the enabling code's step cannot be replayed.
    await page
      .getByLabel('Code from your authenticator app, or a backup code')
      .fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Home' }).waitFor();

    // Deleting the account re-authenticates with the second factor: a backup code instead of the password.
    await page.goto('/settings/security');
    await page.getByRole('button', { name: 'Use a two-factor code instead' }).click();
    await page.getByLabel('A code from your authenticator app, or a backup code').fill(backupCode);
    await page.getByLabel('I understand this cannot be undone').check();
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByRole('heading', { name: 'Sign in to Agora' }).waitFor({ timeout: 15_000 });
    await page.getByText('You were signed out: this account has been deleted.').waitFor();
  });

  it('passwordless: the code from the local mailbox signs in', async () => {
    const d = person('mail');
    const setup = await (await context()).newPage();
    await signUp(setup, d);
    const page = await (await context()).newPage();
    await page.goto('/signin');
    await checkScreen(page, 'signin');
    await page.getByRole('button', { name: 'Email me a sign-in code instead' }).click();
    await page.getByLabel('Email address').fill(d.email);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    await page.getByLabel('The 6-digit code from the email').waitFor();
    const mailbox = j.stack.env.auth.MAILBOX_DIR!;
    let code: string | undefined;
    await expect
      .poll(
        async () => {
          for (const f of existsSync(mailbox) ? await readdir(mailbox) : []) {
            const text = await readFile(path.join(mailbox, f), 'utf8');
            // Only the code's mail: sign-up also mails a verification link to the same address.
            if (text.includes(d.email) && text.includes('sign-in code'))
              code = /\b(\d{6})\b/.exec(
                text
                  .split(/\r?\n\r?\n/)
                  .slice(1)
                  .join('\n'),
              )?.[1];
          }
          return code;
        },
        { timeout: 15_000 },
      )
      .toMatch(/^\d{6}$/);
    await page.getByLabel('The 6-digit code from the email').fill(code!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Home' }).waitFor();
  });

  it('an admin suspends a user, whose open tab is signed out on its next action; non-admins never see admin', async () => {
    const admin = await newSession(j.stack.url, 'adm');
    const db = new pg.Client({ connectionString: j.stack.databases.auth! });
    await db.connect();
    await db.query(`UPDATE users SET roles = ARRAY['user','admin'] WHERE id = $1`, [admin.id]);
    await db.end();
    const victim = person('vic');
    const victimPage = await (await context()).newPage();
    await signUp(victimPage, victim);
    await victimPage.goto('/');
    await victimPage.getByRole('heading', { name: 'Home' }).waitFor();
    expect(await victimPage.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await victimPage.goto('/admin');
    await victimPage.getByRole('heading', { name: 'Page not found' }).waitFor();
    await victimPage.goto('/');
    await victimPage.getByRole('heading', { name: 'Home' }).waitFor();

    const adminPage = await (await context()).newPage();
    await signIn(adminPage, admin.username, admin.password);
    await adminPage.getByRole('link', { name: 'Admin' }).click();
    const suspend = adminPage.getByRole('button', { name: `Suspend @${victim.username}` });
    await suspend.waitFor();
    await checkScreen(adminPage, 'admin');
    await suspend.click();
    await adminPage.getByRole('button', { name: `Unsuspend @${victim.username}` }).waitFor();

    // The victim's next action (opening Settings) finds the account suspended and lands on sign-in.
    // After the 5 s window every service holds both the account's and the sessions' revocations
    // (the account's wins); sooner, one may know only of the ended session and say that instead.
    await victimPage.waitForTimeout(5_500);
    // It says why, from the 401's reason.
    await nextActionSignsOut(victimPage, 'You were signed out: your account is suspended.');
    // And cannot sign in again: with the right password, the sign-in says the account is suspended.
    await signIn(victimPage, victim.username);
    await expect.poll(() => victimPage.getByRole('alert').textContent()).toContain('suspended');
  });

  it('wrong password, lockout and an unreachable API show their messages', async () => {
    const e = person('err');
    const setup = await (await context()).newPage();
    await signUp(setup, e);
    const page = await (await context()).newPage();
    await signIn(page, e.username, 'not-the-password-1');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The username/email or password is incorrect');
    await checkScreen(page, 'signin-wrong-password');
    for (let i = 0; i < 6; i++) {
      await page.getByLabel('Password').fill(`wrong-password-${i}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForLoadState('networkidle');
    }
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/locked — try again in \d+ minutes?/);
    await checkScreen(page, 'signin-locked');

    // posts down: the feed says Agora can't be reached (and the rest of the page still works).
    await setup.goto('/');
    await setup.getByRole('heading', { name: 'Home' }).waitFor();
    await j.stack.services.posts!.stop();
    try {
      await setup.reload();
      await expect.poll(() => setup.getByRole('alert').first().textContent(), { timeout: 20_000 }).toContain('can’t be reached');
      await checkScreen(setup, 'feed-api-down');
    } finally {
      await j.stack.restart('posts');
    }
  });

  it('a forged cross-origin refresh from another site gets nothing, and the session survives it', async () => {
    const f = person('csrf');
    const page = await (await context()).newPage();
    await signUp(page, f);
    const evil = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>evil</title><form id="f" method="post"></form>');
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    try {
      const evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}/`;
      const evilPage = await page.context().newPage();
      await evilPage.goto(evilUrl);
      const target = `${j.stack.url}/api/v1/auth/refresh`;
      const outcomes = await evilPage.evaluate(async (url) => {
        const tries: Array<() => Promise<Response>> = [
          () =>
            fetch(url, {
              method: 'POST',
              credentials: 'include',
              headers: { 'Content-Type': 'application/json', 'X-Agora-Session': 'cookie' },
              body: '{}',
            }),
          () => fetch(url, { method: 'POST', credentials: 'include', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: '{}' }),
        ];
        const out: string[] = [];
        for (const t of tries) {
          try {
            const res = await t();
            out.push(`${res.type} ${res.status} ${await res.text()}`);
          } catch (err) {
            out.push(`error ${(err as Error).name}`);
          }
        }
        return out;
      }, target);
      for (const o of outcomes) expect(o).not.toContain('accessToken');
      expect(outcomes[0]).toBe('error TypeError'); // the preflight is refused (no CORS for that origin)
      // The forged request rotated nothing: the real tab still refreshes on reload.
      await page.reload();
      await page.getByRole('heading', { name: 'Settings' }).waitFor();
      // And the server itself refuses a cookie-mode refresh from that origin outright.
      const cookie = (await page.context().cookies()).find((c) => c.name === 'agora_refresh')!;
      const direct = await fetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-agora-session': 'cookie',
          origin: evilUrl.slice(0, -1),
          cookie: `agora_refresh=${cookie.value}`,
        },
        body: '{}',
      });
      expect(direct.status).toBe(403);
      expect(await direct.text()).not.toContain('accessToken');
    } finally {
      evil.close();
    }
  });

  it('is usable by keyboard alone: sign in, skip link, like', async () => {
    const k = person('key');
    const setup = await (await context()).newPage();
    await signUp(setup, k);
    await setup.goto('/');
    await setup.getByLabel('What’s happening?').fill('Typed, not clicked.');
    await setup.getByRole('button', { name: 'Post', exact: true }).click();
    await setup.locator('article.post', { hasText: 'Typed, not clicked.' }).waitFor();

    const page = await (await context()).newPage();
    await page.goto('/signin');
    await page.getByLabel('Username or email').waitFor();
    await page.keyboard.press('Tab'); // first focusable: the username field
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('login');
    await page.keyboard.type(k.username);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    await page.locator('article.post', { hasText: 'Typed, not clicked.' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    // Tab on until the like button has focus, then Enter likes.
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.classList.contains('like'))) break;
    }
    expect(await page.evaluate(() => document.activeElement?.classList.contains('like'))).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('article.post', { hasText: 'Typed, not clicked.' }).getByTestId('like-count').textContent()).toBe('1');
  });

  it('covered every screen', () => {
    expect([...j.screens].sort()).toEqual(
      [
        'admin',
        'feed',
        'feed-api-down',
        'feed-empty-ish',
        'post',
        'profile',
        'search',
        'profile-of-other',
        'notifications',
        'settings',
        'signin',
        'signin-locked',
        'signin-second-factor',
        'signin-wrong-password',
        'signup',
        'two-factor-backup-codes',
        'two-factor-setup',
      ].sort(),
    );
  });
});
