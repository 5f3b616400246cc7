/**
 * docs/adding-a-service.md stays true, both ways:
 *  - every file its "Edit these files" list numbers exists and names every current service (it is
 *    where a new one must be added), and the count it states is the length of the list;
 *  - every other file that names every service (so would need the new one too) is numbered there,
 *    among the conditional files the doc names, or below with the reason it needs no edit. Skipped:
 *    the services' own folders, generated files (a "generated" banner, `generated/` folders,
 *    openapi/), prose (*.md) and binaries. In hand-written files, the generated blocks
 *    (scripts/lib/generated-block.mjs: `npm run generate` renders their lines from the topology) do
 *    not count: only what is left around them would need a hand edit.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { withoutGeneratedBlocks } from '../../scripts/lib/generated-block.mjs';
import { SERVICE_NAMES } from '../../mesh/src/topology.js';
import { ROOT } from '../helpers/processes.js';

const doc = readFileSync(path.join(ROOT, 'docs/adding-a-service.md'), 'utf8');
const section = doc.slice(doc.indexOf('## Edit these files'));
const items = section.split('\n').filter((l) => /^\d+\. /.test(l));
const files = items.flatMap((l) => [...l.replace(/ — .*/, '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!));

/** Edited only when the new service has events or metrics of its own (the doc says when). */
const CONDITIONAL = ['mesh/src/events/catalogue.ts', 'observability/metrics.json', 'mesh/test/observability/metrics.test.ts'];

/** Files that name every service but need no edit for a new one, and why. */
const NO_EDIT_NEEDED: Record<string, string> = {
  'observability/prometheus/rules/presence.yml': "its one service list, AgoraServiceAbsent's expression, is generated",
  'test/web/journeys.test.ts': "the words are the web app's screens and API paths, not a list of services",
  'bench/rows/memory.mjs': "the words are the API paths its load calls, not a list of services; it reads every service's RSS from the topology",
  'bench/ab-memory.mjs': 'its per-service loads are optional: a service without one is loaded with its readiness probe, and it says so',
  'test/security/revocation.test.ts': 'the words are the API paths and replicas a revocation is checked at, not a list of services',
};

/** A service's name as a token of its own (also inside AGORA_AUTH_DB_PASSWORD or sa/auth). */
const names = (text: string) => SERVICE_NAMES.filter((s) => new RegExp(`(?<![A-Za-z])${s}(?![A-Za-z])`, 'i').test(text));

describe('docs/adding-a-service.md', () => {
  it('lists files that exist and that name every current service', () => {
    expect(files.length).toBeGreaterThanOrEqual(items.length);
    for (const file of files) {
      expect(existsSync(path.join(ROOT, file)), file).toBe(true);
      const named = names(readFileSync(path.join(ROOT, file), 'utf8'));
      const missing = SERVICE_NAMES.filter((s) => !named.includes(s));
      expect(missing, `${file} does not name ${missing.join(', ')}`).toEqual([]);
    }
  });

  it('states the count of its list', () => {
    const words = [
      'zero',
      'one',
      'two',
      'three',
      'four',
      'five',
      'six',
      'seven',
      'eight',
      'nine',
      'ten',
      'eleven',
      'twelve',
      'thirteen',
      'fourteen',
      'fifteen',
    ];
    expect(section).toContain(`That is ${words[items.length]} edits today`);
  });

  it('names the conditional files it leaves out of the count', () => {
    for (const file of CONDITIONAL) expect(section, file).toContain(`\`${file}\``);
  });

  it('misses no file that lists every service by hand', () => {
    const ownFolders = new RegExp(`^services/(${SERVICE_NAMES.join('|')})/`);
    const candidates = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f && !ownFolders.test(f) && !/^openapi\/|(^|\/)(node_modules|dist|generated)\//.test(f))
      .filter((f) => !/\.(md|png|jpe?g|svg|ico|woff2)$/.test(f) && f !== 'package-lock.json');
    expect(candidates.length).toBeGreaterThan(100);
    const unlisted = candidates.filter((f) => {
      if (files.includes(f) || CONDITIONAL.includes(f) || f in NO_EDIT_NEEDED || !existsSync(path.join(ROOT, f))) return false;
      const text = readFileSync(path.join(ROOT, f), 'utf8');
      if (/generated/i.test(text.split('\n').slice(0, 3).join('\n'))) return false;
      return names(withoutGeneratedBlocks(text)).length === SERVICE_NAMES.length;
    });
    expect(unlisted, 'files naming every service that docs/adding-a-service.md does not account for').toEqual([]);
    for (const f of Object.keys(NO_EDIT_NEEDED)) expect(existsSync(path.join(ROOT, f)), `${f} (NO_EDIT_NEEDED) is gone`).toBe(true);
  });
});
