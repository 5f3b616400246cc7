/**
 * Swagger UI of the whole public API at the ingress's `/docs`: served with the web app's strict
 * security headers (no exemption), it holds every operation of openapi/agora.json and none of the
 * internal ones, and it renders in a real browser (Chromium) without a single CSP violation. The
 * local ingress alone, no services: the page and the document come from the ingress itself.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityHeaders } from '../../mesh/src/http/web-app.js';
import { startIngress, type Ingress } from '../../tools/src/local/ingress.js';
import { ROOT } from '../helpers/processes.js';
import { ensureChromium, launch, newContext } from './browser.js';

const SPEC = path.join(ROOT, 'openapi', 'agora.json');
const VERBS = ['get', 'put', 'post', 'delete', 'patch'];

const inCi = process.env.CI === 'true';
const chromium = ensureChromium();
if (!chromium.ok) {
  if (inCi) throw new Error(`browser tests cannot run under CI=true: ${chromium.why}`);
  console.warn(`\n!!! SKIPPED: the Swagger UI browser check did not run — ${chromium.why}\n`);
}

let ingress: Ingress;
let browser: Browser | undefined;

beforeAll(async () => {
  ingress = await startIngress({ port: 0, upstreams: {}, apiDocs: { spec: SPEC } });
  if (chromium.ok) browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await ingress?.close(0);
});

function publicOperations(): string[] {
  const doc = JSON.parse(readFileSync(SPEC, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([p, item]) => VERBS.filter((v) => v in item).map((v) => `${v.toUpperCase()} ${p}`));
}

describe('Swagger UI at the ingress /docs', () => {
  it('serves the page, its assets and the merged document under the strict security headers', async () => {
    const csp = securityHeaders()['content-security-policy'];
    for (const p of [
      '/docs',
      '/docs/',
      '/docs/init.js',
      '/docs/swagger-ui.css',
      '/docs/swagger-ui-bundle.js',
      '/docs/favicon-32x32.png',
      '/docs/openapi.json',
    ]) {
      const res = await fetch(`${ingress.url}${p}`);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-security-policy'), p).toBe(csp);
      await res.arrayBuffer();
    }
    const page = await (await fetch(`${ingress.url}/docs`)).text();
    expect(page).not.toMatch(/<script>|<style|style=/); // nothing inline: the CSP would refuse it
    const served = await (await fetch(`${ingress.url}/docs/openapi.json`)).text();
    expect(served).toBe(readFileSync(SPEC, 'utf8'));
    expect(served).not.toContain('/internal/');
    expect(served).not.toContain('"mesh"');
    expect((await fetch(`${ingress.url}/docs/package.json`)).status).toBe(404);
    expect((await fetch(`${ingress.url}/docs`, { method: 'POST' })).status).toBe(405);
  });

  it.runIf(chromium.ok)(
    'renders every public operation in Chromium with no CSP violation or page error',
    async () => {
      const context = await newContext(browser!, ingress.url);
      try {
        const page = await context.newPage();
        const problems: string[] = [];
        await page.addInitScript(() => {
          document.addEventListener('securitypolicyviolation', (e) => {
            (window as unknown as { cspViolations?: string[] }).cspViolations ??= [];
            (window as unknown as { cspViolations: string[] }).cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
          });
        });
        page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
        page.on('response', (res) => {
          if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`);
        });
        page.on('console', (msg) => {
          if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
        });
        await page.goto('/docs');
        const expected = publicOperations();
        await page.waitForFunction((n) => document.querySelectorAll('.opblock').length >= n, expected.length, { timeout: 30_000 });
        const shown = await page.$$eval('.opblock', (blocks) =>
          blocks.map(
            (b) =>
              `${b.querySelector('.opblock-summary-method')?.textContent?.trim()} ${b.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`,
          ),
        );
        expect(shown.sort()).toEqual(expected.sort());
        const violations = await page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? []);
        expect(violations).toEqual([]);
        expect(problems).toEqual([]);
        console.log(`[api-docs] Swagger UI rendered ${shown.length} operations under the ingress CSP`);
      } finally {
        await context.close();
      }
    },
    90_000,
  );
});
