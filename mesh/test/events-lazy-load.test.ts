import { describe, expect, it, vi } from 'vitest';

/**
 * graphile-worker is evaluated only when the worker starts, drains or migrates — never by importing
 * mesh, which every service's start does (mesh/src/events/index.ts re-exports the worker and the
 * schema). Read from the module graph: the mock below notes when graphile-worker is first loaded and
 * is otherwise the real package.
 */
const loaded = vi.hoisted(() => ({ graphileWorker: false }));
vi.mock('graphile-worker', async (importOriginal) => {
  loaded.graphileWorker = true;
  return importOriginal();
});

describe('graphile-worker is loaded lazily', () => {
  it('importing mesh (its events included) does not load it; the worker loads it on first use', async () => {
    const mesh = await import('../src/index.js');
    expect(typeof mesh.OutboxWorker, 'the worker is exported').toBe('function');
    expect(mesh.eventsMigrations.length).toBeGreaterThan(0);
    expect(loaded.graphileWorker, 'not loaded by importing mesh').toBe(false);
    const { loadGraphileWorker } = await import('../src/events/worker.js');
    expect(typeof (await loadGraphileWorker()).run).toBe('function');
    expect(loaded.graphileWorker).toBe(true);
  });
});
