/**
 * scripts/generate/presence-rules.mjs follows the topology: a service added to it gets its absent()
 * line in AgoraServiceAbsent, and the hand-written rest of presence.yml comes back unchanged.
 * (test/generated-files.test.ts checks that the committed copy is current.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
// @ts-expect-error plain ESM script without types
import { renderPresence } from '../../scripts/generate/presence-rules.mjs';
import { SERVICE_NAMES } from '../../mesh/src/topology.js';
import { OBS_DIR } from './promql.js';

interface Rules {
  groups: Array<{ name: string; rules: Array<Record<string, unknown>> }>;
}

const committed = readFileSync(join(OBS_DIR, 'prometheus/rules/presence.yml'), 'utf8');
const render = (text: string, services: readonly string[]) => renderPresence(text, services) as string;

describe('presence-rules generator', () => {
  it("adds a new service's absent() and leaves every other rule as written", () => {
    const out = render(committed, [...SERVICE_NAMES, 'search']);
    const before = parseYaml(committed) as Rules;
    const after = parseYaml(out) as Rules;
    const absent = after.groups.flatMap((g) => g.rules).find((r) => r.alert === 'AgoraServiceAbsent')!;
    const services = [...String(absent.expr).matchAll(/absent\(process_cpu_seconds_total\{service="(\w+)"\}\)/g)].map((m) => m[1]);
    expect(services).toEqual([...SERVICE_NAMES, 'search']);
    const others = (r: Rules) => r.groups.flatMap((g) => g.rules).filter((rule) => rule.alert !== 'AgoraServiceAbsent');
    expect(others(after)).toEqual(others(before));
    expect(others(after).length).toBeGreaterThan(0);
  });

  it('keeps comments and layout: rendering the current list gives the committed file back', () => {
    expect(render(committed, SERVICE_NAMES)).toBe(committed);
  });

  it('refuses a file without exactly one AgoraServiceAbsent rule', () => {
    const without = committed.replace('alert: AgoraServiceAbsent', 'alert: SomethingElse');
    expect(() => render(without, SERVICE_NAMES)).toThrow(/exactly one AgoraServiceAbsent/);
  });
});
