#!/usr/bin/env bash
# Makes a Docker engine answer on this machine: installs Debian's docker.io when dockerd is missing
# and starts dockerd as root when nothing answers on /var/run/docker.sock. The project's machines
# (and CI) have no init system running services and a cgroup v1 hierarchy, so dockerd is started by
# hand with overlay2; no registry is reachable, so containers run with `--network host` and images
# are built with the classic builder (scripts/images/build.sh). Prints the engine's version.
# Exit 1 (with the reason) when no engine can be had, e.g. not root and none running.
set -euo pipefail
log() { echo "images/engine: $*" >&2; }

if docker info >/dev/null 2>&1; then
  docker version --format 'docker engine {{.Server.Version}} (already running)'
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  log "no Docker engine answers and this is not root: start one (or run as root) to build images"
  exit 1
fi
if ! command -v dockerd >/dev/null 2>&1; then
  log "installing Debian's docker.io"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q docker.io >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    apt-get install -y -q docker.io >/dev/null
  fi
fi
state="${AGORA_DOCKERD_STATE:-/var/lib/agora-dockerd}"
mkdir -p "$state"
if [ ! -S /var/run/docker.sock ] || ! docker info >/dev/null 2>&1; then
  log "starting dockerd (log: $state/dockerd.log)"
  # A pid file left by a dockerd that was killed (e.g. at the end of an earlier CI run) stops a new
  # one from starting: remove it when its process is gone.
  if [ -f "$state/dockerd.pid" ] && ! kill -0 "$(cat "$state/dockerd.pid")" 2>/dev/null; then rm -f "$state/dockerd.pid"; fi
  # setsid: the daemon outlives this script and the test run that started it, so the images it
  # built (the stand-in base above all) are reused by the next run on the same machine.
  setsid dockerd --storage-driver=overlay2 --data-root="${AGORA_DOCKER_ROOT:-/var/lib/docker}" --pidfile="$state/dockerd.pid" \
    --iptables=false --ip-masq=false --bridge=none \
    >"$state/dockerd.log" 2>&1 < /dev/null &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
fi
if ! docker info >/dev/null 2>&1; then
  log "dockerd did not answer within 30 s; its log:"
  tail -20 "$state/dockerd.log" >&2 || true
  exit 1
fi
docker version --format 'docker engine {{.Server.Version}}'
