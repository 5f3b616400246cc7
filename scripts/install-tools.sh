#!/usr/bin/env bash
# Installs the Debian tools the offline checks run (kustomize via kubectl, promtool, prometheus,
# alertmanager and amtool) into .tools/: `apt-get download` + `dpkg -x`, so a fresh machine (and CI)
# gets exactly the same binaries, and an unrelated kubectl on the PATH cannot change the results.
# One exception touches the system: Debian's alertmanager reads its built-in notification templates
# from the fixed path /usr/share/prometheus/alertmanager/ (no flag changes it) and will not start
# without them, so the package's two .tmpl files are copied there when they are missing, exactly
# as `apt-get install prometheus-alertmanager` would place them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools/bin" "$tools/debs"
need() { [ -x "$tools/bin/$1" ] || return 0; return 1; }
if need kubectl || need promtool || need prometheus || need alertmanager || need amtool; then
  cd "$tools/debs"
  if ! apt-get download kubernetes-client prometheus prometheus-alertmanager >/dev/null 2>&1; then
    echo "install-tools: apt-get download failed; running apt-get update once" >&2
    apt-get update -qq >/dev/null
    apt-get download kubernetes-client prometheus prometheus-alertmanager >/dev/null
  fi
  for deb in ./*.deb; do dpkg -x "$deb" "$tools/root"; done
  ln -sf "$tools/root/usr/bin/kubectl" "$tools/bin/kubectl"
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
"$tools/bin/kubectl" version --client 2>/dev/null | head -1
"$tools/bin/promtool" --version 2>&1 | head -1
"$tools/bin/amtool" --version 2>&1 | head -1
