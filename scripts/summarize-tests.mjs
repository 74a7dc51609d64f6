#!/usr/bin/env node
// Reads vitest's JSON report and prints one closing line, `N passed, N failed[, N skipped]`.
// Exits non-zero if the report is missing or unreadable, if anything failed, or if no test passed.
// A test file that failed to load (no test in it ran) counts as one failed test.
//
// Usage: node scripts/summarize-tests.mjs [report.json]   (default: .vitest-report.json)
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const file = process.argv[2] ?? '.vitest-report.json';

function finish(passed, failed, skipped, ok) {
  let line = `${passed} passed, ${failed} failed`;
  if (skipped > 0) line += `, ${skipped} skipped`;
  console.log(line);
  process.exitCode = ok ? 0 : 1;
}

let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  console.error(`summarize-tests: no usable test report at ${file}: ${err.message}`);
  finish(0, 0, 0, false);
}

if (report !== undefined) {
  const num = (k) => (Number.isFinite(report[k]) ? report[k] : 0);
  const passed = num('numPassedTests');
  const skipped = num('numPendingTests') + num('numTodoTests');
  let failed = num('numFailedTests');

  // Files that failed outside any test (import error, error in a hook or at top level).
  const brokenFiles = (report.testResults ?? []).filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  );
  for (const f of brokenFiles) {
    const msg = (f.message || 'failed outside any test').split('\n')[0];
    console.error(`summarize-tests: ${relative(process.cwd(), f.name ?? '?')}: ${msg}`);
  }
  failed += brokenFiles.length;

  if (passed === 0) console.error('summarize-tests: no test passed');
  if (failed === 0 && report.success === false) {
    console.error('summarize-tests: vitest reports the run as failed (see its output above)');
  }
  finish(passed, failed, skipped, failed === 0 && passed > 0 && report.success !== false);
}
