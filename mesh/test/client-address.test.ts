import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress, EDGE_HEADER, signEdge, type ClientAddressOptions } from '../src/http/client-address.js';
import { startIngress, type Ingress } from '../../tools/src/local/ingress.js';

/** The client address a service believes: from the trusted edge only (mesh/src/http/client-address.ts). */
const KEY = 'k'.repeat(40);
const GATEWAY = 'spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account';

const servers: http.Server[] = [];
async function echoIp(options: Partial<ClientAddressOptions>): Promise<string> {
  const app = new Koa();
  app.use(clientAddress({ mode: 'local', localKey: KEY, ingressPrincipal: GATEWAY, trustedHops: 1, ...options }));
  app.use((ctx) => {
    ctx.body = { ip: ctx.ip };
  });
  const server = http.createServer(app.callback());
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

const ipOf = async (base: string, headers: Record<string, string>) => ((await (await fetch(`${base}/`, { headers })).json()) as { ip: string }).ip;

describe('local mode: the ingress signs the chain it built', () => {
  let base: string;
  beforeAll(async () => {
    base = await echoIp({ mode: 'local' });
  });

  it('ignores a client-sent X-Forwarded-For (no signature, or a forged or stale one)', async () => {
    expect(await ipOf(base, { 'x-forwarded-for': '203.0.113.7' })).toBe('127.0.0.1');
    expect(await ipOf(base, { 'x-forwarded-for': '203.0.113.7', [EDGE_HEADER]: `${Math.floor(Date.now() / 1000)}.forged` })).toBe('127.0.0.1');
    const signedOther = signEdge('198.51.100.1', KEY);
    expect(await ipOf(base, { 'x-forwarded-for': '203.0.113.7', [EDGE_HEADER]: signedOther })).toBe('127.0.0.1');
    const stale = signEdge('203.0.113.7', KEY, Date.now() - 5 * 60_000);
    expect(await ipOf(base, { 'x-forwarded-for': '203.0.113.7', [EDGE_HEADER]: stale })).toBe('127.0.0.1');
  });

  it('takes the last entry of a signed chain (the address the ingress saw), not the client-supplied ones', async () => {
    const chain = '10.9.9.9, 203.0.113.7';
    expect(await ipOf(base, { 'x-forwarded-for': chain, [EDGE_HEADER]: signEdge(chain, KEY) })).toBe('203.0.113.7');
  });

  it('through the real local ingress, a forged X-Forwarded-For leaves the TCP peer as the address', async () => {
    let ingress: Ingress | undefined;
    try {
      ingress = await startIngress({ port: 0, upstreams: { auth: base }, edgeKey: KEY });
      // Connect from another loopback address so the peer is distinguishable from the default.
      const ip = await new Promise<string>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: ingress!.port,
            path: '/api/v1/auth/login',
            localAddress: '127.0.0.9',
            headers: { 'x-forwarded-for': '203.0.113.7', [EDGE_HEADER]: 'forged' },
          },
          (res) => {
            let text = '';
            res.on('data', (d) => (text += d));
            res.on('end', () => resolve((JSON.parse(text) as { ip: string }).ip));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(ip).toBe('127.0.0.9');
    } finally {
      await ingress?.close(100);
    }
  });
});

describe('istio mode: only the ingress gateway, proven by the sidecar-set XFCC, may name the client', () => {
  let base: string;
  let twoHops: string;
  beforeAll(async () => {
    base = await echoIp({ mode: 'istio' });
    twoHops = await echoIp({ mode: 'istio', trustedHops: 2 });
  });
  const xfcc = (principal: string) => `By=spiffe://cluster.local/ns/agora/sa/auth;URI=${principal}`;

  it('trusts the last entry from the gateway, and nothing from another workload or without XFCC', async () => {
    expect(await ipOf(base, { 'x-forwarded-for': '10.0.0.1, 203.0.113.7', 'x-forwarded-client-cert': xfcc(GATEWAY) })).toBe('203.0.113.7');
    expect(await ipOf(base, { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-client-cert': xfcc('spiffe://cluster.local/ns/agora/sa/posts') })).toBe(
      '127.0.0.1',
    );
    expect(await ipOf(base, { 'x-forwarded-for': '203.0.113.7' })).toBe('127.0.0.1');
  });

  it('with 2 trusted hops (a load balancer before the gateway) takes the entry before the last', async () => {
    expect(await ipOf(twoHops, { 'x-forwarded-for': '10.0.0.1, 203.0.113.7, 10.1.1.1', 'x-forwarded-client-cert': xfcc(GATEWAY) })).toBe(
      '203.0.113.7',
    );
  });
});
