import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_CATALOGUE, consumersFrom, producersFor } from '../../mesh/src/events/catalogue.js';
import { SERVICES, type ServiceName } from '../../mesh/src/topology.js';

const ROOT = path.resolve(__dirname, '../..');
const contract = (s: ServiceName) =>
  JSON.parse(readFileSync(path.join(ROOT, 'openapi', `${s}.json`), 'utf8')) as {
    paths: Record<string, Record<string, { security?: Array<Record<string, string[]>> }>>;
  };

/**
 * The catalogue (mesh/src/events/catalogue.ts) is the one statement of who sends what to whom; each
 * consumer's contract (hence its generated AuthorizationPolicy) and docs/events.md must agree with it.
 */
describe('the event catalogue', () => {
  for (const { name } of SERVICES) {
    it(`${name}: POST /internal/v1/${name}/events exists iff it consumes, and admits exactly its producers`, () => {
      const op = contract(name).paths[`/internal/v1/${name}/events`]?.post;
      const producers = producersFor(name);
      if (producers.length === 0) {
        expect(op, `${name} consumes nothing, so it has no events operation`).toBeUndefined();
        return;
      }
      expect(op, `${name} consumes events from ${producers.join(', ')}`).toBeDefined();
      expect(op!.security).toEqual([{ mesh: producers }]);
    });
  }

  it('names real services, no service sends to itself, and docs/events.md lists every event with its producer and consumers', () => {
    const docs = readFileSync(path.join(ROOT, 'docs/events.md'), 'utf8');
    const names = SERVICES.map((s) => s.name as string);
    for (const [type, def] of Object.entries(EVENT_CATALOGUE)) {
      expect(names).toContain(def.producer);
      for (const c of def.consumers) expect(names).toContain(c);
      expect(def.consumers as readonly string[]).not.toContain(def.producer);
      expect(docs).toContain(`| \`${type}\` | ${def.producer} | ${def.consumers.join(', ')} |`);
    }
    // Every service checks tokens, so every service but auth takes auth's revocation events.
    expect(consumersFrom('auth')).toEqual(
      SERVICES.map((s) => s.name)
        .filter((s) => s !== 'auth')
        .sort(),
    );
  });
});
