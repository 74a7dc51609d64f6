// Reading fixtures/conformance/*.json (written by scripts/gen_fixtures.py from PyTorch 1.13) and
// comparing Kindling's answers with them. The tolerances live here, in one place.
import { readdirSync, readFileSync } from 'node:fs';
import * as torch from '@kindling/tensor';
import type { DType, Tensor } from '@kindling/tensor';

/**
 * Per-dtype tolerances: |actual − expected| ≤ atol + rtol·|expected|. Integers and bools compare
 * exactly; NaN equals NaN; infinities and the sign of zero must match. Never widen these to make a
 * case pass: fix the kernel.
 */
export const TOLERANCES: Partial<Record<DType, { rtol: number; atol: number }>> = {
  float32: { rtol: 1.3e-6, atol: 1e-5 },
  float64: { rtol: 1e-7, atol: 1e-7 },
  float16: { rtol: 1e-3, atol: 1e-5 },
  bfloat16: { rtol: 1.6e-2, atol: 1e-5 },
};

export type Encoded = number | string | boolean;
export interface TensorSpec {
  dtype: DType;
  shape: number[];
  /** Row-major values (null: not compared, e.g. torch.empty). */
  values?: Encoded[] | null;
  /** A non-contiguous view: the whole storage and the view's layout. */
  storage?: Encoded[];
  stride?: number[];
  offset?: number;
}
export type Expected =
  | { tensor: TensorSpec }
  | { tuple: TensorSpec[] }
  /** A list of tensors: split, unbind, unique(return_inverse=…), nonzero(as_tuple=True). */
  | { tensors: TensorSpec[] }
  | { scalar: Encoded; kind: 'bool' | 'int' | 'float' }
  | { string: string }
  | { list: unknown }
  | { array: TensorSpec }
  | { error: { type: string; message: string; match?: string } };
export interface Case {
  id: string;
  api: string;
  inputs: TensorSpec[];
  args: unknown[];
  kwargs?: Record<string, unknown>;
  expected: Expected;
  alias?: number;
  view?: number;
  after?: Record<string, Encoded[]>;
}
export interface Area {
  area: string;
  torch: string;
  cases: Case[];
}

const DIR = new URL('../fixtures/conformance/', import.meta.url);

export function loadAreas(): Area[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(new URL(f, DIR), 'utf8')) as Area);
}

/** A float written by the generator: a number, or "nan", "inf", "-inf", "-0". */
export function decodeFloat(v: Encoded): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  switch (v) {
    case 'nan': return NaN;
    case 'inf': return Infinity;
    case '-inf': return -Infinity;
    case '-0': return -0;
  }
  return Number(v);
}

/** An element as torch.tensor takes it: bigint for int64, boolean for bool, numbers otherwise. */
export function decodeElement(v: Encoded, dtype: DType): torch.Scalar {
  if (dtype === 'int64') return BigInt(v as number | string);
  if (dtype === 'bool') return Boolean(v);
  return decodeFloat(v);
}

/** A built input: the tensor the API receives, and the storage tensor it views (if it is a view). */
export interface Built {
  tensor: Tensor;
  storage: Tensor | null;
}

export function buildInput(spec: TensorSpec, device: string): Built {
  const opts = { dtype: spec.dtype, device };
  if (spec.storage) {
    const storage = torch.tensor(spec.storage.map((v) => decodeElement(v, spec.dtype)), opts);
    return { tensor: storage.asStrided(spec.shape, spec.stride!, spec.offset!), storage };
  }
  const flat = torch.tensor(spec.values!.map((v) => decodeElement(v, spec.dtype)), opts);
  return { tensor: flat.reshape(spec.shape), storage: null };
}

/** Arguments with tensor references, bigints, special floats and the device resolved. */
export function decodeArg(x: unknown, inputs: readonly Tensor[], device: string): unknown {
  if (Array.isArray(x)) return x.map((v) => decodeArg(v, inputs, device));
  if (x !== null && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    if ('$tensor' in o) return inputs[o['$tensor'] as number];
    if ('$int' in o) return BigInt(o['$int'] as string);
    if ('$float' in o) return decodeFloat(o['$float'] as string);
    if ('$device' in o) return device;
    if ('$slice' in o) return torch.slice(...(o['$slice'] as [number | null, number | null, number | null]));
    if ('$array' in o) {
      const a = o['$array'] as TensorSpec;
      // encodeElements makes the typed array of the dtype (int64 as BigInt64Array, bool as Uint8Array).
      const values = a.values!.map((v) => decodeElement(v, a.dtype));
      return { data: torch.encodeElements(values, a.dtype), shape: a.shape };
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decodeArg(v, inputs, device)]));
  }
  return x;
}

