// The package's install script: builds the CUDA addon when nvcc is found: the kernels (kernels.cu) with
// nvcc for sm_80 and sm_90 plus PTX (so newer GPUs JIT them), the N-API glue with the host C++ compiler
// against the Node.js headers found locally (never downloaded), linked with the static CUDA runtime (so
// the addon loads on machines without a driver and says why CUDA is unusable). cuBLAS is not linked: the
// addon loads it at run time. It never fails the install: without nvcc, or when the build fails, it
// says so in one line and `import '@kindling/backend-cuda'` reports CUDA unavailable with that reason.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'build', 'Release');
const addonPath = join(out, 'kindling_cuda.node');
const logPath = join(here, 'build.log');
const stampPath = join(here, 'build', 'stamp');
const say = (message) => console.log(`@kindling/backend-cuda: ${message}`);
const ARCHS = (process.env.KINDLING_CUDA_ARCHS ?? '80,90').split(',').map((s) => s.trim()).filter(Boolean);

class Skip extends Error {}

/** nvcc: $CUDA_HOME or $CUDA_PATH, then PATH, then the toolkit's usual install prefixes (newest first). */
function findNvcc() {
  const candidates = [];
  for (const v of ['CUDA_HOME', 'CUDA_PATH']) if (process.env[v]) candidates.push(join(process.env[v], 'bin', 'nvcc'));
  const which = spawnSync('sh', ['-c', 'command -v nvcc'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) candidates.push(which.stdout.trim());
  candidates.push('/usr/local/cuda/bin/nvcc');
  if (existsSync('/usr/local')) {
    const versions = readdirSync('/usr/local').filter((d) => /^cuda-\d+(\.\d+)?$/.test(d));
    versions.sort((a, b) => Number.parseFloat(b.slice(5)) - Number.parseFloat(a.slice(5)));
    for (const d of versions) candidates.push(join('/usr/local', d, 'bin', 'nvcc'));
  }
  const nvcc = candidates.find((c) => existsSync(c));
  if (!nvcc) throw new Skip('nvcc was not found (set CUDA_HOME to a CUDA toolkit to build the addon)');
  return nvcc;
}

/**
 * The toolkit's include and library folders, as nvcc itself reports them (`nvcc --dryrun` prints its
 * TOP, INCLUDES and LIBRARIES), so an nvcc that is a wrapper script or a symlink still finds them.
 */
function toolkitPaths(nvcc) {
  const dry = spawnSync(nvcc, ['--dryrun', '-c', '-x', 'cu', '/dev/null', '-o', '/dev/null'], { encoding: 'utf8' });
  const text = `${dry.stdout ?? ''}${dry.stderr ?? ''}`;
  const top = /^#\$ TOP=(.*)$/m.exec(text)?.[1]?.trim() ?? dirname(dirname(realpathSync(nvcc)));
  const includes = [...text.matchAll(/-I"?([^"\s]+)"?/g)].map((m) => m[1]);
  const libs = [...text.matchAll(/-L"?([^"\s]+)"?/g)].map((m) => m[1]).filter((d) => !d.endsWith('stubs'));
  const include = [...includes, join(top, 'include')].find((d) => existsSync(join(d, 'cuda_runtime.h')));
  if (!include) throw new Skip(`cuda_runtime.h was not found next to ${nvcc}`);
  return { include, libdirs: [...libs, join(top, 'lib64'), join(top, 'lib')] };
}

/** Node's headers: nodedir from the npm configuration (.npmrc), else the prefix of the running node. */
function findNodeInclude() {
  for (const dir of [process.env.npm_config_nodedir, dirname(dirname(process.execPath))]) {
    if (dir && existsSync(join(dir, 'include', 'node', 'node_api.h'))) return join(dir, 'include', 'node');
  }
  throw new Skip('no Node.js headers found (set nodedir to a directory with include/node)');
}

function findNapiInclude() {
  try {
    return dirname(createRequire(import.meta.url).resolve('node-addon-api/package.json'));
  } catch {
    throw new Skip('node-addon-api is not installed');
  }
}

function run(cmd, args, log) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  log.push(`$ ${[cmd, ...args].join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`);
  if (r.status !== 0) throw new Skip(`${cmd.split('/').pop()} failed; see ${logPath}`);
}

