#!/usr/bin/env bash
# Makes a PostgreSQL image present for the container tests and prints its tag: the official
# postgres image the dev overlay pins (services/k8s/overlays/dev/postgres/statefulset.yaml) when it
# is already there or a registry answers, otherwise a stand-in built from Debian bookworm's
# PostgreSQL 15 packages on the debootstrap base (scripts/images/postgres/), tagged
# agora-standin/postgres:15-bookworm — a different major version, so it is not given the pinned tag.
set -euo pipefail
root_dir="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=scripts/images/lib.sh
. "$root_dir/scripts/images/lib.sh"
pinned="$(sed -n 's/^ *image: \(postgres:.*\)$/\1/p' "$root_dir/services/k8s/overlays/dev/postgres/statefulset.yaml" | head -1)"
standin=agora-standin/postgres:15-bookworm
if image_present "$pinned"; then echo "$pinned"; exit 0; fi
if image_present "$standin"; then echo "$standin"; exit 0; fi
if try_pull "$pinned"; then echo "$pinned"; exit 0; fi
ensure_debian_rootfs
log "building the PostgreSQL stand-in $standin (Debian's postgresql-15)"
DOCKER_BUILDKIT=0 docker build --network host -q -t "$standin" "$root_dir/scripts/images/postgres" >/dev/null
echo "$standin"
