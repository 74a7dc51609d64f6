#!/usr/bin/env node
// Builds a carryable bundle for running the cuda suites and bench on a GPU machine that has neither
// Node.js nor a network (handbook chapter 13; see packages/backend-cuda/README.md):
//
//   node scripts/cuda-bundle.mjs [outDir]        (default .cache/cuda-bundle, which git ignores)
//   # on the GPU machine, from the same checkout (the bundle carried along):
//   bash .cache/cuda-bundle/kindling-cuda/run.sh [--quick]
//
// The bundle holds: this Node.js binary, stripped and xz-compressed (node.xz, about 22 MB); every
// workspace package's built dist/ (and native addons) as node_modules; the cuda test files and the
// conformance suite transpiled to JavaScript, with a small vitest stand-in
// (packages/backend-cuda/bundle/vitest-shim.mjs) as their `vitest`; the fixtures they read; the cuda
// bench; and run.sh, which unpacks node, finds cuBLAS in the machine's Python packages, runs the
// tests, then the bench beside PyTorch.
//
// Requirements here: a built workspace (this script runs turbo's build) and nvcc, for the addon.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = process.argv[2] ?? join(repo, '.cache', 'cuda-bundle');
const stage = join(outDir, 'kindling-cuda');
const say = (m) => console.log(`cuda-bundle: ${m}`);

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: repo, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.error})`);
}

// 1. Build the packages and the CUDA addon.
say('building the workspace packages');
sh('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=kindling', '--filter=@kindling/backend-cuda', '--output-logs=errors-only']);
// The conformance suite imports @kindling/backend-webgpu (it finds no GPU adapter there and leaves it out).
if (spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@kindling/backend-webgpu', '--output-logs=errors-only'], { stdio: 'inherit', cwd: repo }).status !== 0) {
  say('@kindling/backend-webgpu did not build: the conformance suite will not load in the bundle');
}
sh(process.execPath, [join(repo, 'packages', 'backend-cuda', 'native', 'install.mjs')]);
const addon = join(repo, 'packages', 'backend-cuda', 'native', 'build', 'Release', 'kindling_cuda.node');
if (!existsSync(addon)) throw new Error(`the CUDA addon was not built (see packages/backend-cuda/native/build.log): a bundle without it cannot use the GPU`);

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

// 2. The packages, as node_modules/<name>: package.json, dist/, native addons.
for (const dir of readdirSync(join(repo, 'packages'))) {
  const pkgDir = join(repo, 'packages', dir);
  const manifest = join(pkgDir, 'package.json');
  if (!existsSync(manifest) || !existsSync(join(pkgDir, 'dist'))) continue;
  const { name } = JSON.parse(readFileSync(manifest, 'utf8'));
  const dest = join(stage, 'node_modules', name);
  mkdirSync(dest, { recursive: true });
  cpSync(manifest, join(dest, 'package.json'));
  cpSync(join(pkgDir, 'dist'), join(dest, 'dist'), { recursive: true, filter: (p) => !p.endsWith('.tsbuildinfo') && !p.endsWith('.map') });
  const release = join(pkgDir, 'native', 'build', 'Release');
  if (existsSync(release)) {
    for (const f of readdirSync(release).filter((f) => f.endsWith('.node'))) {
      mkdirSync(join(dest, 'native', 'build', 'Release'), { recursive: true });
      cpSync(join(release, f), join(dest, 'native', 'build', 'Release', f));
    }
  }
}

// 3. The vitest stand-in, the runner, the tests (transpiled) and their fixtures.
const shim = join(stage, 'node_modules', 'vitest');
mkdirSync(shim, { recursive: true });
cpSync(join(repo, 'packages', 'backend-cuda', 'bundle', 'vitest-shim.mjs'), join(shim, 'index.mjs'));
writeFileSync(join(shim, 'package.json'), `${JSON.stringify({ name: 'vitest', version: '0.0.0-kindling-shim', type: 'module', exports: './index.mjs' }, null, 2)}\n`);
cpSync(join(repo, 'packages', 'backend-cuda', 'bundle', 'run-tests.mjs'), join(stage, 'run-tests.mjs'));

const ts = createRequire(join(repo, 'package.json'))('typescript');
function transpileDir(from, to) {
  for (const f of readdirSync(from)) {
    const p = join(from, f);
    if (statSync(p).isDirectory() || !f.endsWith('.ts') || f.endsWith('.d.ts')) continue;
    const out = ts.transpileModule(readFileSync(p, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, useDefineForClassFields: true },
      fileName: f,
    }).outputText;
    mkdirSync(to, { recursive: true });
    writeFileSync(join(to, f.replace(/\.ts$/, '.js')), out);
  }
}
transpileDir(join(repo, 'packages', 'backend-cuda', 'test'), join(stage, 'packages', 'backend-cuda', 'test'));
transpileDir(join(repo, 'conformance'), join(stage, 'conformance'));
for (const f of ['conformance', 'autograd', 'amp']) {
  if (existsSync(join(repo, 'fixtures', f))) cpSync(join(repo, 'fixtures', f), join(stage, 'fixtures', f), { recursive: true });
}

// 4. The bench.
mkdirSync(join(stage, 'bench'), { recursive: true });
for (const f of ['cuda.mjs', 'cuda_torch.py']) cpSync(join(repo, 'bench', f), join(stage, 'bench', f));

// 5. Node.js itself: stripped, xz-compressed.
say(`packing ${process.execPath} (${process.version})`);
cpSync(process.execPath, join(stage, 'node'));
chmodSync(join(stage, 'node'), 0o755);
if (spawnSync('strip', ['--strip-all', join(stage, 'node')]).status !== 0) say('strip failed or is missing: node is packed unstripped');
{
  const packed = spawnSync('sh', ['-c', 'xz -9 -T0 -c node > node.xz && rm node'], { cwd: stage, stdio: 'inherit' });
  if (packed.status !== 0) throw new Error('xz failed: it is needed to pack node');
}

// 6. The one command to run there.
writeFileSync(join(stage, 'run.sh'), `#!/bin/sh
# Runs the cuda test suites, then the cuda bench beside PyTorch. Arguments go to the bench (--quick).
set -u
cd "$(dirname "$0")"
if [ ! -x ./node ]; then
  if command -v xz >/dev/null 2>&1; then xz -dc node.xz > node
  else python3 -c "import lzma, shutil; shutil.copyfileobj(lzma.open('node.xz'), open('node', 'wb'))"
  fi || exit 1
  chmod +x node
