/**
 * The Notifications screen in Chromium drops an entry whose content is gone, without a reload: the
 * stream's `remove` event (services/notifications/README.md "Removed content") makes the web app
 * refetch its list (web/src/data/notifications.ts). Skipped loudly, or failed under CI=true, like
 * every browser journey (journey-kit.ts).
 */
import { describe, expect, it } from 'vitest';
import { newSession, type Session } from '../helpers/stack.js';
import { canRun, journeys, signIn } from './journey-kit.js';

const j = journeys();

const api = async (path: string, s: Session, method: string, body?: unknown) => {
  const res = await fetch(`${j.stack.url}${path}`, {
    method,
    headers: { ...s.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

describe.skipIf(!canRun)('removed content in Chromium', () => {
  it('an unliked like leaves the open Notifications screen and the badge, with no reload', async () => {
    const [author, fan] = await Promise.all([newSession(j.stack.url, 'ana'), newSession(j.stack.url, 'fan')]);
    const post = await api('/api/v1/posts', author, 'POST', { text: 'Like it while it lasts' });
    expect(post.status).toBe(201);

    const page = await (await j.context()).newPage();
    await signIn(page, author.username, author.password);
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    await page.getByRole('link', { name: /Notifications/ }).click();
    expect((await api(`/api/v1/posts/${post.body.id}/like`, fan, 'POST')).status).toBe(200);
    const entry = page.getByRole('link', { name: /liked your post/ });
    await entry.waitFor({ timeout: 5_000 });
    await page.getByTestId('unread-badge').waitFor();

    expect((await api(`/api/v1/posts/${post.body.id}/like`, fan, 'DELETE')).status).toBe(200);
    await entry.waitFor({ state: 'detached', timeout: 5_000 });
    await page.getByTestId('unread-badge').waitFor({ state: 'detached', timeout: 5_000 });
  }, 120_000);
});
