// Selective installs: a user installs only what they use. Every package is packed (`pnpm pack`,
// which turns `workspace:^` into the real version range), then three fresh projects are installed with
// npm from those tarballs: @kindling/data alone; @kindling/nn with @kindling/backend-cpu; kindling.
// Each runs a smoke script, and the installed tree must hold exactly the packages the install needs.
//
// npm never fetches a @kindling package from the registry: every one of them is pinned to its local
// tarball through `overrides`, which applies to transitive dependencies too. Third-party dependencies
// (node-addon-api) come from the registry, or npm's cache.
//
// The CPU backend's install script builds the native addon. Projects (a) and (b) set
// KINDLING_SKIP_NATIVE_BUILD=1, which the script honours by saying so and using the TypeScript kernels;
// project (c) builds the addon from the tarball (about a minute on two cores when a C++ compiler is
// there) and its smoke script reports which kernels it got, so the install script is exercised as a
// user meets it. Expect the whole file to take one to three minutes.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Every publishable package of the workspace (new ones too: any of them may become a dependency). */
const PACKAGES = readdirSync(join(root, 'packages')).filter((dir) => {
  const file = join(root, 'packages', dir, 'package.json');
  return existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { private?: boolean }).private !== true;
});

let work = '';
/** package name → absolute path of its tarball */
const tarballs = new Map<string, string>();

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NPM_CONFIG_UPDATE_NOTIFIER: 'false', NPM_CONFIG_FUND: 'false', NPM_CONFIG_AUDIT: 'false', ...env },
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd} (exit ${r.status}):\n${r.stdout}\n${r.stderr}\n${r.error ?? ''}`);
  }
  return `${r.stdout}${r.stderr}`;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kindling-install-'));
  const packs = join(work, 'tarballs');
  for (const dir of PACKAGES) {
    const pkgDir = join(root, 'packages', dir);
    const name = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { name: string }).name;
    // The tarball ships dist/: the packages must have been built (npm test's set-up does it).
    expect(existsSync(join(pkgDir, 'dist', 'index.js')), `${name} is not built (run pnpm build)`).toBe(true);
    const before = new Set(existsSync(packs) ? readdirSync(packs) : []);
    run('pnpm', ['pack', '--pack-destination', packs], pkgDir);
    const made = readdirSync(packs).filter((f) => !before.has(f));
    expect(made).toHaveLength(1);
    tarballs.set(name, join(packs, made[0]!));
  }
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Installs `wanted` in a fresh npm project, every @kindling package pinned to its tarball. */
function install(label: string, wanted: string[], env: Record<string, string>): string {
  const dir = join(work, label);
  const file = (name: string) => `file:${tarballs.get(name)!}`;
  execFileSync('mkdir', ['-p', dir]);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: `kindling-install-${label}`,
    private: true,
    type: 'module',
    dependencies: Object.fromEntries(wanted.map((n) => [n, file(n)])),
    overrides: Object.fromEntries([...tarballs.keys()].filter((n) => !wanted.includes(n)).map((n) => [n, file(n)])),
  }, null, 2));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '--foreground-scripts'], dir, env);
  return dir;
}

/** Every package in the installed tree (node_modules, nested too), by name. */
function installedTree(dir: string): string[] {
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  const names = Object.keys(lock.packages)
    .filter((p) => p.startsWith('node_modules/') || p.includes('/node_modules/'))
    .map((p) => p.slice(p.lastIndexOf('node_modules/') + 'node_modules/'.length));
  // Cross-check the lockfile against the disk.
  for (const n of names) expect(existsSync(join(dir, 'node_modules', n, 'package.json')), n).toBe(true);
  return [...new Set(names)].sort();
}

function smoke(dir: string, code: string, env: Record<string, string> = {}): string {
  writeFileSync(join(dir, 'smoke.mjs'), code);
  return run(process.execPath, ['smoke.mjs'], dir, env).trim();
}

const NO_NATIVE = { KINDLING_SKIP_NATIVE_BUILD: '1' };

describe('selective installs from the packed tarballs', () => {
  test('the tarballs ship what the exports and the install script need, and no tests', () => {
    for (const [name, tgz] of tarballs) {
      const list = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).split('\n').filter(Boolean);
      expect(list, name).toContain('package/package.json');
      expect(list, name).toContain('package/dist/index.js');
      expect(list, name).toContain('package/dist/index.d.ts');
      expect(list.filter((f) => /\/test\/|\.test\.[jt]s$/.test(f)), name).toEqual([]);
      const pkg = JSON.parse(execFileSync('tar', ['-xzOf', tgz, 'package/package.json'], { encoding: 'utf8' })) as {
        dependencies?: Record<string, string>;
      };
      for (const range of Object.values(pkg.dependencies ?? {})) expect(range, name).not.toMatch(/^workspace:/);
      if (name === '@kindling/backend-cpu') {
        for (const f of ['native/install.mjs', 'native/binding.gyp', 'native/src/addon.cc']) expect(list).toContain(`package/${f}`);
        expect(list.some((f) => f.startsWith('package/native/build/'))).toBe(false);
      }
    }
  });

  test('(a) @kindling/data alone', () => {
    const dir = install('data', ['@kindling/data'], NO_NATIVE);
    expect(installedTree(dir)).toEqual(['@kindling/backend-cpu', '@kindling/data', '@kindling/tensor', 'node-addon-api']);
    const out = smoke(dir, `
