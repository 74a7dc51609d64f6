// The package's install script: builds the native addon with node-gyp against the Node.js headers
// found locally (never downloaded). It never fails the install: when the addon cannot be built or
// loaded it says so in one line and the TypeScript kernels are used.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const addonPath = join(here, 'build', 'Release', 'kindling_native.node');
const logPath = join(here, 'build.log');
const stampPath = join(here, 'build', 'stamp');
const say = (message) => console.log(`@kindling/backend-cpu: ${message}`);

class Skip extends Error {}

/** Node's headers: nodedir from the npm configuration (.npmrc), else the prefix of the running node. */
function findNodedir() {
  const candidates = [process.env.npm_config_nodedir, dirname(dirname(process.execPath))];
  for (const dir of candidates) {
    if (dir && existsSync(join(dir, 'include', 'node', 'node_api.h'))) return dir;
  }
  throw new Skip('no Node.js headers found (set nodedir to a directory with include/node)');
}

/** How to run node-gyp: the package manager's, one on PATH, or npm's bundled copy. */
function findNodeGyp() {
  const fromConfig = process.env.npm_config_node_gyp;
  if (fromConfig && existsSync(fromConfig)) return [process.execPath, fromConfig];
  const onPath = spawnSync('node-gyp', ['--version'], { stdio: 'ignore', shell: process.platform === 'win32' });
  if (onPath.status === 0) return ['node-gyp'];
  const prefix = dirname(dirname(process.execPath));
  for (const npmDir of [join(prefix, 'lib', 'node_modules', 'npm'), join(dirname(process.execPath), 'node_modules', 'npm')]) {
    const script = join(npmDir, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (existsSync(script)) return [process.execPath, script];
  }
  throw new Skip('node-gyp was not found');
}

/** What the build depends on: the sources, binding.gyp, and this Node's version and platform. */
function sourceStamp() {
  const hash = createHash('sha256');
  hash.update(`${process.version} ${process.platform} ${process.arch}\n`);
  hash.update(readFileSync(join(here, 'binding.gyp')));
  for (const name of readdirSync(join(here, 'src')).sort()) hash.update(name).update(readFileSync(join(here, 'src', name)));
  return hash.digest('hex');
}

/** The path (avx512, avx2 or portable) of the built addon, checked by loading it in a fresh process; null if it does not load. */
function probe() {
  const check = spawnSync(process.execPath, ['-e', `const a = require(${JSON.stringify(addonPath)}); console.log(a.isa())`], { encoding: 'utf8' });
  return check.status === 0 ? { isa: check.stdout.trim() } : { error: (check.stderr || '').trim().split('\n')[0] };
}

function build() {
  if (process.env.KINDLING_SKIP_NATIVE_BUILD) throw new Skip('KINDLING_SKIP_NATIVE_BUILD is set');
  const stamp = sourceStamp();
  // Already built from these sources for this Node: keep it (a reinstall need not recompile).
  if (existsSync(addonPath) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp) {
    const ok = probe();
    if (ok.isa) {
      say(`native addon up to date (${ok.isa} kernels)`);
      return;
    }
  }
  const nodedir = findNodedir();
  const [cmd, ...pre] = findNodeGyp();
  const args = [...pre, 'rebuild', `--directory=${here}`, `--nodedir=${nodedir}`, '--jobs=max'];
  const run = spawnSync(cmd, args, { encoding: 'utf8', shell: process.platform === 'win32' && cmd === 'node-gyp', maxBuffer: 64 << 20 });
  writeFileSync(logPath, `${[cmd, ...args].join(' ')}\n${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}\n`);
  if (run.status !== 0 || !existsSync(addonPath)) throw new Skip(`the build failed; see ${logPath}`);
  // A build that links but cannot load (a missing symbol) is as good as none.
  const ok = probe();
  if (!ok.isa) {
    rmSync(addonPath, { force: true });
    throw new Skip(`the built addon does not load: ${ok.error}`);
  }
  writeFileSync(stampPath, stamp);
  say(`native addon built (${ok.isa} kernels)`);
}

try {
  build();
} catch (err) {
  const why = err instanceof Skip ? err.message : `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
  say(`native addon not built (${why}); the TypeScript kernels will be used`);
}
process.exitCode = 0;
