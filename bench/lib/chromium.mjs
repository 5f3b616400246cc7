// Chromium for the bench: Debian's `chromium` driven by playwright-core, launched exactly as the
// browser tests launch it (test/web/browser.ts — TypeScript run by vitest, so the bench keeps this
// plain-JS twin of its executable and flags; change both together).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT } from './procs.mjs';

export const CHROMIUM = '/usr/bin/chromium';
/** Without the background-networking flags the closed network refuses Chromium's own connections. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Chromium, installed first when missing and possible (root, apt); throws saying why it cannot be had. */
export async function launchChromium() {
  if (!existsSync(CHROMIUM)) {
    try {
      execFileSync('bash', [path.join(ROOT, 'scripts', 'install-chromium.sh')], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
    } catch (err) {
      throw new Error(`no Chromium: scripts/install-chromium.sh failed: ${err.message}`, { cause: err });
    }
  }
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium: ${CHROMIUM} is missing (Debian's chromium package; scripts/install-chromium.sh installs it as root)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}
