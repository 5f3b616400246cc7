// Child processes of the bench: every one is registered so that it is stopped on success, on
// failure and on Ctrl-C (see cleanup()). Nothing here kills by name.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, fstatSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const children = new Set();
const cleanups = [];

/** Registers an async cleanup step; steps run last-registered first. */
export function onCleanup(fn) {
  cleanups.push(fn);
}

let cleaning;
/** Runs every cleanup step once, then SIGKILLs any child still alive. */
export function cleanup() {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const fn = cleanups.pop();
      try {
        await withTimeout(fn(), 20_000);
      } catch (err) {
        console.error(`[bench] cleanup step failed: ${err?.message ?? err}`);
      }
    }
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  })();
  return cleaning;
}

// Last resort when the process exits without running cleanup() (e.g. an uncaught throw in a timer).
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export function withTimeout(promise, ms) {
  let timer;
  return Promise.race([
    Promise.resolve(promise).finally(() => clearTimeout(timer)),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms))),
  ]);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function freePort() {
  const server = net.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

let logDir;
let logSeq = 0;
/** Where child output goes (a temporary directory, removed at cleanup unless BENCH_KEEP_LOGS=1). */
export function logDirectory() {
  if (!logDir) {
    logDir = mkdtempSync(path.join(os.tmpdir(), 'agora-bench-logs-'));
    if (process.env.BENCH_KEEP_LOGS !== '1') onCleanup(() => rm(logDir, { recursive: true, force: true }));
  }
  return logDir;
}

function tail(file, bytes = 20_000) {
  try {
    const fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(bytes, size));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    closeSync(fd);
    return buf.toString('utf8');
  } catch {
    return '';
  }
}

/** A new log file for a child labelled `label`, in logDirectory(). */
export function logFileFor(label) {
  return path.join(logDirectory(), `${String(++logSeq).padStart(3, '0')}-${label.replace(/[^a-z0-9_-]/gi, '_')}.log`);
}

/**
 * Spawns `node [nodeArgs] script` and tracks it. Its stdout/stderr go to a log file (as a container's
 * would go to the runtime; no pipe back into the bench process, whose CPU drives the load), and the
 * tail of it is shown in error messages. `stop()` sends SIGTERM, and SIGKILL after `graceMs`.
 */
export function spawnNode(label, script, { args = [], nodeArgs = [], env = {}, cwd = ROOT } = {}) {
  const file = logFileFor(label);
  const fd = openSync(file, 'a');
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  children.add(child);
  const out = () => tail(file);
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  exited.then(() => children.delete(child));
  return {
    label,
    child,
    pid: child.pid,
    exited,
    output: out,
    logFile: file,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(t);
      return result;
    },
  };
}

/**
 * Polls `url` until it answers 200 (every `everyMs`), failing when the process exits or after
 * `timeoutMs`. Resolves with the time in ms from `since` (a performance.now() value) to the first 200.
 */
export async function waitFor200(proc, url, { since = performance.now(), timeoutMs = 30_000, everyMs = 5 } = {}) {
  for (;;) {
    if (!proc.alive()) throw new Error(`${proc.label} exited during start-up:\n${proc.output()}`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      async (r) => {
        await r.arrayBuffer();
        return r.status === 200;
      },
      () => false,
    );
    if (ok) return performance.now() - since;
    if (performance.now() - since > timeoutMs) throw new Error(`${proc.label} not ready after ${timeoutMs} ms:\n${proc.output()}`);
    await sleep(everyMs);
  }
}

/** Resident set size of a process in MiB (VmRSS), and its peak (VmHWM). */
export async function memoryOf(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  // RssAnon: the heap, malloc'd native memory, stacks; RssFile: the node binary's and libraries'
  // pages in memory (shared with other processes, but counted in every process's RSS).
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024, anonMiB: kib('RssAnon') / 1024, fileMiB: kib('RssFile') / 1024 };
}

const ARENA_BYTES = 64 * 2 ** 20; // glibc's HEAP_MAX_SIZE on 64-bit: each thread arena's heap is one such aligned reservation
const GUARD_BYTES = 4096; // a thread stack's guard page (PROT_NONE) sits just below it

/**
 * A process's resident pages by what they are, from /proc/<pid>/smaps (MiB): the node binary's file
 * pages, other files, glibc's main arena (brk), thread arenas (64 MiB-aligned anonymous heaps), thread
 * stacks (anonymous mappings just above a 4 KiB guard page), and the rest of the anonymous memory —
 * the V8 heap, its code and compiler zones, malloc blocks of ≥ MALLOC_MMAP_THRESHOLD_, which have
 * their own mappings, and the main arena's continuation when brk cannot grow (then glibc carries on in
 * anonymous mappings: a small mallocMain beside a large otherAnon). The classification is by shape,
 * so it is approximate; it says where to look.
 */
export async function smapsOf(pid) {
  const text = await readFile(`/proc/${pid}/smaps`, 'utf8');
  const maps = [];
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) maps.push({ start: BigInt(`0x${head[1]}`), end: BigInt(`0x${head[2]}`), perms: head[3], path: head[4], rssKiB: 0 });
    else if (line.startsWith('Rss:')) maps.at(-1).rssKiB = Number(/(\d+)/.exec(line)[1]);
  }
  const sum = {};
  const add = (k, kib) => (sum[k] = (sum[k] ?? 0) + kib / 1024);
  const threads = Number(/^Threads:\s+(\d+)/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1]);
  maps.forEach((m, i) => {
    if (m.rssKiB === 0) return;
    if (m.path === process.execPath || m.path.endsWith('/bin/node')) return add('nodeBinary', m.rssKiB);
    if (m.path.startsWith('/')) return add('otherFiles', m.rssKiB);
    if (m.path === '[heap]') return add('mallocMain', m.rssKiB);
    if (m.path.startsWith('[')) return add('other', m.rssKiB); // [stack], [vdso], [vvar]
    const prev = maps[i - 1];
    const next = maps[i + 1];
    if (m.start % BigInt(ARENA_BYTES) === 0n && next?.perms.startsWith('---') && next.start === m.end && next.end - m.start === BigInt(ARENA_BYTES)) {
      return add('mallocArenas', m.rssKiB);
    }
    if (prev?.perms.startsWith('---') && prev.end === m.start && prev.end - prev.start === BigInt(GUARD_BYTES)) return add('threadStacks', m.rssKiB);
    return add('otherAnon', m.rssKiB);
  });
  return { threads, ...Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, Math.round(v * 10) / 10])) };
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
/** CPU seconds (user + system, all threads) a process has used so far. */
export async function cpuSecondsOf(pid) {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at index 2 (state).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Runs a one-shot node script to completion; throws with its output when it fails. */
export async function runNode(label, script, opts = {}) {
  const p = spawnNode(label, script, opts);
  const { code, signal } = await p.exited;
  if (code !== 0) throw new Error(`${label} failed (code ${code}, signal ${signal}):\n${p.output()}`);
  return p.output();
}