fi
# cuBLAS: KINDLING_CUBLAS, LD_LIBRARY_PATH, or the copy a Python CUDA package ships (nvidia-cublas, torch).
if [ -z "\${KINDLING_CUBLAS:-}" ] && command -v python3 >/dev/null 2>&1; then
  extra=$(python3 - <<'PY' 2>/dev/null
import glob, os, site, sys
dirs = []
for base in site.getsitepackages() + [site.getusersitepackages()]:
    dirs += glob.glob(os.path.join(base, 'nvidia', 'cublas', 'lib')) + glob.glob(os.path.join(base, 'nvidia', 'cu*', 'lib'))
    dirs += glob.glob(os.path.join(base, 'torch', 'lib'))
print(':'.join(d for d in dirs if glob.glob(os.path.join(d, 'libcublas.so*'))))
PY
)
  [ -n "$extra" ] && export LD_LIBRARY_PATH="$extra\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
./node -e "import('@kindling/backend-cuda').then((m) => { const s = m.cudaStatus(); console.log('cuda:', s.available ? s.deviceCount + ' device(s), runtime ' + s.runtimeVersion + ', driver ' + s.driverVersion : 'unavailable: ' + s.reason); if (s.available) console.log('cublas:', JSON.stringify(m.cublasStatus())); })"
./node run-tests.mjs; tests=$?
./node bench/cuda.mjs "$@"; bench=$?
exit $(( tests != 0 ? tests : bench ))
`);
chmodSync(join(stage, 'run.sh'), 0o755);

// 7. Sizes: what a device call can carry is limited (64 MiB).
let total = 0;
(function walk(p) {
  if (statSync(p).isDirectory()) readdirSync(p).forEach((f) => walk(join(p, f)));
  else total += statSync(p).size;
})(stage);
const mib = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;
say(`bundle at ${relative(process.cwd(), stage) || '.'}: ${mib(total)} (node.xz ${mib(statSync(join(stage, 'node.xz')).size)})`);
if (total > 60 * 2 ** 20) say('warning: over 60 MiB; leave fixtures/conformance out or compress them');
