/**
 * When a new signing key may start signing: the one place that says it (rotate-keys and the key
 * store default to it; services/auth/test/key-activation.test.ts checks it against the Istio
 * configuration and the docs).
 *
 * A token signed with a key that a verifier has not fetched yet is refused. The slowest verifier is
 * Envoy: with PILOT_JWT_ENABLE_REMOTE_JWKS=envoy (istio/install/istio-operator.yaml) every gateway
 * and sidecar fetches the JWKS itself and keeps it for its jwt_authn filter's default cache duration,
 * 5 minutes — Istio exposes no setting for it, and Envoy does not refetch on an unknown `kid`. Before
 * that, every auth replica must be serving the new key: they reload the key table every 30 s
 * (KEY_REFRESH_INTERVAL_SECONDS). The services' own check (jose) refetches on an unknown kid.
 */
export const ENVOY_JWKS_CACHE_SECONDS = 300;
export const KEY_REFRESH_INTERVAL_SECONDS = 30;
/** Margin for a fetch that starts just before the replicas reload, and for clock differences. */
const MARGIN_SECONDS = 30;
export const KEY_ACTIVATION_DELAY_SECONDS = ENVOY_JWKS_CACHE_SECONDS + KEY_REFRESH_INTERVAL_SECONDS + MARGIN_SECONDS;
