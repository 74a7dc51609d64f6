// The runnable handbook's index: manifest.json lists every code block of the PyTorch handbook with the
// example file that is its TypeScript form. This checks that every block has its file, that every file
// is a real translation (it names its section and holds tests), and that no example is left out of the
// index. When the handbook itself is at hand ($HANDBOOK, or shared/handbook.md in the repository, as for
// scripts/gen-api-table.mjs), its blocks are counted and hashed against the manifest, so that a block
// added or changed in the handbook fails here until its example is updated.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

interface Entry {
  section: string;
  line: number;
  lang: string;
  sha256: string;
  file: string;
}
const here = dirname(fileURLToPath(import.meta.url));
const exampleDir = join(here, '..');
const repoRoot = join(exampleDir, '..', '..');
const manifest = JSON.parse(readFileSync(join(exampleDir, 'manifest.json'), 'utf8')) as { blocks: number; entries: Entry[] };
const handbookPath = process.env['HANDBOOK'] ?? join(repoRoot, 'shared', 'handbook.md');
const haveHandbook = existsSync(handbookPath);

/** The handbook's fenced blocks, each with the heading it sits under (### if any, else ##). */
function handbookBlocks(text: string): Omit<Entry, 'file'>[] {
  const blocks: Omit<Entry, 'file'>[] = [];
  let h2 = '';
  let h3 = '';
  let open: { section: string; line: number; lang: string; body: string[] } | null = null;
  text.split('\n').forEach((l, i) => {
    if (l.startsWith('```')) {
      if (!open) open = { section: h3 || h2, line: i + 1, lang: l.slice(3).trim() || 'text', body: [] };
      else {
        const sha256 = createHash('sha256').update(open.body.join('\n')).digest('hex').slice(0, 16);
        blocks.push({ section: open.section, line: open.line, lang: open.lang, sha256 });
        open = null;
      }
      return;
    }
    if (open) open.body.push(l);
    else if (l.startsWith('## ')) [h2, h3] = [l.slice(3), ''];
    else if (l.startsWith('### ')) h3 = l.slice(4);
  });
  return blocks;
}

describe('the runnable handbook covers every code block', () => {
  test('every block of the manifest has its example file, which names its section and holds tests', () => {
    expect(manifest.entries).toHaveLength(manifest.blocks);
    for (const e of manifest.entries) {
      const path = join(exampleDir, e.file);
      expect(existsSync(path), `${e.section}: ${e.file} is missing`).toBe(true);
      const source = readFileSync(path, 'utf8');
      const number = /^(\d+\.\d+) /.exec(e.section)?.[1];
      expect(source.split('\n')[0], e.file).toContain(`Handbook ${number ?? e.section}`);
      expect(source.match(/^\s*(test|it)\(/gm)?.length ?? 0, `${e.file} has no tests`).toBeGreaterThan(0);
    }
    console.log(`handbook: ${manifest.entries.length}/${manifest.blocks} code blocks covered, in ${new Set(manifest.entries.map((e) => e.file)).size} example files`);
  });

  test('every example file is in the manifest, once', () => {
    const files = readdirSync(here).filter((f) => f.endsWith('.test.ts') && f !== 'manifest.test.ts').map((f) => `test/${f}`).sort();
    expect([...manifest.entries.map((e) => e.file)].sort()).toEqual(files);
  });

  test.skipIf(!haveHandbook)('the manifest matches the handbook block for block (count, sections, text)', () => {
    const blocks = handbookBlocks(readFileSync(handbookPath, 'utf8'));
    expect(blocks.length).toBe(manifest.blocks);
    expect(blocks).toEqual(manifest.entries.map(({ file: _file, ...rest }) => rest));
  });
});

if (!haveHandbook) {
  console.warn(`handbook: ${handbookPath} not found (set HANDBOOK=path/to/handbook.md); the block-for-block comparison is skipped`);
}
