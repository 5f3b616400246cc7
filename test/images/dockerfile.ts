// A small reader of the one Dockerfile: its stages, the FROM chain of a target and the paths each
// stage copies from the build context, with ARG SERVICE substituted. Used by the offline checks
// (dockerfile.test.ts); what the classic builder really does is checked by containers.test.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DOCKERFILE = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');

export interface Stage {
  readonly name: string;
  readonly from: string;
  readonly lines: string[];
}

/** Instructions with continuation lines joined and comments dropped. */
export function instructions(text = DOCKERFILE): string[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

export function stages(text = DOCKERFILE): Stage[] {
  const out: { name: string; from: string; lines: string[] }[] = [];
  for (const line of instructions(text)) {
    const m = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (m) out.push({ from: m[1]!, name: m[2] ?? String(out.length), lines: [] });
    else out.at(-1)?.lines.push(line);
  }
  return out;
}

/** The stage and the stages it is built FROM, target first. */
export function chain(target: string, all = stages()): Stage[] {
  const out: Stage[] = [];
  for (let s = all.find((x) => x.name === target); s; s = all.find((x) => x.name === s!.from)) out.push(s);
  return out;
}

/** Context paths copied by a stage (COPY without --from), ${SERVICE} replaced. */
export function contextCopies(stage: Stage, service: string): string[] {
  return stage.lines
    .filter((l) => /^COPY\s/i.test(l) && !/--from=/.test(l))
    .flatMap((l) => {
      const args = l
        .split(/\s+/)
        .slice(1)
        .filter((a) => !a.startsWith('--'));
      return args.slice(0, -1);
    })
    .map((p) => p.replace(/\$\{SERVICE\}|\$SERVICE/g, service));
}

/** Every context path an image of `service` at `target` depends on, through its FROM and COPY --from stages. */
export function imageInputs(target: string, service: string, all = stages()): Set<string> {
  const seen = new Set<string>();
  const inputs = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const stage = all.find((s) => s.name === name);
    if (!stage) return;
    visit(stage.from);
    for (const p of contextCopies(stage, service)) inputs.add(p.replace(/\/$/, ''));
    for (const l of stage.lines) {
      const m = /--from=(\S+)/.exec(l);
      if (m) visit(m[1]!);
    }
  };
  visit(target);
  return inputs;
}
