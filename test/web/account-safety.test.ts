/**
 * Account and safety journeys in Chromium against the real stack (issue 14's web parts): password
 * reset from the local mailbox, sessions ended from settings, email change, account deletion with
 * re-authentication, block / mute / report, and the admin resolving reports. Each journey has its
 * own browser contexts; every new screen gets axe and screenshots (test/web/screenshots/).
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { tokenMailedTo } from '../../services/auth/test/mailbox.js';
import { newSession } from '../helpers/stack.js';
import { canRun, journeys, nextActionSignsOut, PASSWORD, person, signIn, signUp } from './journey-kit.js';

const j = journeys();
const NEW_PASSWORD = 'a-brand-new-password-5678';

/** The newest link token of `prefix` mailed to `email`, once the outbox has sent it. */
async function mailedToken(email: string, prefix: 'pr' | 'ev'): Promise<string> {
  let token: string | undefined;
  await expect
    .poll(async () => (token = await tokenMailedTo(j.stack.env.auth.MAILBOX_DIR!, email, prefix).catch(() => undefined)), { timeout: 15_000 })
    .toMatch(new RegExp(`^${prefix}_`));
  return token!;
}

describe.skipIf(!canRun)('account and safety screens in Chromium', () => {
  it('a password reset from the local mailbox sets a new password and signs the other session out', async () => {
    const r = person('rst');
    const open = await (await j.context()).newPage();
    await signUp(open, r);
    await open.goto('/');
    await open.getByRole('heading', { name: 'Home' }).waitFor();

    const page = await (await j.context()).newPage();
    await page.goto('/signin');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await j.checkScreen(page, 'reset-password-request');
    await page.getByLabel('Email address').fill(r.email);
    await page.getByRole('button', { name: 'Send me a reset link' }).click();
    await page.getByText('If this address belongs to an account, a reset link is on its way.').waitFor();

    const token = await mailedToken(r.email, 'pr');
    await page.goto(`/reset-password#token=${token}`);
    await page.getByLabel('New password (at least 12 characters)').waitFor();
    // The token left the address bar once read.
    expect(page.url()).not.toContain(token);
    await j.checkScreen(page, 'reset-password-new');
    await page.getByLabel('New password (at least 12 characters)').fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill('not-the-same-password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The two passwords differ.');
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('Your password is set').waitFor();

    // The link is single use: a second try says so.
    const again = await (await j.context()).newPage();
    await again.goto(`/reset-password#token=${token}`);
    await again.getByLabel('New password (at least 12 characters)').fill(`${NEW_PASSWORD}-2`);
    await again.getByLabel('New password again').fill(`${NEW_PASSWORD}-2`);
    await again.getByRole('button', { name: 'Set new password' }).click();
    await expect.poll(() => again.getByRole('alert').textContent()).toContain('invalid, expired or already used');

    // The tab that was open is signed out on its next action, and told why.
    await nextActionSignsOut(open, 'this session was ended');
    await j.checkScreen(open, 'signin-session-ended');
    // The old password is refused, the new one signs in.
    await signIn(page, r.username);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('incorrect');
    await signIn(page, r.username, NEW_PASSWORD);
    await page.getByRole('heading', { name: 'Home' }).waitFor();
  });

  it('settings → security: sessions listed, one ended and everywhere else signed out (those tabs told why), email changed and verified, password changed', async () => {
    const s = person('sec');
    const mine = await (await j.context()).newPage();
    await signUp(mine, s);
    const laptop = await (await j.context()).newPage();
    await signIn(laptop, s.username);
    await laptop.getByRole('heading', { name: 'Home' }).waitFor();

    await mine.getByRole('link', { name: 'Sessions, password, email address, blocked and muted people, account deletion' }).click();
    await mine.getByRole('heading', { name: 'Security' }).waitFor();
    const sessions = mine.getByRole('list', { name: 'Sessions' }).getByRole('listitem');
    await expect.poll(() => sessions.count()).toBe(2);
    expect(await mine.locator('.session[data-current="true"]').count()).toBe(1);
    await expect.poll(() => sessions.first().textContent()).toMatch(/Signed in .+ · last used /);
    await j.checkScreen(mine, 'security-settings');

    // End the laptop's session: that tab is signed out on its next action, with the reason.
    await mine.getByRole('button', { name: /^End session/ }).click();
    await expect.poll(() => sessions.count()).toBe(1);
    await nextActionSignsOut(laptop, 'this session was ended');

    // Sign out everywhere else: a phone signs in, and is signed out from here.
    const phone = await (await j.context()).newPage();
    await signIn(phone, s.username);
    await phone.getByRole('heading', { name: 'Home' }).waitFor();
    await mine.reload();
    await expect.poll(() => sessions.count()).toBe(2);
    await mine.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await mine.getByText('Signed out 1 other session.').waitFor();
    await expect.poll(() => sessions.count()).toBe(1);
    await nextActionSignsOut(phone, 'this session was ended');

    // Email change: the new address gets a link; /verify-email confirms it.
    const newEmail = `new-${s.email}`;
    await mine.getByLabel('New email address').fill(newEmail);
    await mine.getByLabel('Your password', { exact: true }).fill('wrong-password-000');
    await mine.getByRole('button', { name: 'Change email address' }).click();
    await expect.poll(() => mine.locator('section[aria-labelledby=email] [role=alert]').textContent()).toBeTruthy();
    await mine.getByLabel('Your password', { exact: true }).fill(PASSWORD);
    await mine.getByRole('button', { name: 'Change email address' }).click();
    await mine.locator('section[aria-labelledby=email] [role=status]').waitFor();
    const token = await mailedToken(newEmail, 'ev');
    await mine.goto(`/verify-email#token=${token}`);
    await mine.getByRole('button', { name: 'Confirm my address' }).waitFor();
    await j.checkScreen(mine, 'verify-email');
    await mine.getByRole('button', { name: 'Confirm my address' }).click();
    await mine.getByText(`is your account’s address`).waitFor();
    expect(await mine.locator('.notice strong').textContent()).toBe(newEmail);

    // Password change: the current password is required; no other session is left to end.
    await mine.goto('/settings/security');
    await mine.getByLabel('Current password').fill('wrong-password-000');
    await mine.getByLabel('New password (at least 12 characters)').fill(NEW_PASSWORD);
    await mine.getByLabel('New password again').fill(NEW_PASSWORD);
    await mine.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => mine.locator('section[aria-labelledby=password] [role=alert]').textContent()).toBeTruthy();
    await mine.getByLabel('Current password').fill(PASSWORD);
    await mine.getByRole('button', { name: 'Change password' }).click();
    await mine.getByText('Password changed. 0 other sessions were signed out.').waitFor();
  });

  it('deleting the account asks for the password again, then signs out and says why', async () => {
    const d = person('del');
    const page = await (await j.context()).newPage();
    await signUp(page, d);
    await page.goto('/settings/security');
    await page.getByLabel('Your password, to confirm it is you').fill('wrong-password-000');
    await page.getByLabel('I understand this cannot be undone').check();
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await expect.poll(() => page.locator('section[aria-labelledby=delete-account] [role=alert]').textContent()).toBeTruthy();
    // Nothing was deleted: the profile is still there.
    await page.goto(`/@${d.username}`);
    await page.locator('.profile-head').getByText(`@${d.username}`).waitFor();

    await page.goto('/settings/security');
    await page.getByLabel('Your password, to confirm it is you').fill(PASSWORD);
    await page.getByLabel('I understand this cannot be undone').check();
    await j.checkScreen(page, 'delete-account');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByRole('heading', { name: 'Sign in to Agora' }).waitFor({ timeout: 15_000 });
    await page.getByText('You were signed out: this account has been deleted.').waitFor();
    await j.checkScreen(page, 'signin-account-deleted');
    await signIn(page, d.username);
    await expect.poll(() => page.getByRole('alert').textContent()).toBeTruthy();
    expect(new URL(page.url()).pathname).toBe('/signin');
  });

  it('mute and block on a profile; reports of a post, a comment and a user reach the admin queue, where the admin resolves them', async () => {
    const a = person('blk');
    const b = person('spm');
    const pageA = await (await j.context()).newPage();
    const pageB = await (await j.context()).newPage();
    await signUp(pageA, a);
    await signUp(pageB, b);
    // B posts and comments on it; A follows B and sees the post.
    await pageB.goto('/');
    await pageB.getByLabel('What’s happening?').fill('Cheap pills, click here');
    await pageB.getByRole('button', { name: 'Post', exact: true }).click();
    const postInB = pageB.locator('article.post', { hasText: 'Cheap pills' });
    await postInB.waitFor();
    await postInB.getByRole('link', { name: /comments?/ }).click();
    await pageB.getByLabel('Add a comment').fill('More pills in the comments');
    await pageB.getByRole('button', { name: 'Comment', exact: true }).click();
    await pageB.locator('.comment', { hasText: 'More pills' }).waitFor();
    const postUrl = pageB.url();

    await pageA.goto(`/@${b.username}`);
    await pageA.getByRole('button', { name: 'Follow', exact: true }).click();
    await pageA.getByRole('button', { name: 'Unfollow' }).waitFor();
    await pageA.goto('/');
    const postInA = pageA.locator('article.post', { hasText: 'Cheap pills' });
    await postInA.waitFor();
    // Own posts have no Report button.
    await pageB.goto('/');
    await postInB.waitFor();
    expect(await postInB.getByRole('button', { name: /^Report/ }).count()).toBe(0);

    // Report the post: a dialog with a reason and free text.
    await postInA.getByRole('button', { name: /^Report/ }).click();
    const dialog = pageA.getByRole('dialog', { name: 'Report this post' });
    await dialog.waitFor();
    await dialog.getByLabel('Reason').selectOption('spam');
    await dialog.getByLabel('Anything the admins should know (optional)').fill('post: selling pills');
    await j.checkScreen(pageA, 'report-dialog');
    await dialog.getByRole('button', { name: 'Send report' }).click();
    await dialog.getByText('the report is with the admins').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Reporting the same post again while the first report is open: the API's words. By keyboard:
    // Enter opens the dialog with focus inside, Escape closes it and focus returns to the button.
    const reportButton = postInA.getByRole('button', { name: /^Report/ });
    await reportButton.focus();
    await pageA.keyboard.press('Enter');
    await dialog.waitFor();
    await expect.poll(() => pageA.evaluate(() => document.activeElement?.id)).toMatch(/^reason-/);
    await dialog.getByLabel('Reason').selectOption('spam');
    await dialog.getByRole('button', { name: 'Send report' }).press('Enter');
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('already have an open report');
    await pageA.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await pageA.evaluate(() => document.activeElement?.textContent)).toMatch(/^Report/);

    // Report the comment on the post page.
    await pageA.goto(new URL(postUrl).pathname);
    const comment = pageA.locator('.comment', { hasText: 'More pills' });
    await comment.getByRole('button', { name: /^Report/ }).click();
    const commentDialog = pageA.getByRole('dialog', { name: 'Report this comment' });
    await commentDialog.getByLabel('Reason').selectOption('spam');
    await commentDialog.getByLabel('Anything the admins should know (optional)').fill('comment: more pills');
    await commentDialog.getByRole('button', { name: 'Send report' }).click();
    await commentDialog.getByText('the report is with the admins').waitFor();
    await commentDialog.getByRole('button', { name: 'Close' }).click();

    // Mute, then block, from B's profile; report the user.
    await pageA.goto(`/@${b.username}`);
    await pageA.getByRole('button', { name: 'Mute', exact: true }).click();
    await pageA.getByRole('button', { name: 'Unmute' }).waitFor();
    expect(await pageA.getByRole('button', { name: 'Unmute' }).getAttribute('aria-pressed')).toBe('true');
    await pageA.getByRole('button', { name: 'Unmute' }).click();
    await pageA.getByRole('button', { name: 'Mute', exact: true }).waitFor();
    await pageA.getByRole('button', { name: 'Block', exact: true }).click();
    await pageA.getByRole('button', { name: 'Unblock' }).waitFor();
    await pageA.getByText(`You block @${b.username}`).waitFor();
    // A block ends the follow (B's follower count drops) and offers no Follow while it lasts.
    await expect.poll(() => pageA.getByTestId('follower-count').textContent()).toBe('0');
    expect(await pageA.getByRole('button', { name: /^(Follow|Unfollow)$/ }).count()).toBe(0);
    await pageA.getByRole('button', { name: `Report @${b.username}` }).click();
    const userDialog = pageA.getByRole('dialog', { name: 'Report this user' });
    await userDialog.getByLabel('Reason').selectOption('harassment');
    await userDialog.getByLabel('Anything the admins should know (optional)').fill('user: sends pills to everyone');
    await userDialog.getByRole('button', { name: 'Send report' }).click();
    await userDialog.getByText('the report is with the admins').waitFor();
    await userDialog.getByRole('button', { name: 'Close' }).click();
    await j.checkScreen(pageA, 'profile-blocked');

    // B cannot follow A now: the API's refusal is shown.
    await pageB.goto(`/@${a.username}`);
    await pageB.getByRole('button', { name: 'Follow', exact: true }).click();
    await expect.poll(() => pageB.getByRole('alert').first().textContent()).toBeTruthy();

    // The admin finds the three reports, removes the post, dismisses the comment's, suspends B.
    const admin = await newSession(j.stack.url, 'adm');
    const authDb = new pg.Client({ connectionString: j.stack.databases.auth! });
    await authDb.connect();
    await authDb.query(`UPDATE users SET roles = ARRAY['user','admin'] WHERE id = $1`, [admin.id]);
    await authDb.end();
    const adminPage = await (await j.context()).newPage();
    await signIn(adminPage, admin.username, admin.password);
    await adminPage.getByRole('link', { name: 'Admin' }).click();
    const queue = adminPage.getByRole('list', { name: 'Open reports' });
    const postReport = queue.getByRole('listitem').filter({ hasText: 'post: selling pills' });
    const commentReport = queue.getByRole('listitem').filter({ hasText: 'comment: more pills' });
    const userReport = queue.getByRole('listitem').filter({ hasText: 'user: sends pills to everyone' });
    await postReport.waitFor();
    await commentReport.waitFor();
    await userReport.getByRole('link', { name: `@${b.username}` }).waitFor();
    await j.checkScreen(adminPage, 'admin-reports');
    // Finding a user by name to suspend, and reinstating them from the same result.
    const other = await newSession(j.stack.url, 'fnd');
    await adminPage.getByLabel(/^Name or @username/).fill(other.username);
    await adminPage.getByRole('button', { name: 'Find', exact: true }).click();
    const found = adminPage
      .getByRole('list', { name: 'Users found' })
      .getByRole('listitem')
      .filter({ hasText: `@${other.username}` });
    await found.getByRole('button', { name: /^Suspend/ }).click();
    await found.getByText('Suspended').waitFor();
    await found.getByRole('button', { name: /^Unsuspend/ }).click();
    await found.getByRole('button', { name: /^Suspend/ }).waitFor();
    // Only a report about a user offers suspension.
    expect(await postReport.getByRole('button', { name: /^Suspend/ }).count()).toBe(0);
    // The post's report is resolved by removing the post: posts deletes it through the event.
    const postHref = await postReport.getByRole('link', { name: 'a post' }).getAttribute('href');
    expect(postHref).toMatch(/^\/posts\/[0-9a-f-]{36}$/);
    expect((await fetch(`${j.stack.url}/api/v1${postHref}`)).status).toBe(200);
    await postReport.getByRole('button', { name: /^Remove the post/ }).click();
    await postReport.waitFor({ state: 'detached' });
    await adminPage.getByRole('status').filter({ hasText: 'the content is being removed' }).waitFor();
    await expect.poll(async () => (await fetch(`${j.stack.url}/api/v1${postHref}`)).status, { timeout: 10_000 }).toBe(404);
    await commentReport.getByRole('button', { name: /^Dismiss/ }).click();
    await commentReport.waitFor({ state: 'detached' });
    await userReport.getByRole('button', { name: /^Suspend the user/ }).click();
    await userReport.waitFor({ state: 'detached' });
    await adminPage.getByRole('button', { name: `Unsuspend @${b.username}` }).waitFor();
    // B's open tab: signed out on its next action, told the account is suspended. Acting after the
    // 5 s window, when every service holds both the account's and the sessions' revocations (the
    // account's wins): sooner, a service may know only of the ended session and say that instead.
    await pageB.waitForTimeout(5_500);
    await nextActionSignsOut(pageB, 'your account is suspended');

    // A's settings list whom A blocks, with the undo; unblocking there shows on the profile.
    await pageA.goto('/settings/security');
    const blocked = pageA.getByRole('list', { name: 'People you block' });
    await blocked.getByRole('link', { name: new RegExp(`@${b.username}`) }).waitFor();
    await j.checkScreen(pageA, 'security-blocked');
    await blocked.getByRole('button', { name: `Unblock @${b.username}` }).click();
    await blocked.waitFor({ state: 'detached' });
    await pageA.goto(`/@${b.username}`);
    await pageA.getByRole('button', { name: 'Block', exact: true }).waitFor();
  }, 150_000); // the longest journey (three people, six screens, a 5 s wait): beyond a minute on busy cores

  it('covered every new screen', () => {
    expect([...j.screens].sort()).toEqual(
      [
        'admin-reports',
        'delete-account',
        'profile-blocked',
        'report-dialog',
        'reset-password-new',
        'reset-password-request',
        'security-blocked',
        'security-settings',
        'signin-account-deleted',
        'signin-session-ended',
        'verify-email',
      ].sort(),
    );
  });
});
