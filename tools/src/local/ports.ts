import net from 'node:net';

/** A port the local run needs, and what it is for (named in the error when it is busy). */
export interface PortNeed {
  readonly port: number;
  readonly purpose: string;
  readonly host?: string;
}

export class PortBusyError extends Error {
  constructor(readonly busy: readonly (PortNeed & { reason: string })[]) {
    super(
      busy.map((b) => `port ${b.port} (${b.purpose}) is ${b.reason}`).join('\n') +
        '\nStop whatever uses it (e.g. `lsof -i :PORT` or `ss -ltnp`) or choose another port ' +
        '(AGORA_INGRESS_PORT, AGORA_PG_PORT).',
    );
    this.name = 'PortBusyError';
  }
}

/** Resolves to undefined when `port` can be bound on `host`, else to the reason it cannot. */
export function probePort(port: number, host = '127.0.0.1'): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) =>
      resolve(
        err.code === 'EADDRINUSE'
          ? 'already in use'
          : err.code === 'EACCES'
            ? 'not allowed (privileged port?)'
            : `unusable (${err.code ?? err.message})`,
      ),
    );
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/**
 * Checks every port before anything starts, so that a busy port fails fast with one clear message
 * (naming each busy port and its purpose) and nothing is left running.
 */
export async function assertPortsFree(needs: readonly PortNeed[]): Promise<void> {
  const busy: (PortNeed & { reason: string })[] = [];
  for (const need of needs) {
    // A listener on the wildcard address also blocks 127.0.0.1, and vice versa for the services
    // (which bind 0.0.0.0 by default): probe the address they will use and the loopback.
    const hosts = need.host ? [need.host] : ['0.0.0.0', '127.0.0.1'];
    for (const host of hosts) {
      const reason = await probePort(need.port, host);
      if (reason) {
        busy.push({ ...need, reason });
        break;
      }
    }
  }
  if (busy.length) throw new PortBusyError(busy);
}

/** A port that is free on 127.0.0.1 right now (the OS picks it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `server` on `port` (0: the OS picks) and resolves with the port it got; a bind error rejects. */
export function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}
