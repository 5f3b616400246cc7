#!/usr/bin/env bash
# Builds the service images without a registry:
#   scripts/images/build.sh [--target runtime|dev] [--tag TAG] [service ...]   (default: every service, runtime, tag local)
#   scripts/images/build.sh loadgen                                            (the load generator, bench/loadgen/Dockerfile)
#   scripts/images/build.sh [--target runtime|dev] web                         (the web app, web/Dockerfile: the services' first stages from the cache)
# 1. makes a Docker engine answer (engine.sh) and the pinned base image present (base-image.sh: pulled,
#    or a stand-in built from debootstrap + the npm registry);
# 2. builds agora/<service>:<tag> from the one Dockerfile with the classic builder (DOCKER_BUILDKIT=0)
#    and --network host (the only network containers have here), one service after another: the
#    stages before `ARG SERVICE` are built once and reused from the cache by the others.
# The host's NODE_EXTRA_CA_CERTS (a TLS-inspecting egress) is handed to the builds' npm through
# a loopback address (scripts/images/with-npm-ca.sh); no layer of any image holds it.
# Prints one line per image: name, build seconds, size. Needs `npm run build` first (the service list
# comes from mesh/dist/topology.js).
set -euo pipefail
root_dir="$(cd "$(dirname "$0")/../.." && pwd)"
target=runtime
tag=local
services=()
while [ $# -gt 0 ]; do
  case "$1" in
    --target) target="$2"; shift 2 ;;
    --tag) tag="$2"; shift 2 ;;
    *) services+=("$1"); shift ;;
  esac
done
cd "$root_dir"
if [ ${#services[@]} -eq 0 ]; then
  [ -f mesh/dist/topology.js ] || { echo "images/build: run npm run build first (the service list is mesh/dist/topology.js)" >&2; exit 1; }
  mapfile -t services < <(node --input-type=module -e "const t = await import('./mesh/dist/topology.js'); for (const s of t.SERVICES) console.log(s.name)")
fi
scripts/images/engine.sh >&2
scripts/images/base-image.sh >&2

# The host's CA bundle, served on loopback for the builds' npm (with-npm-ca.sh fetches it inside
# the RUN that needs it). A fixed address: the build argument is part of the layer cache key.
ca_args=()
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r "$NODE_EXTRA_CA_CERTS" ]; then
  ca_port="${AGORA_CA_PORT:-47953}"
  node -e "
    const fs = require('fs');
    const server = require('http').createServer((req, res) => res.end(fs.readFileSync(process.argv[1])));
    server.on('error', (e) => { console.error('images/build: cannot serve the CA bundle on 127.0.0.1:' + process.argv[2] + ': ' + e.message + ' (set AGORA_CA_PORT)'); process.exit(1); });
    server.listen(Number(process.argv[2]), '127.0.0.1');
  " "$NODE_EXTRA_CA_CERTS" "$ca_port" &
  ca_server=$!
  trap 'kill "$ca_server" 2>/dev/null || true' EXIT
  for _ in $(seq 1 50); do
    node -e "fetch('http://127.0.0.1:$ca_port/').then(() => process.exit(0), () => process.exit(1))" && break
    kill -0 "$ca_server" 2>/dev/null || exit 1
    sleep 0.1
  done
  ca_args=(--build-arg "NPM_CA_URL=http://127.0.0.1:$ca_port/ca.crt")
fi

for s in "${services[@]}"; do
  started=$(date +%s)
  log_file="${TMPDIR:-/tmp}/agora-image-$s-$target.log"
  case "$s" in
    loadgen) file_args=(-f bench/loadgen/Dockerfile) ;;
    web) file_args=(-f web/Dockerfile) ;;
    *) file_args=(-f Dockerfile --build-arg "SERVICE=$s") ;;
  esac
  if ! DOCKER_BUILDKIT=0 docker build --network host "${file_args[@]}" --target "$target" \
      "${ca_args[@]}" -t "agora/$s:$tag" . >"$log_file" 2>&1; then
    echo "images/build: agora/$s:$tag ($target) failed; the last lines of $log_file:" >&2
    tail -30 "$log_file" >&2
    exit 1
  fi
  size=$(docker image inspect --format '{{.Size}}' "agora/$s:$tag")
  printf 'agora/%s:%s target=%s seconds=%d size_mib=%d\n' "$s" "$tag" "$target" $(( $(date +%s) - started )) $(( size / 1048576 ))
done
