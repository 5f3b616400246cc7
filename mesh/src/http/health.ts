import type Router from '@koa/router';

/**
 * Liveness says the process can serve (the event loop answers); readiness says it should get
 * traffic: not draining, and every dependency check passes. A failed dependency makes the service
 * not-ready, never dead, so Kubernetes stops routing to it without restarting it, and it becomes
 * ready again by itself when the dependency returns.
 */
export type ReadinessCheck = () => Promise<boolean>;

export class Readiness {
  private draining = false;
  private markReady!: () => void;
  /** Settles at the first ready answer: work kept out of the start waits for it (service.ts afterReady). */
  readonly firstReady = new Promise<void>((resolve) => (this.markReady = resolve));
  constructor(private readonly checks: Record<string, ReadinessCheck>) {}

  startDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  async evaluate(): Promise<{ ready: boolean; checks: Record<string, 'ok' | 'failing'> }> {
    const names = Object.keys(this.checks);
    const results = await Promise.all(names.map((n) => this.checks[n]!().catch(() => false)));
    const checks = Object.fromEntries(names.map((n, i) => [n, results[i] ? 'ok' : 'failing'] as const));
    if (this.draining) return { ready: false, checks: { ...checks, shutdown: 'failing' } };
    const ready = results.every(Boolean);
    if (ready) this.markReady();
    return { ready, checks };
  }
}

/** `GET /healthz/live` and `/healthz/ready`, registered on the app's router. */
export function healthRoutes(router: Router, readiness: Readiness): void {
  router.get('/healthz/live', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/healthz/ready', async (ctx) => {
    const { ready, checks } = await readiness.evaluate();
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ok' : 'unavailable', checks };
  });
}
