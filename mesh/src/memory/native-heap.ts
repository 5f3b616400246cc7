import { createRequire } from 'node:module';

/**
 * glibc's malloc_trim(0), through koffi (a C FFI with prebuilt binaries): it gives the pages of every
 * free block in malloc's heap back to the kernel. glibc's free() returns memory only from the top of
 * the heap, so after a burst the holes between blocks still in use stay resident — 4 to 33 MiB of a
 * service's RSS, varying run to run (docs/benchmarks.md, row 5). Loaded at the first call, not at
 * start, because koffi costs a few milliseconds to load and a service that is never idle never needs it.
 *
 * Returns the trim (true if it gave memory back), or why this process has none (not glibc: musl,
 * macOS; koffi without a binary for this platform).
 */
export function loadTrimNativeHeap(): { trim: () => boolean } | { unavailable: string } {
  if (process.platform !== 'linux') return { unavailable: `malloc_trim is glibc's; this is ${process.platform}` };
  try {
    // Synchronous, so the idle timer's tick stays synchronous; koffi is outside the bundle (a native addon).
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    const libc = koffi.load('libc.so.6');
    const mallocTrim = libc.func('int malloc_trim(size_t pad)') as (pad: number) => number;
    return { trim: () => mallocTrim(0) === 1 };
  } catch (err) {
    return { unavailable: err instanceof Error ? err.message : String(err) };
  }
}
