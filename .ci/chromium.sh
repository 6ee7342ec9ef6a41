#!/usr/bin/env bash
# Install Debian's Chromium (if missing) for veille's end-to-end web UI tests (tests/e2e, Playwright
# driving /usr/bin/chromium: no browser download at run time). Idempotent: safe to run twice.
# Usage: bash .ci/chromium.sh   (needs root; progress on stderr).
set -euo pipefail

log() { echo "chromium.sh: $*" >&2; }

if [ -x /usr/bin/chromium ]; then
    log "$(/usr/bin/chromium --version 2>/dev/null | head -n 1 || echo 'chromium present')"
    exit 0
fi

log "installing chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq chromium >&2
log "$(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
