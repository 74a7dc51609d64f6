/**
 * DataLoader worker threads execute `dist/` (compiled JavaScript), while the tests import the
 * TypeScript sources. Bring `dist/` up to date (an incremental `tsc -b`, about a second when nothing
 * changed) so the workers never run stale code.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const pkg = fileURLToPath(new URL('..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-b', pkg], { stdio: 'pipe' });
  } catch (e) {
    const out = `${(e as { stdout?: Buffer }).stdout ?? ''}${(e as { stderr?: Buffer }).stderr ?? ''}`;
    if (!existsSync(new URL('../dist/worker/entry.js', import.meta.url))) {
      throw new Error(`@kindling/data tests: building dist/ for the worker threads failed:\n${out}`);
    }
    console.warn(`@kindling/data tests: tsc -b failed, the worker tests use the existing dist/:\n${out}`);
  }
}
