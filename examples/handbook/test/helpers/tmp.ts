// A fresh temporary directory per test file, for the handbook's file names ('model_weights.pth', …).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export function tempDir(): (name: string) => string {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-handbook-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (name) => join(dir, name);
}
