import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { releaseMemoryWhenIdle } from '../src/memory/release-when-idle.js';
import { loadTrimNativeHeap } from '../src/memory/native-heap.js';

/**
 * When a service gives freed memory back (mesh/src/memory/release-when-idle.ts): once after a burst,
 * never under steady load or with no traffic at all, and not at all when switched off or when the
 * platform has no malloc_trim. The clock is faked and the server is a stand-in that emits 'request',
 * so the decisions are checked exactly; what the release buys is measured by the bench (row 5).
 */
const IDLE_MS = 500;

function setup(available = true) {
  const server = new EventEmitter() as unknown as http.Server;
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
  const trims = { loads: 0, calls: 0 };
  const loadTrim = () => {
    trims.loads += 1;
    return available ? { trim: () => ((trims.calls += 1), true) } : { unavailable: 'no malloc_trim here' };
  };
  const stop = releaseMemoryWhenIdle(server, IDLE_MS, logger, loadTrim);
  const requests = (n: number, everyMs: number) => {
    for (let i = 0; i < n; i++) {
      server.emit('request');
      vi.advanceTimersByTime(everyMs);
    }
  };
  return { server, lines, trims, stop, requests };
}

describe('releasing memory when idle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('does nothing while no request has come', () => {
    const { trims, stop } = setup();
    vi.advanceTimersByTime(IDLE_MS * 20);
    expect(trims).toEqual({ loads: 0, calls: 0 });
    stop();
  });

  it('does nothing under steady load, then releases once after the burst', () => {
    const { trims, requests, lines, stop } = setup();
    requests(100, IDLE_MS / 5); // ten intervals, each with requests in it
    expect(trims.calls).toBe(0);
    vi.advanceTimersByTime(IDLE_MS * 2);
    expect(trims.calls).toBe(1);
    vi.advanceTimersByTime(IDLE_MS * 20);
    expect(trims.calls, 'one release per burst, not one per idle interval').toBe(1);
    expect(lines.filter((l) => /idle memory release on/.test(l.msg))).toHaveLength(1);
    requests(3, IDLE_MS / 5);
    vi.advanceTimersByTime(IDLE_MS * 3);
    expect(trims).toEqual({ loads: 1, calls: 2 });
    expect(
      lines.filter((l) => /idle memory release on/.test(l.msg)),
      'said once, not per release',
    ).toHaveLength(1);
    stop();
  });

  it('stops listening and releasing once stopped', () => {
    const { server, trims, requests, stop } = setup();
    stop();
    expect(server.listenerCount('request')).toBe(0);
    requests(3, 10);
    vi.advanceTimersByTime(IDLE_MS * 5);
    expect(trims.calls).toBe(0);
  });

  it('says once why it cannot release, and stops trying', () => {
    const { server, trims, requests, lines } = setup(false);
    requests(3, 10);
    vi.advanceTimersByTime(IDLE_MS * 3);
    requests(3, 10);
    vi.advanceTimersByTime(IDLE_MS * 3);
    expect(trims).toEqual({ loads: 1, calls: 0 });
    const warnings = lines.filter((l) => /unavailable/.test(l.msg));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, reason: 'no malloc_trim here' });
    expect(server.listenerCount('request')).toBe(0);
  });

  it('is off with an idle time of 0', () => {
    const server = new EventEmitter() as unknown as http.Server;
    let loads = 0;
    releaseMemoryWhenIdle(server, 0, pino({ level: 'silent' }), () => ((loads += 1), { unavailable: 'unused' }));
    expect(server.listenerCount('request')).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(loads).toBe(0);
  });
});

describe("glibc's malloc_trim through koffi", () => {
  it('loads and runs on this Linux machine', () => {
    const loaded = loadTrimNativeHeap();
    if (process.platform !== 'linux') {
      expect(loaded).toMatchObject({ unavailable: expect.stringContaining(process.platform) });
      return;
    }
    expect(loaded, JSON.stringify(loaded)).toHaveProperty('trim');
    if (!('trim' in loaded)) return;
    // A real call: 1 (true) when it gave pages back, 0 when there were none; either way no crash.
    expect(typeof loaded.trim()).toBe('boolean');
  });
});