import { Dataset, DataLoader } from '@kindling/data';
class Squares extends Dataset {
  get length() { return 10; }
  getItem(i) { return [i, i * i]; }
}
const loader = new DataLoader(new Squares(), { batchSize: 4 });
const batches = [];
for (const [x, y] of loader) batches.push([x.shape, x.tolist(), y.tolist()]);
console.log(JSON.stringify(batches));
`);
    expect(JSON.parse(out)).toEqual([
      [[4], [0, 1, 2, 3], [0, 1, 4, 9]],
      [[4], [4, 5, 6, 7], [16, 25, 36, 49]],
      [[2], [8, 9], [64, 81]],
    ]);
  });

  test('(b) @kindling/nn with @kindling/backend-cpu', () => {
    const dir = install('nn', ['@kindling/nn', '@kindling/backend-cpu'], NO_NATIVE);
    expect(installedTree(dir)).toEqual(['@kindling/autograd', '@kindling/backend-cpu', '@kindling/nn', '@kindling/tensor', 'node-addon-api']);
    // The user's own code imports the two packages it installed; a tensor comes from a layer's parameters.
    const out = smoke(dir, `
import { backendInfo } from '@kindling/backend-cpu';
import * as nn from '@kindling/nn';
const lin = new nn.Linear(3, 2);
nn.init.constant_(lin.weight, 0.5);
nn.init.zeros_(lin.bias);
const x = nn.init.constant_(new nn.Linear(3, 4).weight.detach(), 1).narrow(0, 0, 2); // ones(2, 3)
const y = nn.functional.relu(lin.forward(x));
y.sum().backward();
console.log(JSON.stringify({ shape: y.shape, y: y.tolist(), grad: lin.weight.grad.tolist(), native: backendInfo().native }));
`);
    const r = JSON.parse(out) as { shape: number[]; y: number[][]; grad: number[][]; native: boolean };
    expect(r.shape).toEqual([2, 2]);
    expect(r.y).toEqual([[1.5, 1.5], [1.5, 1.5]]); // 3 inputs of 1 × weight 0.5
    expect(r.grad).toEqual([[2, 2, 2], [2, 2, 2]]); // dL/dW = Σ over the 2 rows of x
    expect(r.native).toBe(false);
  });

  test('(c) kindling, with the native addon built from the tarball when a compiler is there', () => {
    const dir = install('kindling', ['kindling'], {});
    expect(installedTree(dir)).toEqual([
      '@kindling/autograd', '@kindling/backend-cpu', '@kindling/data', '@kindling/io', '@kindling/nn',
      '@kindling/optim', '@kindling/tensor', 'kindling', 'node-addon-api',
    ]);
    const out = smoke(dir, `
import * as torch from 'kindling';
import { backendInfo } from '@kindling/backend-cpu';
const { nn, optim } = torch;
torch.manualSeed(0);
const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
const x = torch.randn(16, 4);
const y = torch.randint(0, 3, [16]);
const losses = [];
for (let i = 0; i < 20; i++) {
  opt.zeroGrad();
  const loss = nn.functional.crossEntropy(model.forward(x), y);
  loss.backward();
  opt.step();
  losses.push(loss.item());
}
const bytes = torch.save(model.stateDict());
console.log(JSON.stringify({ first: losses[0], last: losses[19], saved: bytes.byteLength ?? bytes.length, info: backendInfo() }));
`);
    const r = JSON.parse(out) as { first: number; last: number; saved: number; info: { native: boolean; reason?: string } };
    expect(r.last).toBeLessThan(r.first);
    expect(r.saved).toBeGreaterThan(100);
    // The addon is optional: with a C++ toolchain it builds and loads from the installed package.
    // (node-gyp needs a C++ compiler, make and Python 3.)
    const hasCompiler = ['c++', 'make', 'python3'].every((tool) => spawnSync(tool, ['--version']).status === 0);
    if (hasCompiler) expect(r.info.native, JSON.stringify(r.info)).toBe(true);
  });
});
