#!/usr/bin/env bash
# The project's test command (`npm test`): set-up, typecheck, then every test in the workspace,
# with one vitest run from the repository root. Extra arguments go to vitest, e.g.
#   npm test -- packages/tensor
# Each step runs even if an earlier one failed (tests run against the TypeScript sources), and the run
# fails if any step failed. The last line of output is always `N passed, N failed[, N skipped]`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

REPORT=.vitest-report.json
rm -f "$REPORT"

setup_status=0
bash scripts/setup.sh || setup_status=$?

# Debian's chromium for the browser test (root with apt only; the test skips, or fails in CI, without it).
bash scripts/install-chromium.sh || true
# Mesa's lavapipe Vulkan driver for the webgpu tests (root with apt only; they skip without it).
bash scripts/install-webgpu-driver.sh >/dev/null \
  || echo "test.sh: the webgpu driver could not be installed (see above); the webgpu tests will skip" >&2

# setup.sh may have had to install pnpm into ~/.local (no write access to npm's global prefix).
if [ -x "$HOME/.local/bin/pnpm" ] && [ "$(pnpm --version 2>/dev/null || true)" != "10.34.9" ]; then
  export PATH="$HOME/.local/bin:$PATH"
fi

export TURBO_TELEMETRY_DISABLED=1
export TURBO_NO_UPDATE_NOTIFIER=1

echo "== typecheck"
typecheck_status=0
pnpm exec turbo run typecheck --output-logs=errors-only </dev/null || typecheck_status=$?

echo "== tests"
vitest_status=0
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$REPORT" "$@" </dev/null \
  || vitest_status=$?

[ "$setup_status" -eq 0 ] || echo "test.sh: set-up failed (exit $setup_status; see above)" >&2
[ "$typecheck_status" -eq 0 ] || echo "test.sh: typecheck failed (see the errors above)" >&2
[ "$vitest_status" -eq 0 ] || echo "test.sh: vitest exited with status $vitest_status" >&2

summary_status=0
node scripts/summarize-tests.mjs "$REPORT" || summary_status=$?

if [ "$setup_status" -ne 0 ] || [ "$typecheck_status" -ne 0 ] || [ "$vitest_status" -ne 0 ] \
  || [ "$summary_status" -ne 0 ]; then
  exit 1
fi
