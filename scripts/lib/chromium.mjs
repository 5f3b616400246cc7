// Chromium from Debian's `chromium` package (scripts/install-chromium.sh), driven by playwright-core
// (no browser download): the one place that knows its path and launch flags, used by the browser
// tests (test/web/browser.ts) and the first-paint bench (bench/lib/chromium.mjs) so both launch the
// same browser the same way.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const CHROMIUM = '/usr/bin/chromium';
/** Seen working here: without the background-networking flags the closed network refuses many connections. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Installs Chromium when missing and possible (root, apt); answers why not otherwise. */
export function ensureChromium() {
  if (!existsSync(CHROMIUM)) {
    try {
      execFileSync('bash', [path.join(ROOT, 'scripts', 'install-chromium.sh')], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
    } catch (err) {
      return { ok: false, why: `scripts/install-chromium.sh failed: ${err.message}` };
    }
  }
  return existsSync(CHROMIUM)
    ? { ok: true }
    : { ok: false, why: `${CHROMIUM} is missing (Debian's chromium package; scripts/install-chromium.sh installs it as root)` };
}

/** Headless Chromium with a fresh temporary profile (its own --user-data-dir), removed on close. */
export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}
