/**
 * fixtures/data/*.json are written by scripts/gen_data_fixtures.py from PyTorch 1.13 (Debian's
 * python3-torch): the indices PyTorch's samplers, random_split and DataLoader draw for given seeds.
 * Every comparison is exact.
 */
import { readFileSync } from 'node:fs';

export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/data/${name}`, import.meta.url), 'utf8')) as T;
}

export interface ShuffleCase {
  kind: 'shuffle';
  seed: string;
  n: number;
  batchSize: number;
  dropLast: boolean;
  generator: boolean;
  numWorkers: number;
  epochs: number[][][];
  length: number;
  after: number[];
}
export interface LoaderFixture {
  cases: ({ kind: string } & Record<string, unknown>)[];
}
export const LOADER = fixture<LoaderFixture>('loader.json');
export const SHUFFLE = LOADER.cases.filter((c) => c.kind === 'shuffle') as unknown as ShuffleCase[];
export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
