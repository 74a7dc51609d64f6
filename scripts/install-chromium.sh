#!/usr/bin/env bash
# Installs Debian's chromium for the browser test (examples/browser), when it is missing and this runs
# as root on a machine with apt-get (CI's fresh Debian). Idempotent and quiet when Chromium is there.
# Never fails the set-up: without Chromium the browser test skips and says why (and fails in CI).
set -uo pipefail

CHROMIUM="${KINDLING_CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: $CHROMIUM is missing and this is not root with apt-get; the browser test will skip." >&2
  exit 0
fi

echo "setup: installing chromium (apt) for the browser test"
export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; } </dev/null >"$log" 2>&1; then
  echo "install-chromium: apt-get could not install chromium; the browser test will skip:" >&2
  tail -n 20 "$log" >&2
fi
rm -f "$log"
exit 0
