// Every publishable package (packages/*, not private) carries the metadata a registry page and a
// bundler need, so a package added later is held to the same standard. The release pipeline
// (changesets, independent versions) is checked here too.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const REPOSITORY = 'https://github.com/kindling-js/kindling';

interface PackageJson {
  name?: string;
  version?: string;
  private?: boolean;
  description?: string;
  keywords?: string[];
  license?: string;
  repository?: { type?: string; url?: string; directory?: string } | string;
  homepage?: string;
  type?: string;
  files?: string[];
  exports?: Record<string, unknown>;
  types?: string;
  main?: string;
  engines?: Record<string, string>;
  sideEffects?: boolean | string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const dirs = readdirSync(join(root, 'packages'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'packages', d.name, 'package.json')))
  .map((d) => d.name)
  .sort();
const manifests = dirs.map((dir) => ({
  dir,
  pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as PackageJson,
}));
const publishable = manifests.filter((m) => m.pkg.private !== true);

/** Is `path` (relative, e.g. ./dist/index.js) shipped by a `files` list? */
function shipped(files: string[], path: string): boolean {
  const p = path.replace(/^\.\//, '');
  return files.some((f) => {
    const entry = f.replace(/^\.\//, '').replace(/\/$/, '');
    return p === entry || p.startsWith(`${entry}/`);
  });
}

/** Every string leaf of an `exports` map, with the conditions leading to it. */
function exportTargets(value: unknown, conditions: string[] = []): Array<{ conditions: string[]; target: string }> {
  if (typeof value === 'string') return [{ conditions, target: value }];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => exportTargets(v, k.startsWith('.') ? conditions : [...conditions, k]));
  }
  return [];
}

test('the workspace has the expected publishable packages', () => {
  const names = publishable.map((m) => m.pkg.name);
  for (const name of ['@kindling/tensor', '@kindling/backend-cpu', '@kindling/autograd', '@kindling/nn', '@kindling/optim', '@kindling/data', '@kindling/io', 'kindling']) {
    expect(names).toContain(name);
  }
});

describe.each(publishable)('packages/$dir', ({ dir, pkg }) => {
  test('name, version, description, keywords, license', () => {
    expect(pkg.name).toMatch(dir === 'torch' ? /^kindling$/ : /^@kindling\/[a-z0-9-]+$/);
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
    expect(pkg.description?.length ?? 0).toBeGreaterThan(20);
    expect(Array.isArray(pkg.keywords) && pkg.keywords.length > 0).toBe(true);
    expect(pkg.license).toBe('MIT');
    expect(pkg.type).toBe('module');
  });

  test('repository points at this monorepo and the package folder', () => {
    const repo = pkg.repository;
    expect(typeof repo).toBe('object');
    if (typeof repo !== 'object') return;
    expect(repo.type).toBe('git');
    expect(repo.url?.replace(/^git\+/, '').replace(/\.git$/, '')).toBe(REPOSITORY);
    expect(repo.directory).toBe(`packages/${dir}`);
  });

  test('engines, exports, types and files agree', () => {
    expect(pkg.engines?.['node']).toMatch(/^>=\s*20/);
    expect(pkg.files && pkg.files.length > 0).toBe(true);
    const files = pkg.files ?? [];
    expect(pkg.exports && typeof pkg.exports === 'object').toBe(true);
    const targets = exportTargets(pkg.exports);
    const root = exportTargets((pkg.exports ?? {})['.']);
    expect(root.some((t) => t.conditions.includes('types'))).toBe(true);
    expect(root.some((t) => t.conditions.includes('import') || t.conditions.includes('default'))).toBe(true);
    for (const { target } of targets) expect(shipped(files, target), `${target} is not in files`).toBe(true);
    expect(pkg.types).toBeDefined();
    expect(shipped(files, pkg.types ?? ''), `${pkg.types} is not in files`).toBe(true);
  });

  test('sideEffects is declared; a backend, which registers itself on import, is never side-effect free', () => {
    expect(pkg.sideEffects === true || pkg.sideEffects === false || Array.isArray(pkg.sideEffects)).toBe(true);
    if (dir.startsWith('backend-')) expect(pkg.sideEffects).not.toBe(false);
  });

  test('install scripts only use files the package ships', () => {
    for (const hook of ['preinstall', 'install', 'postinstall']) {
      const script = pkg.scripts?.[hook];
      if (!script) continue;
      for (const word of script.split(/\s+/)) {
        if (/\.(mjs|cjs|js|gyp)$/.test(word)) expect(shipped(pkg.files ?? [], word), `${hook} needs ${word}`).toBe(true);
      }
    }
  });

  test('dependencies on other workspace packages are published as caret ranges', () => {
    const deps = { ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies };
    for (const [name, range] of Object.entries(deps)) {
      if (name === 'kindling' || name.startsWith('@kindling/')) expect(range, name).toBe('workspace:^');
    }
  });
});

describe('release pipeline', () => {
  test('changesets version every package independently, and never the private ones', () => {
    const config = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8')) as {
      fixed: unknown[]; linked: unknown[]; access: string; baseBranch: string; privatePackages?: { version?: boolean };
    };
    expect(config.fixed).toEqual([]);
    expect(config.linked).toEqual([]);
    expect(config.access).toBe('public');
    expect(config.baseBranch).toBe('main');
    expect(config.privatePackages?.version).toBe(false);
  });

  test('pending changesets name only packages of the workspace', () => {
    const names = new Set(manifests.map((m) => m.pkg.name));
    const dir = join(root, '.changeset');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
      const text = readFileSync(join(dir, file), 'utf8');
      const front = /^---\n([\s\S]*?)\n---/.exec(text);
      expect(front, file).not.toBeNull();
      for (const line of (front?.[1] ?? '').split('\n').filter((l) => l.trim())) {
        const m = /^["']?([^"':]+)["']?:\s*(major|minor|patch)$/.exec(line.trim());
        expect(m, `${file}: ${line}`).not.toBeNull();
        expect(names.has(m?.[1] ?? ''), `${file} names ${m?.[1]}`).toBe(true);
      }
    }
  });

  test('the release and test workflows exist and run the changesets action and the test command', () => {
    const release = readFileSync(join(root, '.github', 'workflows', 'release.yml'), 'utf8');
    expect(release).toMatch(/uses:\s*changesets\/action@/);
    expect(release).toMatch(/publish:\s*pnpm changeset publish/);
    const tests = readFileSync(join(root, '.github', 'workflows', 'test.yml'), 'utf8');
    expect(tests).toMatch(/\.ci\/run/);
  });
});
