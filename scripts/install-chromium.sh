#!/usr/bin/env bash
# Chromium for the browser tests (test/web): Debian's `chromium` package, driven by playwright-core.
# No browser download (playwright's CDN is not reachable here). Installs only when missing and root;
# otherwise says why and exits 0 — the tests then skip loudly, or fail under CI=true.
set -euo pipefail
BIN=/usr/bin/chromium
if [ -x "$BIN" ]; then
  echo "chromium: $("$BIN" --version 2>/dev/null || echo present) at $BIN"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "chromium: $BIN is missing and this is not root; install Debian's chromium package (apt-get install chromium)" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "chromium: $BIN is missing and apt-get is not available on this system" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-cache show chromium >/dev/null 2>&1; then apt-get update -qq; fi
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "chromium: installed $("$BIN" --version 2>/dev/null)"
