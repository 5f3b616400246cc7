import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';

/**
 * A span exporter that creates the real one (and loads its modules: the OTLP exporter, its
 * transformer and protobuf code) at its first export instead of at start-up. The batch processor's
 * first export comes after its schedule delay or a full batch, so a service answers its readiness
 * probe before the exporter is needed (docs/benchmarks.md, "Start-up and memory pass"). A failure to
 * create the exporter fails that export (the batch is dropped, as for an unreachable collector) and
 * the next export tries again.
 */
export class DeferredSpanExporter implements SpanExporter {
  private exporter?: Promise<SpanExporter>;

  constructor(private readonly create: () => Promise<SpanExporter>) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.real().then(
      (exporter) => exporter.export(spans, resultCallback),
      (error: Error) => resultCallback({ code: ExportResultCode.FAILED, error }),
    );
  }

  async shutdown(): Promise<void> {
    const exporter = await this.created();
    await exporter?.shutdown();
  }

  async forceFlush(): Promise<void> {
    const exporter = await this.created();
    await exporter?.forceFlush?.();
  }

  private real(): Promise<SpanExporter> {
    this.exporter ??= this.create().catch((err: unknown) => {
      this.exporter = undefined;
      throw err;
    });
    return this.exporter;
  }

  /** The exporter if one was created (none to flush or stop otherwise). */
  private async created(): Promise<SpanExporter | undefined> {
    return this.exporter?.catch(() => undefined);
  }
}