function sourceStamp(nvcc) {
  const hash = createHash('sha256');
  hash.update(`${process.version} ${process.platform} ${process.arch} ${nvcc} ${ARCHS.join(',')}\n`);
  for (const name of readdirSync(join(here, 'src')).sort()) hash.update(name).update(readFileSync(join(here, 'src', name)));
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  return hash.digest('hex');
}

/** Load the addon in a fresh process: what it says about CUDA here, or why it does not load. */
function probe() {
  const code = `const a = require(${JSON.stringify(addonPath)}); const s = a.status(); console.log(s.reason ? 'CUDA unavailable here: ' + s.reason : s.deviceCount + ' CUDA device(s)')`;
  const check = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  return check.status === 0 ? { info: check.stdout.trim() } : { error: (check.stderr || '').trim().split('\n')[0] };
}

function build() {
  if (process.env.KINDLING_SKIP_NATIVE_BUILD || process.env.KINDLING_SKIP_CUDA_BUILD) throw new Skip('KINDLING_SKIP_(NATIVE|CUDA)_BUILD is set');
  if (process.platform !== 'linux') throw new Skip(`building the CUDA addon is supported on Linux only (this is ${process.platform})`);
  const nvcc = findNvcc();
  const stamp = sourceStamp(nvcc);
  if (existsSync(addonPath) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp) {
    const ok = probe();
    if (ok.info) {
      say(`CUDA addon up to date (${ok.info})`);
      return;
    }
  }
  const { include: cudaInclude, libdirs } = toolkitPaths(nvcc);
  const nodeInclude = findNodeInclude();
  const napiInclude = findNapiInclude();
  const cxx = process.env.CXX || 'g++';
  const obj = join(here, 'build', 'obj');
  mkdirSync(obj, { recursive: true });
  mkdirSync(out, { recursive: true });
  const log = [];
  try {
    const gencode = ARCHS.flatMap((a) => ['-gencode', `arch=compute_${a},code=sm_${a}`]);
    const last = ARCHS[ARCHS.length - 1];
    gencode.push('-gencode', `arch=compute_${last},code=compute_${last}`); // PTX for newer GPUs
    run(nvcc, ['-std=c++17', '-O3', '-Xcompiler', '-fPIC', ...gencode, '-c', join(here, 'src', 'kernels.cu'), '-o', join(obj, 'kernels.o')], log);
    const cflags = ['-std=c++17', '-O2', '-fPIC', '-fexceptions', '-fvisibility=hidden', '-DNAPI_VERSION=8', '-DNAPI_CPP_EXCEPTIONS', '-DNODE_ADDON_API_DISABLE_DEPRECATED'];
    run(cxx, [...cflags, `-I${nodeInclude}`, `-I${napiInclude}`, `-I${cudaInclude}`, '-c', join(here, 'src', 'addon.cc'), '-o', join(obj, 'addon.o')], log);
    run(cxx, [...cflags, '-c', join(here, 'src', 'cublas.cc'), '-o', join(obj, 'cublas.o')], log);
    const libdir = libdirs.find((d) => existsSync(join(d, 'libcudart_static.a')));
    if (!libdir) throw new Skip(`libcudart_static.a was not found (looked in ${libdirs.join(', ')})`);
    run(cxx, ['-shared', '-o', addonPath, join(obj, 'addon.o'), join(obj, 'cublas.o'), join(obj, 'kernels.o'), `-L${libdir}`, '-lcudart_static', '-ldl', '-lrt', '-lpthread'], log);
  } finally {
    writeFileSync(logPath, `${log.join('\n')}\n`);
  }
  const ok = probe();
  if (!ok.info) {
    rmSync(addonPath, { force: true });
    throw new Skip(`the built addon does not load: ${ok.error}`);
  }
  writeFileSync(stampPath, stamp);
  say(`CUDA addon built for sm_${ARCHS.join(', sm_')} (${ok.info})`);
}

try {
  build();
} catch (err) {
  const why = err instanceof Skip ? err.message : `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
  say(`CUDA addon not built (${why}); importing the package will report CUDA unavailable`);
}
process.exitCode = 0;
