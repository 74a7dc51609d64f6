// `changeset version` on a copy of the workspace's manifests: versions are independent (a changeset for
// one package bumps that package and writes its CHANGELOG.md, and nothing else), and the pending
// changesets in .changeset/ apply cleanly. The repository itself is never touched.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(root, 'node_modules', '@changesets', 'cli', 'bin.js');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
}

/** The workspace's package folders (pnpm-workspace.yaml's `dir/*` globs). */
function workspaceDirs(): string[] {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const globs = [...yaml.matchAll(/^\s+-\s+['"]?([\w./-]+)\/\*['"]?\s*$/gm)].map((m) => m[1]!);
  return globs.flatMap((g) => (existsSync(join(root, g)) ? readdirSync(join(root, g)).map((d) => `${g}/${d}`) : []))
    .filter((d) => existsSync(join(root, d, 'package.json')));
}

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** A copy of the workspace's manifests and changeset config, with `changesets` as the pending ones. */
function copyWorkspace(changesets: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-changeset-'));
  dirs.push(dir);
  for (const f of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(root, f), join(dir, f));
  for (const d of workspaceDirs()) {
    mkdirSync(join(dir, d), { recursive: true });
    cpSync(join(root, d, 'package.json'), join(dir, d, 'package.json'));
  }
  mkdirSync(join(dir, '.changeset'));
  cpSync(join(root, '.changeset', 'config.json'), join(dir, '.changeset', 'config.json'));
  for (const [name, text] of Object.entries(changesets)) writeFileSync(join(dir, '.changeset', name), text);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function version(dir: string): void {
  const r = spawnSync(process.execPath, [cli, 'version'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
}

function manifests(dir: string): Map<string, Manifest & { dir: string }> {
  return new Map(workspaceDirs().map((d) => {
    const m = JSON.parse(readFileSync(join(dir, d, 'package.json'), 'utf8')) as Manifest;
    return [m.name, { ...m, dir: d }];
  }));
}

const bumpPatch = (v: string) => v.replace(/^(\d+)\.(\d+)\.(\d+).*$/, (_, a, b, c) => `${a}.${b}.${Number(c) + 1}`);
const newer = (a: string, b: string) => {
  const [x, y] = [a, b].map((v) => v.split(/[.-]/).slice(0, 3).map(Number));
  for (let i = 0; i < 3; i++) if (x![i] !== y![i]) return x![i]! > y![i]!;
  return false;
};

describe('changeset version', () => {
  test('a changeset for one package bumps only that package, with its own changelog', () => {
    const before = manifests(root);
    const dir = copyWorkspace({ 'fix-optim.md': '---\n"@kindling/optim": patch\n---\n\nLBFGS: a fix.\n' });
    version(dir);
    const after = manifests(dir);
    for (const [name, m] of before) {
      if (name === '@kindling/optim') expect(after.get(name)!.version).toBe(bumpPatch(m.version));
      else expect(after.get(name)!.version, name).toBe(m.version);
    }
    const changelog = readFileSync(join(dir, before.get('@kindling/optim')!.dir, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toContain('# @kindling/optim');
    expect(changelog).toContain('LBFGS: a fix.');
    expect(existsSync(join(dir, before.get('@kindling/tensor')!.dir, 'CHANGELOG.md'))).toBe(false);
    expect(existsSync(join(dir, '.changeset', 'fix-optim.md'))).toBe(false); // consumed
  });

  test('the pending changesets apply: every package they name gets a newer version; private ones never change', () => {
    const pending = Object.fromEntries(readdirSync(join(root, '.changeset'))
      .filter((f) => f.endsWith('.md') && f !== 'README.md')
      .map((f) => [f, readFileSync(join(root, '.changeset', f), 'utf8')]));
    const named = new Set(Object.values(pending).flatMap((t) => [...(/^---\n([\s\S]*?)\n---/.exec(t)?.[1] ?? '').matchAll(/^["']?([^"':]+)["']?:/gm)].map((m) => m[1]!)));
    const before = manifests(root);
    const dir = copyWorkspace(pending);
    version(dir);
    const after = manifests(dir);
    for (const [name, m] of before) {
      const v = after.get(name)!.version;
      if (m.private) expect(v, name).toBe(m.version);
      else if (named.has(name)) expect(newer(v, m.version), `${name}: ${m.version} → ${v}`).toBe(true);
    }
  });
});
