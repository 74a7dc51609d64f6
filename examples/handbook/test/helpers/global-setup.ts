/**
 * DataLoader worker threads (sections 10.x and 15.3) execute @kindling/data's dist/ (compiled
 * JavaScript), while the tests import the TypeScript sources. Bring dist/ up to date with an incremental
 * `tsc -b` (about a second when nothing changed) so that the workers never run stale code.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const require = createRequire(import.meta.url);
  const tsc = require.resolve('typescript/bin/tsc');
  const data = fileURLToPath(new URL('../../../../packages/data', import.meta.url));
  execFileSync(process.execPath, [tsc, '-b', data], { stdio: 'pipe' });
}
