import path from 'node:path';
import { freePort } from '../../tools/src/local/ports.js';
import { startService } from '../../tools/src/local/services.js';
import { SERVICES, type ServiceName } from '../../mesh/src/topology.js';

export { freePort };
export const ROOT = path.resolve(__dirname, '../..');

export interface ServiceProcess {
  base: string;
  pid: number;
  /** Resolves with the exit code when the process exits, whatever the reason. */
  exited: Promise<number | null>;
  /** True until the process has exited. */
  alive(): boolean;
  /** Sends a signal without waiting (e.g. SIGTERM to watch the drain). */
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM (the service drains), SIGKILL after 10 s; resolves with the exit code. */
  stop(): Promise<number | null>;
  output(): string;
}

/**
 * Starts a built service the one way every runner does (tools/src/local/services.ts startService:
 * the bundled entry point, the images' V8 flags) on a free port unless `env`
 * names one, with its output kept for the test's error messages. `env` is complete: build it with
 * serviceEnv (tools/src/local/service-env.ts) or take it from a running stack.
 */
export async function startServiceProcess(name: ServiceName, env: Record<string, string>): Promise<ServiceProcess> {
  const port = env.PORT ?? String(await freePort());
  const topology = SERVICES.find((s) => s.name === name)!;
  const running = await startService(topology, { HOST: '127.0.0.1', ...env, PORT: port }, { output: 'capture' });
  let gone = false;
  const exited = running.exited.then(({ code }) => ((gone = true), code));
  return {
    alive: () => !gone,
    base: running.url,
    pid: running.pid,
    exited,
    kill: (signal) => process.kill(running.pid, signal),
    async stop() {
      await running.stop();
      return exited;
    },
    output: running.output,
  };
}
