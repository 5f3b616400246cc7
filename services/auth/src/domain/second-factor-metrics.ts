import { Counter, type Registry } from 'prom-client';
import { SECOND_FACTOR_OPERATIONS, type SecondFactorOperation } from './second-factor-attempts.js';

/**
 * `auth_second_factor_failures_total{operation}` (observability/metrics.json): wrong second-factor
 * codes per operation, on the service's mesh registry (which adds `service`). Every operation starts
 * at 0 so an alert's rate() sees the first failure.
 */
export function secondFactorFailures(registry: Registry): (operation: SecondFactorOperation) => void {
  const counter = new Counter({
    name: 'auth_second_factor_failures_total',
    help: 'Wrong second-factor codes (TOTP or backup code), by the operation they were entered for; one count per account backs them off and locks them out.',
    labelNames: ['operation'],
    registers: [registry],
  });
  for (const operation of SECOND_FACTOR_OPERATIONS) counter.inc({ operation }, 0);
  return (operation) => counter.inc({ operation });
}