/** Why `actual` is not `expected` (an element of `dtype`), or null when it is close enough. */
export function elementMismatch(actual: number | bigint, expected: Encoded, dtype: DType): string | null {
  if (dtype === 'int64') return BigInt(actual) === BigInt(expected as number | string) ? null : `${actual} ≠ ${expected}`;
  if (dtype === 'bool') return Boolean(actual) === expected ? null : `${Boolean(actual)} ≠ ${expected}`;
  const a = Number(actual);
  const e = decodeFloat(expected);
  const tol = TOLERANCES[dtype];
  if (Number.isNaN(e)) return Number.isNaN(a) ? null : `${a} ≠ NaN`;
  if (!tol || !Number.isFinite(e)) return Object.is(a, e) || (a === e && e !== 0) ? null : `${fmt(a)} ≠ ${fmt(e)}`;
  if (e === 0 && a === 0) return Object.is(a, e) ? null : `${fmt(a)} ≠ ${fmt(e)} (sign of zero)`;
  return Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e) ? null : `${fmt(a)} ≠ ${fmt(e)}`;
}

function fmt(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

/** Compare a flat list of values; returns a description of the first few mismatches, or null. */
export function valuesMismatch(actual: ArrayLike<number | bigint>, expected: readonly Encoded[], dtype: DType): string | null {
  if (actual.length !== expected.length) return `${actual.length} values, expected ${expected.length}`;
  const bad: string[] = [];
  for (let i = 0; i < expected.length && bad.length < 4; i++) {
    const why = elementMismatch(actual[i]!, expected[i]!, dtype);
    if (why) bad.push(`[${i}] ${why}`);
  }
  return bad.length ? bad.join('; ') : null;
}

/** Values of a tensor on any device, as numbers (bigint for int64). */
export async function readValues(t: Tensor): Promise<ArrayLike<number | bigint>> {
  return (await t.data()) as ArrayLike<number | bigint>;
}

export async function tensorMismatch(t: unknown, spec: TensorSpec): Promise<string | null> {
  if (!torch.isTensor(t)) return `expected a tensor, got ${describe(t)}`;
  if (t.dtype !== spec.dtype) return `dtype ${t.dtype}, expected ${spec.dtype}`;
  if (t.shape.length !== spec.shape.length || t.shape.some((s, i) => s !== spec.shape[i])) {
    return `shape [${t.shape.join(', ')}], expected [${spec.shape.join(', ')}]`;
  }
  if (spec.values === null || spec.values === undefined) return null;
  return valuesMismatch(await readValues(t), spec.values, spec.dtype);
}

export function describe(x: unknown): string {
  if (torch.isTensor(x)) return `tensor ${x.dtype}[${x.shape.join(', ')}]`;
  if (typeof x === 'bigint') return `${x}n`;
  try {
    return JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(x);
  } catch {
    return String(x);
  }
}

/** A typed array from numpy(): the array type of the dtype, flat values. */
export function arrayMismatch(actual: unknown, spec: TensorSpec): string | null {
  const Ctor = torch.typedArrayFor(spec.dtype);
  if (!(actual instanceof Ctor)) return `expected a ${Ctor.name}, got ${describe(actual)}`;
  return valuesMismatch(actual as ArrayLike<number | bigint>, spec.values!, spec.dtype);
}

/** Deep comparison of tolist()/size() results with the generator's encoding (exact; NaN equals NaN). */
export function listMismatch(actual: unknown, expected: unknown, path = ''): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected a list, got ${describe(actual)}`;
    if (actual.length !== expected.length) return `${path}: length ${actual.length}, expected ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const why = listMismatch(actual[i], expected[i], `${path}[${i}]`);
      if (why) return why;
    }
    return null;
  }
  return scalarMismatch(actual, expected as Encoded) && `${path}: ${scalarMismatch(actual, expected as Encoded)}`;
}

/** Python scalars (item(), equal(), allclose(), list elements): same kind and exactly the same value. */
export function scalarMismatch(actual: unknown, expected: Encoded): string | null {
  if (typeof expected === 'boolean') return actual === expected ? null : `${describe(actual)} ≠ ${expected}`;
  if (typeof expected === 'string' && !['nan', 'inf', '-inf', '-0'].includes(expected)) {
    // An integer beyond 2**53: Kindling gives a bigint.
    return typeof actual === 'bigint' && actual === BigInt(expected) ? null : `${describe(actual)} ≠ ${expected}`;
  }
  const e = decodeFloat(expected);
  if (typeof actual !== 'number') return `${describe(actual)} ≠ ${expected}`;
  return Object.is(actual, e) || (actual === e && e !== 0) ? null : `${fmt(actual)} ≠ ${fmt(e)}`;
}
