import type { ChildProcess } from 'node:child_process';

/**
 * Stops a child process the way every process the local run owns is stopped: SIGTERM, then SIGKILL
 * if it has not exited within `timeoutMs` (`onForce` is told first). `exited` resolves on its exit.
 */
export async function terminateChild(child: ChildProcess, exited: Promise<unknown>, timeoutMs: number, onForce?: () => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), timeoutMs).unref())]);
  if (timedOut) {
    onForce?.();
    child.kill('SIGKILL');
    await exited;
  }
}
