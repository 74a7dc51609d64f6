// The bundle's test runner: imports each test file (its describe/it calls register with the vitest
// shim), runs them, prints a summary, exits 1 on any failure.
//   ./node tests/run-tests.mjs [file-or-folder ...]   (default: every *.test.js under tests/)
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { run } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const roots = args.length ? args.map((a) => resolve(a)) : [join(here, 'packages', 'backend-cuda', 'test')];
const files = roots.flatMap(function walk(p) {
  if (statSync(p).isFile()) return p.endsWith('.test.js') ? [p] : [];
  return readdirSync(p).sort().flatMap((f) => walk(join(p, f)));
});
const started = performance.now();
for (const f of files) {
  console.log(`# ${f.slice(here.length + 1)}`);
  await import(pathToFileURL(f).href);
}
const c = await run();
const s = ((performance.now() - started) / 1000).toFixed(1);
console.log(`\n${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped (${files.length} files, ${s} s)`);
if (c.failures.length) console.log(`\nFailures:\n${c.failures.slice(0, 50).join('\n\n')}`);
process.exitCode = c.failed ? 1 : 0;
