// Reading fixtures/nn/*.json (written by scripts/gen_nn_fixtures.py from PyTorch 1.13) and comparing
// Kindling's tensors with them.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import * as torch from '@kindling/tensor';
import type { DType, Tensor } from '@kindling/tensor';
import { TOLERANCES } from './tolerance.js';

export type Encoded = number | string | boolean;
export interface TensorSpec {
  dtype: DType;
  shape: number[];
  values?: Encoded[];
  /** Large tensors: the first values and two float64 checksums (Σv, Σv·(i % 97 + 1), left to right). */
  head?: number[];
  checksum?: [number, number];
}
export type Arg = Encoded | null | Arg[] | { tensor: TensorSpec } | { dtype: DType } | { [k: string]: Arg };

export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../../../fixtures/nn/${name}.json`, import.meta.url), 'utf8')) as T;
}

export function decodeFloat(v: Encoded): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return Number(v);
}

/** A fixture tensor as a Kindling tensor (values exact). */
export function decodeTensor(spec: TensorSpec): Tensor {
  if (!spec.values) throw new Error('summarized tensor specs cannot be decoded');
  const dtype = spec.dtype;
  const values = spec.values.map((v) => (dtype === 'bool' ? Boolean(v) : dtype === 'int64' ? BigInt(v as number) : decodeFloat(v)));
  return torch.tensor(values as never, { dtype }).reshape(spec.shape);
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** A fixture argument: tensors, dtypes, lists and option objects (snake_case keys camelCased). */
export function decodeArg(a: Arg): unknown {
  if (Array.isArray(a)) return a.map(decodeArg);
  if (isObj(a)) {
    if ('tensor' in a) return decodeTensor(a['tensor'] as TensorSpec);
    if ('dtype' in a && Object.keys(a).length === 1) return a['dtype'];
    return decodeKwargs(a as Record<string, Arg>);
  }
  if (a === 'nan' || a === 'inf' || a === '-inf') return decodeFloat(a);
  return a;
}
export const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
export function decodeKwargs(kw: Record<string, Arg>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(kw).map(([k, v]) => [camel(k), decodeArg(v)]));
}
/** Positional args, then the kwargs as Kindling's trailing options object (when there are any). */
export function callArgs(args: Arg[], kwargs: Record<string, Arg> | undefined): unknown[] {
  const out = args.map(decodeArg);
  if (kwargs && Object.keys(kwargs).length > 0) out.push(decodeKwargs(kwargs));
  return out;
}

function formatIndex(i: number, shape: readonly number[]): string {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(i % shape[d]!);
    i = Math.floor(i / shape[d]!);
  }
  return `[${idx.join(', ')}]`;
}

/** Compare with the dtype's tolerance (NaN equals NaN, infinities must match); integers and bools exactly. */
export function expectTensor(actual: unknown, spec: TensorSpec, label: string, exact = false): void {
  expect(actual, `${label}: expected a tensor`).toBeInstanceOf(torch.Tensor);
  const t = actual as Tensor;
  expect(t.shape, `${label}: shape`).toEqual(spec.shape);
  expect(t.dtype, `${label}: dtype`).toBe(spec.dtype);
  const got = (t.contiguous().dataSync() as ArrayLike<number | bigint | boolean>);
  if (spec.checksum) {
    const vals = Array.from(got as ArrayLike<number>, Number);
    expect(vals.slice(0, spec.head!.length), `${label}: first values`).toEqual(spec.head);
    let s1 = 0;
    let s2 = 0;
    vals.forEach((v, i) => {
      s1 += v;
      s2 += v * ((i % 97) + 1);
    });
    expect([s1, s2], `${label}: checksums`).toEqual(spec.checksum);
    return;
  }
  const values = spec.values!;
  const tol = exact ? { rtol: 0, atol: 0 } : TOLERANCES[spec.dtype];
  const bad: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const g = got[i]!;
    if (spec.dtype === 'bool' || spec.dtype.startsWith('int') || spec.dtype === 'uint8') {
      if (Number(g) !== Number(values[i])) bad.push(`${formatIndex(i, spec.shape)}: got ${String(g)}, expected ${String(values[i])}`);
      continue;
    }
    const e = decodeFloat(values[i]!);
    const a = Number(g);
    const ok = Number.isNaN(e) ? Number.isNaN(a) : !Number.isFinite(e) ? a === e : Math.abs(a - e) <= tol!.atol + tol!.rtol * Math.abs(e);
    if (!ok) bad.push(`${formatIndex(i, spec.shape)}: got ${a}, expected ${e} (diff ${Math.abs(a - e).toExponential(2)})`);
  }
  if (bad.length) throw new Error(`${label}: ${bad.length} of ${values.length} values differ beyond tolerance:\n  ${bad.slice(0, 8).join('\n  ')}`);
}
