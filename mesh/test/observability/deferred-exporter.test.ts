import { describe, expect, it } from 'vitest';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { InMemorySpanExporter, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import { DeferredSpanExporter } from '../../src/observability/deferred-exporter.js';

const span = (name: string) => ({ name }) as unknown as ReadableSpan;
const exportOnce = (exporter: SpanExporter, spans: ReadableSpan[]) => new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));

describe('DeferredSpanExporter', () => {
  it('creates the real exporter at the first export only, once, and hands it every batch', async () => {
    const real = new InMemorySpanExporter();
    let created = 0;
    const deferred = new DeferredSpanExporter(async () => {
      created += 1;
      return real;
    });
    expect(created).toBe(0);
    expect((await exportOnce(deferred, [span('a')])).code).toBe(ExportResultCode.SUCCESS);
    expect((await exportOnce(deferred, [span('b'), span('c')])).code).toBe(ExportResultCode.SUCCESS);
    expect(created).toBe(1);
    expect(real.getFinishedSpans().map((s) => s.name)).toEqual(['a', 'b', 'c']);
    await deferred.shutdown();
    // The real exporter was stopped: it refuses what comes after.
    expect((await exportOnce(real, [span('d')])).code).toBe(ExportResultCode.FAILED);
  });

  it('fails an export whose exporter cannot be created, and tries again at the next one', async () => {
    const real = new InMemorySpanExporter();
    let attempts = 0;
    const deferred = new DeferredSpanExporter(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('no exporter yet');
      return real;
    });
    const first = await exportOnce(deferred, [span('lost')]);
    expect(first.code).toBe(ExportResultCode.FAILED);
    expect(first.error?.message).toBe('no exporter yet');
    expect((await exportOnce(deferred, [span('kept')])).code).toBe(ExportResultCode.SUCCESS);
    expect(attempts).toBe(2);
    expect(real.getFinishedSpans().map((s) => s.name)).toEqual(['kept']);
  });

  it('does not create an exporter to flush or stop when nothing was exported', async () => {
    let created = 0;
    const deferred = new DeferredSpanExporter(async () => {
      created += 1;
      return new InMemorySpanExporter();
    });
    await deferred.forceFlush();
    await deferred.shutdown();
    expect(created).toBe(0);
  });
});
