import { randomUUID } from 'node:crypto';
import { link, mkdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutboxWorker, Queryable, WorkerTask } from '@agora/mesh';
import type { SecretBox } from './secret-box.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Writes a mail into the outbox on `tx`, the caller's transaction (`Database.transaction`): it exists
 * iff what caused it committed.
 */
export async function enqueueMail(tx: Queryable, box: SecretBox, mail: OutgoingMail): Promise<string> {
  const id = randomUUID();
  await tx.execute('INSERT INTO mail_outbox (id, recipient, subject, body_ciphertext) VALUES ($1, $2, $3, $4)', [
    id,
    mail.to,
    mail.subject,
    box.seal(mail.text, `mail:${id}`),
  ]);
  // The job carries only the id: the body stays sealed in mail_outbox, never in the queue's payload.
  await tx.query('SELECT 1 FROM graphile_worker.add_job($1, $2::json, max_attempts => $3)', [
    SEND_MAIL_TASK,
    JSON.stringify({ id }),
    MAIL_MAX_ATTEMPTS,
  ]);
  return id;
}

/** Delivers one message; `id` is the outbox id, used as the Message-ID so a resend is recognisable. */
export interface MailTransport {
  send(id: string, from: string, mail: OutgoingMail): Promise<void>;
}

/**
 * nodemailer, loaded on the first message rather than at start: it is a large module that a service
 * start does not need. The transports below make theirs at their first send, not when they are
 * built in the wiring: in the bundle (one file, a lazily initialised CommonJS module) `import()`
 * evaluates the module at once, so only a call deferred to the first send keeps it out of the start.
 */
let nodemailerModule: Promise<typeof import('nodemailer')> | undefined;
const loadNodemailer = () => (nodemailerModule ??= import('nodemailer'));

/** SMTP through nodemailer (the cluster). */
export function smtpTransport(url: string): MailTransport {
  let transporter: Promise<import('nodemailer').Transporter> | undefined;
  return {
    async send(id, from, mail) {
      transporter ??= loadNodemailer().then(({ default: nodemailer }) => nodemailer.createTransport(url));
      await (await transporter).sendMail({ messageId: `<${id}@agora>`, from, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}

/**
 * The local run's mailbox: one RFC 822 file per message in a folder a developer can read. Delivery is
 * idempotent by outbox id (hard link, which fails if the file exists), so a retried send after a
 * crash never produces a second copy.
 */
export function mailboxTransport(dir: string): MailTransport {
  let builder: Promise<import('nodemailer').Transporter> | undefined;
  return {
    async send(id, from, mail) {
      builder ??= loadNodemailer().then(({ default: nodemailer }) =>
        nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }),
      );
      // Owner-only: these files hold sign-in codes (an existing folder keeps its mode; the files do not rely on it).
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const info = await (await builder).sendMail({ messageId: `<${id}@agora>`, from, to: mail.to, subject: mail.subject, text: mail.text });
      const target = path.join(dir, `${id}.eml`);
      const temp = path.join(dir, `.${id}.${process.pid}.tmp`);
      await writeFile(temp, info.message as Buffer, { mode: 0o600 });
      try {
        await link(temp, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      } finally {
        await unlink(temp).catch(() => undefined);
      }
    },
  };
}

interface OutboxRow {
  id: string;
  recipient: string;
  subject: string;
  body_ciphertext: string;
}

/** The graphile-worker task that sends one mail of the outbox (payload: its outbox id). */
export const SEND_MAIL_TASK = 'agora_send_mail';

/** Attempts before a mail is given up (graphile-worker's backoff: ≈ 16 hours in all). */
const MAIL_MAX_ATTEMPTS = 12;

/**
 * Sends one mail of the outbox. It runs on the service's worker (mesh OutboxWorker, graphile-worker),
 * which hands each job to one worker at a time, retries a failed send with exponential backoff and
 * hands a job whose worker died to another one. The row is marked sent after the transport accepted
 * it; a worker that dies between the two leaves the row unsent and the job locked until it is
 * released, and the resend is harmless: delivery is idempotent by outbox id (the mailbox) or
 * carries the same Message-ID (SMTP receivers drop a duplicate).
 */
export function sendMailTask(db: Queryable, box: SecretBox, transport: MailTransport, from: string, onSent?: () => void): WorkerTask {
  return async (payload: unknown) => {
    const id = (payload as { id?: unknown }).id;
    if (typeof id !== 'string') return; // not a job this code wrote: nothing to send
    const [row] = await db.query<OutboxRow>('SELECT id, recipient, subject, body_ciphertext FROM mail_outbox WHERE id = $1 AND sent_at IS NULL', [
      id,
    ]);
    if (!row) return; // already sent (a retried job) or gone
    const text = box.open(row.body_ciphertext, `mail:${row.id}`);
    await transport.send(row.id, from, { to: row.recipient, subject: row.subject, text });
    await db.execute('UPDATE mail_outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = $1', [row.id]);
    onSent?.();
  };
}

/** The mail side of auth's worker, for tools and tests that send what is queued without a running worker. */
export class MailQueue {
  private sent = 0;
  private worker?: OutboxWorker;

  /** The worker whose task counts its sends here (sendMailTask's onSent). */
  useWorker(worker: OutboxWorker): void {
    this.worker = worker;
  }

  /** Counts a sent mail (the task's onSent). */
  readonly onSent = (): void => {
    this.sent += 1;
  };

  /** Sends every mail that is due now; returns how many were sent. */
  async drain(): Promise<number> {
    const before = this.sent;
    if (!this.worker) throw new Error('MailQueue.drain before useWorker');
    await this.worker.drain([SEND_MAIL_TASK]);
    return this.sent - before;
  }
}
