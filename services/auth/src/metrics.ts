import type { ServiceMetrics } from '@agora/mesh';
import type { LoginOutcome } from './domain/auth-service.js';
import { SECOND_FACTOR_OPERATIONS } from './domain/second-factor-attempts.js';

/** `agora_logins_total{result}` (observability/metrics.json). */
export const LOGIN_OUTCOMES = ['success', 'bad_credentials', 'mfa_required', 'suspended', 'rate_limited'] as const satisfies readonly LoginOutcome[];

/**
 * auth's own metrics, as observability/metrics.json lists them, declared on the service's registry
 * (which adds `service="auth"`). Called once, from the wiring.
 */
export function declareAuthMetrics(metrics: ServiceMetrics) {
  return {
    registrations: metrics.counter({ name: 'agora_registrations_total', help: 'Accounts registered.' }),
    logins: metrics.counter({
      name: 'agora_logins_total',
      help: 'Login attempts (POST /api/v1/auth/login and login/mfa) by result.',
      label: 'result',
      values: LOGIN_OUTCOMES,
    }),
    refreshReuse: metrics.counter({
      name: 'agora_refresh_reuse_detected_total',
      help: 'Refresh tokens presented after they had been rotated; each one revoked its whole token family (possible token theft).',
    }),
    // One count per account backs the second factor off and locks it out (second-factor-attempts.ts).
    secondFactorFailures: metrics.counter({
      name: 'auth_second_factor_failures_total',
      help: 'Wrong second-factor codes (TOTP or backup code), by the operation they were entered for; one count per account backs them off and locks them out.',
      label: 'operation',
      values: SECOND_FACTOR_OPERATIONS,
    }),
  };
}

export type AuthMetrics = ReturnType<typeof declareAuthMetrics>;
