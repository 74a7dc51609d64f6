// The bundle's test runner: each test file runs in its own node process (as vitest isolates files:
// a backend one file registers is not seen by another), its describe/it calls registered with the
// vitest shim; the summary adds them up and the exit code is 1 on any failure.
//   ./node run-tests.mjs [file-or-folder ...]   (default: every *.test.js under packages/backend-cuda/test)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const MARK = '@@kindling-test-result@@';

if (process.argv[2] === '--one') {
  const { run } = await import('vitest');
  await import(pathToFileURL(process.argv[3]).href);
  const c = await run();
  console.log(`${MARK}${JSON.stringify(c)}`);
} else {
  const args = process.argv.slice(2);
  const roots = args.length ? args.map((a) => resolve(a)) : [join(here, 'packages', 'backend-cuda', 'test')];
  const files = roots.flatMap(function walk(p) {
    if (statSync(p).isFile()) return p.endsWith('.test.js') ? [p] : [];
    return readdirSync(p).sort().flatMap((f) => walk(join(p, f)));
  });
  const started = performance.now();
  const total = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const f of files) {
    console.log(`# ${f.slice(here.length + 1)}`);
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--one', f], { encoding: 'utf8', maxBuffer: 256 << 20 });
    const lines = `${r.stdout ?? ''}`.split('\n');
    const result = lines.find((l) => l.startsWith(MARK));
    process.stdout.write(lines.filter((l) => !l.startsWith(MARK)).join('\n'));
    if (r.stderr) process.stderr.write(r.stderr);
    if (!result) {
      total.failed++;
      total.failures.push(`${f}: the file did not finish (exit ${r.status ?? r.signal})`);
      continue;
    }
    const c = JSON.parse(result.slice(MARK.length));
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
    total.failures.push(...c.failures);
  }
  const s = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped (${files.length} files, ${s} s)`);
  if (total.failures.length) console.log(`\nFailures:\n${total.failures.slice(0, 50).join('\n\n')}`);
  process.exitCode = total.failed ? 1 : 0;
}
