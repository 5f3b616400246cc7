#!/bin/sh
# `with-npm-ca COMMAND...` (inside an image build): runs COMMAND trusting the CA bundle at
# $NPM_CA_URL too, when that is set (scripts/images/build.sh serves the host's NODE_EXTRA_CA_CERTS
# there, on loopback), and deletes the bundle before returning, so the RUN's layer never holds it.
set -eu
if [ -z "${NPM_CA_URL:-}" ]; then exec "$@"; fi
ca="$(mktemp)"
trap 'rm -f "$ca"' EXIT
node -e "fetch(process.env.NPM_CA_URL).then(async (r) => { if (!r.ok) throw new Error('HTTP ' + r.status); require('fs').writeFileSync(process.argv[1], await r.text()); }).catch((e) => { console.error('with-npm-ca: ' + process.env.NPM_CA_URL + ': ' + e.message); process.exit(1); })" "$ca"
NODE_EXTRA_CA_CERTS="$ca" "$@"
