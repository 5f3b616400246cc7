// Offline checks of the one Dockerfile (no engine needed): what each image copies from the
// repository, that the document paths a service reads exist in every target, and the settings the
// local run shares with the images. containers.test.ts builds and runs it for real.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICES } from '../../mesh/src/topology.js';
import { SERVICE_NODE_FLAGS, SERVICE_PROCESS_ENV } from '../../tools/src/local/service-env.js';
import { chain, contextCopies, DOCKERFILE, imageInputs, instructions, ROOT, stages } from './dockerfile.js';

const NAMES = SERVICES.map((s) => s.name);
const all = stages();

describe('Dockerfile', () => {
  it('builds with the classic builder and no registry: no `# syntax=` line, no BuildKit-only flags', () => {
    expect(DOCKERFILE).not.toMatch(/^#\s*syntax=/im);
    expect(DOCKERFILE).not.toMatch(/--mount=|--link|<<EOF/);
  });

  it('pins a supported Node LTS line (22 or later) by exact tag, defined once', () => {
    const pins = DOCKERFILE.match(/^ARG NODE_IMAGE=.*$/gm) ?? [];
    expect(pins).toHaveLength(1);
    const m = /^ARG NODE_IMAGE=node:(\d+)\.\d+\.\d+-bookworm-slim$/.exec(pins[0]!);
    expect(m, pins[0]).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(22);
    expect(Number(m![1]) % 2, 'an even (LTS) major').toBe(0);
  });

  it("the load generator's image pins the same base", () => {
    const loadgen = readFileSync(path.join(ROOT, 'bench/loadgen/Dockerfile'), 'utf8');
    expect(loadgen.match(/^ARG NODE_IMAGE=.*$/m)?.[0]).toBe(DOCKERFILE.match(/^ARG NODE_IMAGE=.*$/m)?.[0]);
    expect(loadgen).not.toMatch(/^#\s*syntax=/im);
    expect(loadgen).toMatch(/^USER 1000:1000$/m);
  });

  it('copies every workspace manifest the lockfile needs (the root package.json names them, the topology the services)', () => {
    const manifests = contextCopies(
      all.find((s) => s.name === 'manifests')!,
      'x',
    );
    expect(manifests.filter((p) => p.startsWith('services/')).sort()).toEqual(NAMES.map((n) => `services/${n}/package.json`).sort());
    const workspaces = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
    const expected = workspaces.flatMap((w) => (w === 'services/*' ? NAMES.map((n) => `services/${n}`) : [w])).map((w) => `${w}/package.json`);
    expect(manifests.filter((p) => p !== 'package.json' && p !== 'package-lock.json').sort()).toEqual(expected.sort());
  });

  it('never copies the whole context, and an image depends only on its own service plus mesh', () => {
    for (const line of instructions()) expect(line).not.toMatch(/^COPY\s+(--\S+\s+)*\.\s/i);
    for (const s of NAMES) {
      for (const target of ['runtime', 'dev']) {
        const inputs = [...imageInputs(target, s)];
        const others = NAMES.filter((o) => o !== s);
        for (const o of others) {
          const foreign = inputs.filter((p) => p.startsWith(`services/${o}`) && p !== `services/${o}/package.json`);
          expect(foreign, `${s} ${target} copies ${o}'s files`).toEqual([]);
          expect(inputs).not.toContain(`openapi/${o}.json`);
        }
        expect(inputs).toContain(`services/${s}`);
      }
    }
  });

  it("puts the service's contract where it reads it (openapi/<service>.json) in every target", () => {
    for (const target of ['runtime', 'dev']) {
      const stagesOf = chain(target);
      const copiedHere = stagesOf.some((st) =>
        st.lines.some((l) => /^COPY\s/.test(l) && /openapi\/\$\{SERVICE\}\.json\s+openapi\/\$\{SERVICE\}\.json$/.test(l)),
      );
      expect(copiedHere, `${target}: ${stagesOf.map((s) => s.name).join(' <- ')}`).toBe(true);
    }
  });

  it("runtime: last stage, non-root, only production dependencies, the local run's process settings, no CA bundle", () => {
    expect(all.at(-1)!.name).toBe('runtime');
    const runtime = all.find((s) => s.name === 'runtime')!;
    expect(runtime.lines).toContain('USER 1000:1000');
    expect(runtime.lines.filter((l) => l.startsWith('COPY --from=')).map((l) => /--from=(\S+)/.exec(l)![1])).toEqual(
      expect.arrayContaining(['prod-deps', 'build']),
    );
    expect(instructions().join('\n')).toMatch(/npm ci --omit=dev .*--workspace=mesh --workspace=services\/\$\{SERVICE\}/);
    const text = runtime.lines.join('\n');
    // Nothing is preloaded: tracing starts inside the service (mesh's startService).
    expect(text).not.toContain('--import');
    for (const [name, value] of Object.entries(SERVICE_PROCESS_ENV)) expect(text).toContain(`ENV ${name}=${value}`);
    for (const flag of SERVICE_NODE_FLAGS) expect(text).toContain(flag);
    // The CA bundle given to the builds' npm is fetched and deleted inside one RUN (with-npm-ca).
    for (const l of instructions()) if (/\bnpm (ci|install)\b/.test(l)) expect(l).toMatch(/^RUN with-npm-ca npm /);
    expect(text).not.toMatch(/NPM_CA_URL/);
  });

  it("runs with the local run's V8 flags, each where Node takes it: NODE_OPTIONS or the command line", () => {
    const runtime = all.find((s) => s.name === 'runtime')!;
    const nodeOptions = /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(runtime.lines.join('\n'))![1]!.split(' ');
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(runtime.lines.join('\n'))![1]!) as string[];
    expect(cmd[0]).toBe('node');
    const v8Flags = [...nodeOptions, ...cmd.slice(1, -1)];
    expect([...v8Flags].sort()).toEqual([...SERVICE_NODE_FLAGS].sort());
    // Node refuses to start on a flag it does not allow in NODE_OPTIONS (exit code 9).
    const started = spawnSync(process.execPath, ['-e', '0'], {
      env: { ...process.env, NODE_OPTIONS: nodeOptions.join(' ') },
    });
    expect(started.stderr.toString()).toBe('');
    expect(started.status).toBe(0);
    const withCmdFlags = spawnSync(process.execPath, [...cmd.slice(1, -1), '-e', '0']);
    expect(withCmdFlags.stderr.toString()).toBe('');
    expect(withCmdFlags.status).toBe(0);
  });

  it('every stage that uses $SERVICE declares it (a build argument does not pass from stage to stage)', () => {
    for (const st of all) {
      const uses = st.lines.some((l) => !l.startsWith('ARG ') && /\$\{?SERVICE\b/.test(l));
      if (uses) expect(st.lines, st.name).toContain('ARG SERVICE');
    }
  });

  it('dev: built FROM the build stage, non-root, runs the watcher for the chosen service', () => {
    const dev = all.find((s) => s.name === 'dev')!;
    expect(dev.from).toBe('build');
    expect(dev.lines).toContain('USER 1000:1000');
    expect(dev.lines.join('\n')).toMatch(/tsc -b -w .*services\/\$SERVICE .*node --watch .*services\/\$SERVICE\/dist\/main\.js/);
  });
});
