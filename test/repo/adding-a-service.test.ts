/**
 * docs/adding-a-service.md stays true: every file its "Edit these files" list names exists and
 * names every current service (it is where a new one must be added), and the count it states is
 * the length of the list.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '../../mesh/src/topology.js';
import { ROOT } from '../helpers/processes.js';

const doc = readFileSync(path.join(ROOT, 'docs/adding-a-service.md'), 'utf8');
const section = doc.slice(doc.indexOf('## Edit these files'));
const items = section.split('\n').filter((l) => /^\d+\. /.test(l));
const files = items.flatMap((l) => [...l.replace(/ — .*/, '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!));

describe('docs/adding-a-service.md', () => {
  it('lists files that exist and that name every current service', () => {
    expect(files.length).toBeGreaterThanOrEqual(items.length);
    for (const file of files) {
      expect(existsSync(path.join(ROOT, file)), file).toBe(true);
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      const missing = SERVICE_NAMES.filter((s) => !new RegExp(`\\b${s}\\b`).test(text));
      // The event catalogue names only the services that take part in events.
      if (file !== 'mesh/src/events/catalogue.ts') expect(missing, `${file} does not name ${missing.join(', ')}`).toEqual([]);
    }
  });

  it('states the count of its list', () => {
    const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen'];
    expect(section).toContain(`That is ${words[items.length]} edits today`);
  });
});
