import { randomUUID } from 'node:crypto';
import { link, mkdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Database, Queryable } from '@agora/mesh';
import type { Logger } from 'pino';
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
  return id;
}

/** Delivers one message; `id` is the outbox id, used as the Message-ID so a resend is recognisable. */
export interface MailTransport {
  send(id: string, from: string, mail: OutgoingMail): Promise<void>;
}

/**
 * nodemailer, loaded on the first message rather than at start: it is a large module that a service
 * start does not need (the bundle keeps it in its own chunk; docs/benchmarks.md, row 5).
 */
let nodemailerModule: Promise<typeof import('nodemailer')> | undefined;
const loadNodemailer = () => (nodemailerModule ??= import('nodemailer'));

/** SMTP through nodemailer (the cluster). */
export function smtpTransport(url: string): MailTransport {
  const transporter = loadNodemailer().then(({ default: nodemailer }) => nodemailer.createTransport(url));
  transporter.catch(() => undefined); // reported by the first send
  return {
    async send(id, from, mail) {
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
  const builder = loadNodemailer().then(({ default: nodemailer }) =>
    nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }),
  );
  builder.catch(() => undefined); // reported by the first send
  return {
    async send(id, from, mail) {
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
  attempts: number;
}

/**
 * Sends what the outbox holds. Each batch is claimed with `FOR UPDATE SKIP LOCKED` inside a
 * transaction that also marks the rows sent, so several workers (replicas) never take the same mail,
 * and a worker that dies mid-batch leaves its rows unsent for the next one: no mail is lost. The
 * window between a delivered message and the commit is covered by idempotent delivery (the mailbox)
 * or the stable Message-ID (SMTP receivers drop a duplicate).
 */
export class MailWorker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
    private readonly transport: MailTransport,
    private readonly from: string,
    private readonly logger: Logger,
    private readonly pollMs = 1_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.drain()
        .then(() => undefined)
        .catch((err: Error) => this.logger.warn({ err: { message: err.message } }, 'mail worker: batch failed'))
        .finally(() => {
          this.running = undefined;
        });
    }, this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Sends batches until nothing is due; returns how many were sent. */
  async drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const n = await this.batch();
      sent += n;
      if (n === 0) return sent;
    }
  }

  private async batch(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<OutboxRow>(
        `SELECT id, recipient, subject, body_ciphertext, attempts FROM mail_outbox
          WHERE sent_at IS NULL AND next_attempt_at <= now()
          ORDER BY created_at LIMIT 10 FOR UPDATE SKIP LOCKED`,
      );
      let delivered = 0;
      for (const row of rows) {
        try {
          const text = this.box.open(row.body_ciphertext, `mail:${row.id}`);
          await this.transport.send(row.id, this.from, { to: row.recipient, subject: row.subject, text });
          await tx.execute('UPDATE mail_outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = $1', [row.id]);
          delivered += 1;
        } catch (err) {
          const backoff = Math.min(3600, 2 ** Math.min(row.attempts, 11));
          await tx.execute(
            `UPDATE mail_outbox SET attempts = attempts + 1, last_error = $2,
               next_attempt_at = now() + make_interval(secs => $3) WHERE id = $1`,
            [row.id, (err as Error).message.slice(0, 200), backoff],
          );
          this.logger.warn({ outboxId: row.id, attempts: row.attempts + 1 }, 'mail worker: delivery failed, will retry');
        }
      }
      return delivered;
    });
  }
}
