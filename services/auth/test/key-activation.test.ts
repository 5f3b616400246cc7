import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ENVOY_JWKS_CACHE_SECONDS, KEY_ACTIVATION_DELAY_SECONDS, KEY_REFRESH_INTERVAL_SECONDS } from '../src/key-activation.js';

const ROOT = path.resolve(__dirname, '../../..');
const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');

describe('signing key activation delay', () => {
  it("is longer than Envoy keeps a JWKS plus the replicas' reload interval", () => {
    expect(KEY_ACTIVATION_DELAY_SECONDS).toBeGreaterThan(ENVOY_JWKS_CACHE_SECONDS + KEY_REFRESH_INTERVAL_SECONDS);
  });

  it('rests on what the Istio install says: Envoy fetches the JWKS itself, no inline keys anywhere', () => {
    const operator = YAML.parse(read('istio/install/istio-operator.yaml'));
    expect(operator.spec.values.pilot.env.PILOT_JWT_ENABLE_REMOTE_JWKS).toBe('envoy');
    const ras = YAML.parseAllDocuments(read('istio/base/requestauthentication.yaml')).map((d) => d.toJS());
    for (const ra of ras)
      for (const rule of ra.spec.jwtRules) {
        expect(rule.jwksUri).toMatch(/^http:\/\/auth\.agora\.svc\.cluster\.local\//);
        expect(rule.jwks, 'inline keys would never see a rotation').toBeUndefined();
      }
  });

  it('is what rotate-keys and the key store default to, and rotate-keys refuses a delay within the cache', () => {
    expect(read('services/auth/src/rotate-keys.ts')).toMatch(/: KEY_ACTIVATION_DELAY_SECONDS;/);
    expect(read('services/auth/src/domain/key-store.ts')).toMatch(/activationDelaySeconds = KEY_ACTIVATION_DELAY_SECONDS/);
    const r = spawnSync(process.execPath, [path.join(ROOT, 'services/auth/dist/rotate-keys.js'), '--activate-in', '60'], {
      encoding: 'utf8',
      env: {},
    });
    expect(r.status).toBe(64);
    expect(r.stderr).toContain(`greater than ${ENVOY_JWKS_CACHE_SECONDS}`);
  });

  it('is the figure the READMEs give', () => {
    const minutes = KEY_ACTIVATION_DELAY_SECONDS / 60;
    expect(read('README.md')).toContain(`signing after ${minutes} min`);
    expect(read('services/auth/README.md')).toContain(`--activate-in ${KEY_ACTIVATION_DELAY_SECONDS}`);
  });
});
