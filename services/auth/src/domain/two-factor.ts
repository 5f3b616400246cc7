import { createHash, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import { problems, type Database } from '@agora/mesh';
import type { SecretBox } from './secret-box.js';
import type { SecondFactorAttempts, SecondFactorOperation } from './second-factor-attempts.js';

export const BACKUP_CODE_COUNT = 10;
const ISSUER_LABEL = 'Agora';

export interface TwoFactorSetup {
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}

interface CredentialRow {
  secret_ciphertext: string;
  enabled_at: Date | null;
  last_time_step: string | null;
}

/**
 * TOTP second factor (otplib, RFC 6238: SHA-1, 6 digits, 30 s) with ten one-time backup codes.
 * Secrets are sealed at rest and bound to their user; the last accepted time step is stored and
 * passed back as `afterTimeStep`, so a code can never be replayed within its window. Every code
 * check goes through `attempts`: one failure count per account across every operation.
 */
export class TwoFactor {
  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
    private readonly attempts: SecondFactorAttempts,
  ) {}

  async isEnabled(userId: string): Promise<boolean> {
    const row = await this.credential(userId);
    return Boolean(row?.enabled_at);
  }

  async status(userId: string): Promise<{ enabled: boolean; backupCodesRemaining: number }> {
    const row = await this.credential(userId);
    const [unused] = await this.db.query<{ count: string }>('SELECT count(*) FROM backup_codes WHERE user_id = $1 AND used_at IS NULL', [userId]);
    return { enabled: Boolean(row?.enabled_at), backupCodesRemaining: row?.enabled_at ? Number(unused?.count ?? 0) : 0 };
  }

  /** Starts (or restarts) a pending setup; refused while 2FA is on (disable it first). */
  async setup(userId: string, accountLabel: string): Promise<TwoFactorSetup> {
    if (await this.isEnabled(userId)) throw problems.conflict('Two-factor authentication is already on; disable it first.');
    const secret = generateSecret();
    await this.db.execute(
      `INSERT INTO totp_credentials (user_id, secret_ciphertext) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET secret_ciphertext = EXCLUDED.secret_ciphertext, enabled_at = NULL,
         last_time_step = NULL, updated_at = now()`,
      [userId, this.box.seal(secret, `totp:${userId}`)],
    );
    const otpauthUri = generateURI({ issuer: ISSUER_LABEL, label: accountLabel, secret });
    return { secret, otpauthUri, qrSvg: await (await import('qrcode')).default.toString(otpauthUri, { type: 'svg', margin: 1 }) };
  }

  /** Confirms the pending setup with a current code; turns 2FA on and returns fresh backup codes (shown once). */
  async verifySetup(userId: string, code: string, ip?: string): Promise<string[]> {
    const row = await this.credential(userId);
    if (!row) throw problems.conflict('Start with POST /api/v1/auth/2fa/setup.');
    if (row.enabled_at) throw problems.conflict('Two-factor authentication is already on.');
    if (!(await this.attempts.check(userId, 'verify_setup', () => this.acceptTotp(userId, row, code), ip))) throw invalidCode();
    const codes = Array.from({ length: BACKUP_CODE_COUNT }, newBackupCode);
    await this.db.transaction(async (tx) => {
      await tx.execute('UPDATE totp_credentials SET enabled_at = now(), updated_at = now() WHERE user_id = $1', [userId]);
      await tx.execute('DELETE FROM backup_codes WHERE user_id = $1', [userId]);
      await tx.execute('INSERT INTO backup_codes (user_id, code_hash) SELECT $1::uuid, unnest($2::text[])', [userId, codes.map(hashBackupCode)]);
    });
    return codes;
  }

  /** Turns 2FA off; needs a current TOTP or backup code (and the caller checks the password). */
  async disable(userId: string, code: string, ip?: string): Promise<void> {
    if (!(await this.isEnabled(userId))) throw problems.conflict('Two-factor authentication is not on.');
    if (!(await this.checkCode(userId, code, 'disable', ip))) throw invalidCode();
    await this.db.transaction(async (tx) => {
      await tx.execute('DELETE FROM totp_credentials WHERE user_id = $1', [userId]);
      await tx.execute('DELETE FROM backup_codes WHERE user_id = $1', [userId]);
    });
  }

  /**
   * `verifyCode` under the account's failure count; a backup code counts as `backup_code` whatever
   * the operation it was used for.
   */
  async checkCode(
    userId: string,
    code: string,
    operation: Exclude<SecondFactorOperation, 'backup_code' | 'verify_setup'>,
    ip?: string,
  ): Promise<boolean> {
    const kind: SecondFactorOperation = isTotpShape(code) ? operation : 'backup_code';
    return this.attempts.check(userId, kind, () => this.verifyCode(userId, code), ip);
  }

  /** A TOTP code (not replayed) or an unused backup code, which is then spent. */
  private async verifyCode(userId: string, code: string): Promise<boolean> {
    const row = await this.credential(userId);
    if (!row?.enabled_at) return false;
    if (isTotpShape(code)) return this.acceptTotp(userId, row, code);
    const [spent] = await this.db.query<{ id: string }>(
      `UPDATE backup_codes SET used_at = now()
        WHERE id = (SELECT id FROM backup_codes WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL LIMIT 1)
        RETURNING id`,
      [userId, hashBackupCode(code)],
    );
    return Boolean(spent);
  }

  private async acceptTotp(userId: string, row: CredentialRow, code: string): Promise<boolean> {
    if (!/^\d{6}$/.test(code)) return false;
    const secret = this.box.open(row.secret_ciphertext, `totp:${userId}`);
    const afterTimeStep = row.last_time_step === null ? undefined : Number(row.last_time_step);
    const result = await verify({ secret, token: code, epochTolerance: 30, afterTimeStep });
    if (!result.valid || !('timeStep' in result)) return false;
    // Compare-and-set: of two concurrent requests with the same code, only one moves the step forward.
    const [updated] = await this.db.query<{ user_id: string }>(
      `UPDATE totp_credentials SET last_time_step = $2, updated_at = now()
        WHERE user_id = $1 AND (last_time_step IS NULL OR last_time_step < $2) RETURNING user_id`,
      [userId, result.timeStep],
    );
    return Boolean(updated);
  }

  private async credential(userId: string): Promise<CredentialRow | undefined> {
    const [row] = await this.db.query<CredentialRow>(
      'SELECT secret_ciphertext, enabled_at, last_time_step FROM totp_credentials WHERE user_id = $1',
      [userId],
    );
    return row;
  }
}

function isTotpShape(code: string): boolean {
  return /^\d{6}$/.test(code);
}

function invalidCode() {
  return problems.validation('The code is not valid (wrong, expired or already used).', [{ field: 'code', message: 'invalid' }]);
}

/** 10 characters from an unambiguous alphabet, shown as xxxxx-xxxxx; ~50 bits. */
function newBackupCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(10);
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

function hashBackupCode(code: string): string {
  return createHash('sha256')
    .update(
      code
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9]/g, ''),
    )
    .digest('hex');
}
