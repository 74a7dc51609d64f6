#!/usr/bin/env bash
# Idempotent set-up for a fresh clone on a machine that has only Node 20 and npm:
# installs the pinned pnpm if needed, installs the workspace's dependencies and builds every package.
# Quiet when things work; prints the full log of any step that fails.
set -euo pipefail

PNPM_VERSION=10.34.9

cd "$(dirname "${BASH_SOURCE[0]}")/.."

export TURBO_TELEMETRY_DISABLED=1
export TURBO_NO_UPDATE_NOTIFIER=1
export NPM_CONFIG_UPDATE_NOTIFIER=false
export NPM_CONFIG_FUND=false
export NPM_CONFIG_AUDIT=false

# Run a command, hiding its output unless it fails.
quiet() {
  local log status
  log="$(mktemp)"
  set +e
  "$@" </dev/null >"$log" 2>&1
  status=$?
  set -e
  if [ "$status" -ne 0 ]; then
    echo "setup: '$*' failed (exit $status):" >&2
    cat "$log" >&2
    rm -f "$log"
    exit "$status"
  fi
  rm -f "$log"
}

pnpm_version() {
  command -v pnpm >/dev/null 2>&1 && pnpm --version 2>/dev/null || true
}

# 1. pnpm, pinned (corepack is not used; pnpm 11+ does not run on Node 20).
if [ "$(pnpm_version)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm@$PNPM_VERSION"
  if ! npm install -g --silent "pnpm@$PNPM_VERSION" </dev/null >/dev/null 2>&1; then
    # No write access to npm's global prefix (system Node, not root): install into ~/.local.
    quiet npm install -g --prefix "$HOME/.local" "pnpm@$PNPM_VERSION"
    export PATH="$HOME/.local/bin:$PATH"
    echo "setup: pnpm installed into $HOME/.local/bin; add it to your PATH"
  fi
  hash -r
  if [ "$(pnpm_version)" != "$PNPM_VERSION" ]; then
    echo "setup: pnpm $PNPM_VERSION is not on PATH after installing it (found: '$(pnpm_version)')" >&2
    exit 1
  fi
fi

# 2. Dependencies.
if [ -f pnpm-lock.yaml ]; then
  quiet pnpm install --frozen-lockfile --config.confirmModulesPurge=false
else
  quiet pnpm install --config.confirmModulesPurge=false
fi

# 3. Build every package (turbo, cached).
quiet pnpm run build
