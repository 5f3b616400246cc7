import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A fresh local mailbox folder (MAILBOX_DIR) for one test file. */
export function newMailbox(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'agora-mailbox-'));
}

/** The mailbox's messages, oldest first (files are named by outbox id, so order by write time). */
export async function mails(dir: string): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.eml'));
  const dated = await Promise.all(files.map(async (f) => ({ f, t: (await stat(path.join(dir, f))).mtimeMs })));
  dated.sort((a, b) => a.t - b.t);
  return Promise.all(dated.map(({ f }) => readFile(path.join(dir, f), 'utf8')));
}

/** The messages to `to`, oldest first, quoted-printable decoded (nodemailer's encoding of long lines). */
export async function mailsTo(dir: string, to: string): Promise<string[]> {
  return (await mails(dir))
    .filter((m) => m.toLowerCase().includes(`to: ${to.toLowerCase()}`))
    .map((m) => m.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))));
}

/** The token of the newest mail to `to` with a link of `prefix` (`pr` reset, `ev` verification) mailed to `to`. */
export async function tokenMailedTo(dir: string, to: string, prefix: 'pr' | 'ev'): Promise<string> {
  const link = new RegExp(`#token=(${prefix}_[A-Za-z0-9_-]{43})`);
  const token = (await mailsTo(dir, to))
    .map((m) => link.exec(m)?.[1])
    .filter((t): t is string => t !== undefined)
    .pop();
  if (!token) throw new Error(`no ${prefix} link mailed to ${to}`);
  return token;
}
