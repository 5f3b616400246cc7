#!/usr/bin/env bash
# For a developer with Docker, kind, istioctl and skaffold (it cannot run on the project's own
# machines: no registry for kind's node image, Istio or the third-party images): the whole cluster
# path once, end to end, then gone —
#   1. a kind cluster (KEEP_CLUSTER=1 keeps it afterwards);
#   2. Istio from istio/install/istio-operator.yaml;
#   3. namespace agora (sidecar injection), random dev Secrets, a self-signed certificate for
#      agora.localhost in istio-system/agora-tls;
#   4. `skaffold run -p dev` (images built locally and loaded into kind; dev overlays: PostgreSQL,
#      MinIO, Mailpit, observability) and a wait for every Deployment;
#   5. the journey and the token attacks through the Istio ingress gateway
#      (test/cluster/through-gateway.test.ts with AGORA_BASE_URL=https://agora.localhost:<port>);
#   6. the cluster deleted.
# What the project's CI runs of this instead (images, migrate against a late database, the journey
# against the images): test/images/containers.test.ts. istio/README.md says what was run where.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cluster="${CLUSTER_NAME:-agora-smoke}"
port="${SMOKE_PORT:-18443}"
log() { printf '\n== %s\n' "$*" >&2; }

for tool in docker kind kubectl istioctl skaffold openssl node; do
  command -v "$tool" >/dev/null || { echo "cluster-smoke: $tool is required" >&2; exit 1; }
done
if ! getent hosts agora.localhost >/dev/null; then
  echo "cluster-smoke: agora.localhost does not resolve here; add '127.0.0.1 agora.localhost' to /etc/hosts" >&2
  exit 1
fi

work="$(mktemp -d)"
pf_pid=
cleanup() {
  [ -n "$pf_pid" ] && kill "$pf_pid" 2>/dev/null || true
  rm -rf "$work"
  if [ "${KEEP_CLUSTER:-0}" != 1 ]; then
    log "deleting kind cluster $cluster"
    kind delete cluster --name "$cluster" || true
  fi
}
trap cleanup EXIT

log "kind cluster $cluster"
kind create cluster --name "$cluster" --wait 180s
kubectl config use-context "kind-$cluster" >/dev/null

log "Istio (istio/install/istio-operator.yaml)"
istioctl install -y -f istio/install/istio-operator.yaml
kubectl -n istio-system rollout status deploy/istiod --timeout=300s
kubectl -n istio-system rollout status deploy/istio-ingressgateway --timeout=300s

log "namespace, Secrets, certificate"
kubectl create namespace agora --dry-run=client -o yaml | kubectl apply -f -
kubectl label namespace agora istio-injection=enabled --overwrite
kubectl create namespace observability --dry-run=client -o yaml | kubectl apply -f -
rand() { node -e "console.log(require('crypto').randomBytes(24).toString('base64url'))"; }
# BEGIN generated block "services": `npm run generate` (scripts/generate/service-lists.mjs) renders it from mesh/src/topology.ts; do not edit
services=(auth users posts media notifications)
# END generated block "services"
declare -A pw
pg_args=(--from-literal=POSTGRES_PASSWORD="$(rand)")
for s in "${services[@]}"; do
  pw[$s]="$(rand)"
  pg_args+=(--from-literal="AGORA_${s^^}_DB_PASSWORD=${pw[$s]}")
done
minio_user="agora-dev"; minio_password="$(rand)"
kubectl -n agora create secret generic postgres-dev "${pg_args[@]}"
for s in "${services[@]}"; do
  args=(--from-literal=DATABASE_URL="postgres://agora_$s:${pw[$s]}@postgres.agora.svc.cluster.local:5432/agora_$s")
  [ "$s" = auth ] && args+=(--from-literal=SIGNING_KEY_ENCRYPTION_KEY="$(node -e "console.log(require('crypto').randomBytes(32).toString('base64'))")" --from-literal=SMTP_URL=smtp://mailpit.agora.svc.cluster.local:1025)
  [ "$s" = media ] && args+=(--from-literal=S3_ACCESS_KEY_ID="$minio_user" --from-literal=S3_SECRET_ACCESS_KEY="$minio_password")
  kubectl -n agora create secret generic "$s-secrets" "${args[@]}"
done
kubectl -n agora create secret generic minio-dev --from-literal=MINIO_ROOT_USER="$minio_user" --from-literal=MINIO_ROOT_PASSWORD="$minio_password"
kubectl -n observability create secret generic grafana-admin --from-literal=admin-user=admin --from-literal=admin-password="$(rand)"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=agora.localhost \
  -addext subjectAltName=DNS:agora.localhost -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
kubectl -n istio-system create secret tls agora-tls --cert="$work/tls.crt" --key="$work/tls.key"

log "skaffold run -p dev"
skaffold run -p dev --kube-context "kind-$cluster" --status-check=true
for ns in agora observability; do
  for d in $(kubectl -n "$ns" get deploy -o name); do kubectl -n "$ns" rollout status "$d" --timeout=300s; done
done

log "journey and token attacks through the ingress gateway"
kubectl -n istio-system port-forward svc/istio-ingressgateway "$port:443" >"$work/port-forward.log" 2>&1 &
pf_pid=$!
for _ in $(seq 1 50); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
AGORA_BASE_URL="https://agora.localhost:$port" NODE_EXTRA_CA_CERTS="$work/tls.crt" \
  npx vitest run test/cluster/through-gateway.test.ts
log "cluster smoke passed"
