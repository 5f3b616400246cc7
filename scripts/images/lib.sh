# Shared by the scripts in scripts/images/ (sourced, not run).
# npm in the stand-in Node base image: the npm 10.9 line, the one Node 22 releases bundle.
NPM_VERSION=10.9.9
CACHE_DIR="${AGORA_IMAGE_CACHE:-/var/cache/agora-images}"
DEBIAN_ROOTFS_TAR="$CACHE_DIR/bookworm-minbase.tar"
DEBIAN_MIRROR="${AGORA_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
STANDIN_DEBIAN=agora-standin/debian:bookworm-minbase

log() { echo "images: $*" >&2; }

# The pinned Node base image, read from the Dockerfile's `ARG NODE_IMAGE=` (its single definition).
node_image_tag() {
  sed -n 's/^ARG NODE_IMAGE=//p' "$root_dir/Dockerfile" | head -1
}
# node:22.23.5-bookworm-slim -> 22.23.5
node_version_of() { echo "$1" | sed -E 's/^node:([0-9]+\.[0-9]+\.[0-9]+).*/\1/'; }

image_present() { docker image inspect "$1" >/dev/null 2>&1; }

# A registry is tried once, briefly: on the project's machines none answers.
try_pull() {
  if [ "${AGORA_NO_PULL:-}" = 1 ]; then return 1; fi
  timeout 30 docker pull -q "$1" >/dev/null 2>&1
}

# debootstrap --variant=minbase bookworm with ca-certificates, cached as a tarball and imported as
# $STANDIN_DEBIAN (the FROM of the PostgreSQL stand-in).
ensure_debian_rootfs() {
  if [ ! -s "$DEBIAN_ROOTFS_TAR" ]; then
    command -v debootstrap >/dev/null 2>&1 || {
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null 2>&1 ||
        { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null; }
    }
    mkdir -p "$CACHE_DIR"
    local tmp
    tmp="$(mktemp -d /var/tmp/agora-debootstrap.XXXXXX)"
    log "debootstrap --variant=minbase bookworm (≈ 1 min)"
    debootstrap --variant=minbase --include=ca-certificates bookworm "$tmp" "$DEBIAN_MIRROR" >"$CACHE_DIR/debootstrap.log" 2>&1 ||
      { tail -20 "$CACHE_DIR/debootstrap.log" >&2; rm -rf "$tmp"; return 1; }
    # What a container image does not need: package lists and caches, docs, man pages.
    rm -rf "$tmp"/var/lib/apt/lists/* "$tmp"/var/cache/apt/*.bin "$tmp"/var/cache/apt/archives/*.deb \
      "$tmp"/usr/share/doc/* "$tmp"/usr/share/man/* "$tmp"/usr/share/locale/*
    # Sources as in the official debian image, for apt-get in a Dockerfile built FROM it.
    echo "deb $DEBIAN_MIRROR bookworm main" >"$tmp/etc/apt/sources.list"
    tar -C "$tmp" -cf "$DEBIAN_ROOTFS_TAR.part" . && mv "$DEBIAN_ROOTFS_TAR.part" "$DEBIAN_ROOTFS_TAR"
    rm -rf "$tmp"
  fi
  if ! image_present "$STANDIN_DEBIAN"; then
    docker import --change 'CMD ["bash"]' "$DEBIAN_ROOTFS_TAR" "$STANDIN_DEBIAN" >/dev/null
  fi
}
