// Shared by the io tests: where the fixtures are, and a comparison of loaded values against the
// descriptions scripts/io_describe.py writes (fixtures/io/manifest.json, or PyTorch's view of a file
// Kindling wrote).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { Tensor, type StorageRef } from '@kindling/tensor';
import { isOrderedDict, isTuple } from '../src/index.js';

export const FIXTURES = fileURLToPath(new URL('../../../fixtures/io/', import.meta.url));
export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(FIXTURES + name));
export const MANIFEST = JSON.parse(readFileSync(FIXTURES + 'manifest.json', 'utf8')) as Record<string, Desc>;

export type Desc = null | boolean | string | { [k: string]: unknown };

function decodeFloat(v: unknown): number {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (v === '-0') return -0;
  return v as number;
}

/** Storage identity must correspond one-to-one between the two sides. */
export class Storages {
  private byId = new Map<number, StorageRef>();
  private byRef = new Map<StorageRef, number>();
  check(id: number, ref: StorageRef, path: string): void {
    const a = this.byId.get(id);
    const b = this.byRef.get(ref);
    if (a === undefined && b === undefined) {
      this.byId.set(id, ref);
      this.byRef.set(ref, id);
      return;
    }
    expect(a === ref && b === id, `${path}: storage sharing differs (storage ${id})`).toBe(true);
  }
}

export function tensorValues(t: Tensor): unknown[] {
  const flat = Array.from(t.dataSync() as ArrayLike<number | bigint>);
  if (t.dtype === 'int64') return flat.map((v) => String(v));
  if (t.dtype === 'bool') return flat.map((v) => v !== 0);
  return flat;
}

/**
 * Expect the JS value `js` to be what the Python description `d` describes. `loaded`: js came from
 * `load`, so an OrderedDict in the description must be a marked one.
 */
export function expectMatches(js: unknown, d: Desc, opts: { loaded?: boolean } = {}): void {
  match(js, d, '$', new Storages(), opts.loaded ?? true);
}

function match(js: unknown, d: Desc, path: string, storages: Storages, loaded: boolean): void {
  const expectMatches = (j: unknown, e: Desc, p: string, s: Storages) => match(j, e, p, s, loaded);
  if (d === null) return void expect(js ?? null, path).toBe(null);
  if (typeof d === 'boolean' || typeof d === 'string') return void expect(js, path).toBe(d);
  if ('int' in d) {
    expect(typeof js === 'number' || typeof js === 'bigint', `${path}: int expected, got ${typeof js}`).toBe(true);
    return void expect(BigInt(js as number | bigint), path).toBe(BigInt(d['int'] as string));
  }
  if ('float' in d) return void expect(Object.is(js, decodeFloat(d['float'])), `${path}: ${String(js)} vs ${String(d['float'])}`).toBe(true);
  if ('bytes' in d) return void expect(Array.from(js as Uint8Array), path).toEqual(d['bytes']);
  if ('dtype' in d) return void expect(js, path).toBe(d['dtype']);
  if ('tuple' in d || 'list' in d) {
    const items = (d['tuple'] ?? d['list']) as Desc[];
    expect(Array.isArray(js), `${path}: array expected`).toBe(true);
    expect(isTuple(js), `${path}: tuple-ness`).toBe('tuple' in d);
    expect((js as unknown[]).length, path).toBe(items.length);
    items.forEach((x, i) => expectMatches((js as unknown[])[i], x, `${path}[${i}]`, storages));
    return;
  }
  if ('set' in d) {
    expect(js instanceof Set, `${path}: Set expected`).toBe(true);
    const want = (d['set'] as Desc[]).map((x) => String((x as { int?: string }).int ?? x));
    return void expect([...(js as Set<unknown>)].map(String).sort(), path).toEqual(want.sort());
  }
  if ('dict' in d) {
    const entries = d['dict'] as [Desc, Desc][];
    if (d['ordered'] && loaded) expect(isOrderedDict(js), `${path}: OrderedDict expected`).toBe(true);
    if (js instanceof Map) {
      expect(js.size, path).toBe(entries.length);
      const keys = [...js.keys()];
      entries.forEach(([k, v], i) => {
        expectMatches(keys[i], k, `${path}<key ${i}>`, storages);
        expectMatches(js.get(keys[i]), v, `${path}[${i}]`, storages);
      });
    } else {
      const obj = js as Record<string, unknown>;
      expect(Object.keys(obj).length, `${path}: number of keys`).toBe(entries.length);
      for (const [k, v] of entries) {
        const key = typeof k === 'string' ? k : String((k as { int: string }).int);
        expect(Object.prototype.hasOwnProperty.call(obj, key), `${path}: key ${key}`).toBe(true);
        expectMatches(obj[key], v, `${path}.${key}`, storages);
      }
      // Python's key order, except that JS puts integer-like keys first.
      const order = entries.map(([k]) => (typeof k === 'string' ? k : String((k as { int: string }).int)));
      const intLike = (k: string) => /^(0|[1-9]\d*)$/.test(k) && Number(k) < 2 ** 32 - 1;
      expect(Object.keys(obj), `${path}: key order`).toEqual([...order.filter(intLike).sort((a, b) => Number(a) - Number(b)), ...order.filter((k) => !intLike(k))]);
    }
    if (d['metadata'] !== undefined) expectMatches((js as { _metadata?: unknown })._metadata, d['metadata'] as Desc, `${path}._metadata`, storages);
    return;
  }
  if ('tensor' in d) {
    expect(js instanceof Tensor, `${path}: tensor expected`).toBe(true);
    const t = js as Tensor;
    expect(t.dtype, `${path}: dtype`).toBe(d['tensor']);
    expect([...t.shape], `${path}: shape`).toEqual(d['shape']);
    expect([...t._strides], `${path}: stride`).toEqual(d['stride']);
    expect(t._offset, `${path}: offset`).toBe(d['offset']);
    expect(t.requiresGrad, `${path}: requires_grad`).toBe(d['requires_grad']);
    storages.check(d['storage'] as number, t._ref, path);
    const want = d['values'] as unknown[];
    const got = tensorValues(t);
    expect(got.length, `${path}: numel`).toBe(want.length);
    got.forEach((g, i) => {
      const w = typeof want[i] === 'string' && t.dtype !== 'int64' ? decodeFloat(want[i]) : want[i];
      expect(Object.is(g, w), `${path}: element ${i}: ${String(g)} vs ${String(w)}`).toBe(true);
    });
    return;
  }
  throw new Error(`${path}: unknown description ${JSON.stringify(d).slice(0, 80)}`);
}
