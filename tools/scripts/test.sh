#!/usr/bin/env bash
# `npm test`: lint, typecheck and test every project. Tests that need a tool
# (kcat, flatc, python3-flatbuffers, chromium, promtool) skip locally with a printed reason when it
# is missing, and fail under CI=true; on a Debian machine where we may install
# packages, install them first so nothing is skipped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export NX_DAEMON=false NX_NO_CLOUD=true

missing=()
command -v kcat >/dev/null || missing+=(kcat)
command -v flatc >/dev/null || missing+=(flatbuffers-compiler)
/usr/bin/python3 -c 'import flatbuffers' 2>/dev/null || missing+=(python3-flatbuffers)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v promtool >/dev/null || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=(); elif sudo -n true 2>/dev/null; then SUDO=(sudo -n); else SUDO=(); fi
  if [ "$(id -u)" -eq 0 ] || [ ${#SUDO[@]} -gt 0 ]; then
    echo "installing test tools: ${missing[*]}"
    "${SUDO[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "note: ${missing[*]} not installed and no root: the tests that need them will skip (apt-get install ${missing[*]})"
  fi
fi

npx nx run-many -t lint typecheck test --output-style=static "$@"
