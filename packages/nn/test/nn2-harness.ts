// Runs the golden cases of fixtures/nn2/*.json (scripts/gen_nn2_fixtures.py, PyTorch 1.13) against
// Kindling: build the module (or call the F function), load PyTorch's state dict, run the forward on
// the same inputs, compare every output, backpropagate the same upstream gradients and compare the
// input and parameter gradients.
//
// Tolerances (per dtype, never widened to make a case pass): |actual − expected| ≤ atol + rtol·|expected|
//   float32: rtol 1.3e-6, atol 1e-5      float64: rtol 1e-7, atol 1e-7      integer and bool: exact.
// A large tensor is recorded as a sample (every stride-th value, compared with the same tolerance)
// plus its sum, which must agree within the sum of the per-element tolerances (n·atol + rtol·Σ|v|).
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import * as torch from '@kindling/tensor';
import type { DType, Tensor } from '@kindling/tensor';
import { Module } from '../src/index.js';
import * as nn from '../src/index.js';

export const TOL: Record<string, { rtol: number; atol: number }> = {
  float32: { rtol: 1.3e-6, atol: 1e-5 },
  float64: { rtol: 1e-7, atol: 1e-7 },
};

export type Encoded = number | string | boolean;
export interface TensorSpec {
  dtype: DType;
  shape: number[];
  values?: Encoded[];
  stride?: number;
  sample?: number[];
  sum?: number;
  asum?: number;
}
export type Arg = Encoded | null | Arg[] | { tensor: TensorSpec; grad?: boolean } | { packed: (TensorSpec | null)[]; grad?: boolean } | { dtype: DType } | { [k: string]: Arg };

export interface Case {
  id: string;
  module?: string | Arg;
  fn?: string;
  args?: Arg[];
  kwargs?: Record<string, Arg>;
  state?: Record<string, TensorSpec>;
  state_seed?: [number, number];
  train?: boolean;
  seed?: number;
  inputs: Arg[];
  fkwargs?: Record<string, Arg>;
  outputs: (TensorSpec | null)[];
  grad_outputs?: Record<string, TensorSpec>;
  grads?: (TensorSpec | null)[];
  param_grads?: Record<string, TensorSpec | null>;
  state_after?: Record<string, TensorSpec>;
  message?: string;
  repr?: string;
}
export interface FixtureFile {
  area: string;
  torch: string;
  cases: Case[];
}

export function loadFixture(name: string): FixtureFile {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/nn2/${name}.json`, import.meta.url), 'utf8')) as FixtureFile;
}

export function decodeFloat(v: Encoded): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return Number(v);
}

export function decodeTensor(spec: TensorSpec): Tensor {
  if (!spec.values) throw new Error('a sampled tensor spec cannot be decoded');
  const dtype = spec.dtype;
  const values = spec.values.map((v) => (dtype === 'bool' ? Boolean(v) : dtype === 'int64' ? BigInt(v as number) : decodeFloat(v)));
  return torch.tensor(values as never, { dtype }).reshape(spec.shape);
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function isObj(a: unknown): a is Record<string, unknown> {
  return a !== null && typeof a === 'object' && !Array.isArray(a);
}

/**
 * Decodes arguments; tensors marked `grad` become leaves requiring grad, collected in order. An
 * argument written with an `id` and later referenced as `{ref: id}` is the same object both times.
 */
export function decodeArg(a: Arg, leaves: Tensor[], memo: Map<number, unknown> = new Map()): unknown {
  if (Array.isArray(a)) return a.map((x) => decodeArg(x, leaves, memo));
  if (isObj(a)) {
    if ('ref' in a) return memo.get(a['ref'] as number);
    const id = (a as Record<string, unknown>)['id'];
    const remember = <T>(v: T): T => {
      if (typeof id === 'number') memo.set(id, v);
      return v;
    };
    if ('tensor' in a) {
      const t = decodeTensor(a['tensor'] as TensorSpec);
      if (a['grad']) {
        t.requiresGrad_(true);
        leaves.push(t);
      }
      return remember(t);
    }
    if ('packed' in a) {
      const [data, bs, sorted, unsorted] = (a['packed'] as (TensorSpec | null)[]).map((s) => (s ? decodeTensor(s) : null));
      if (a['grad']) {
        data!.requiresGrad_(true);
        leaves.push(data!);
      }
      return remember(new nn.utils.rnn.PackedSequence(data!, bs!, sorted, unsorted));
    }
    if ('module' in a && typeof a['module'] === 'string') return construct(a['module'], (a['args'] ?? []) as Arg[], (a['kwargs'] ?? {}) as Record<string, Arg>);
    if ('dtype' in a && Object.keys(a).length === 1) return a['dtype'];
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(a)) out[camel(k)] = decodeArg(v as Arg, leaves, memo);
    return out;
  }
  if (typeof a === 'string' && (a === 'nan' || a === 'inf' || a === '-inf')) return decodeFloat(a);
  return a;
}

/** Outputs in order: tuples flattened, a PackedSequence as its four tensors. */
export function flattenOutputs(out: unknown): (Tensor | null)[] {
  if (out instanceof nn.utils.rnn.PackedSequence) return [out.data, out.batchSizes, out.sortedIndices, out.unsortedIndices];
  if (out instanceof torch.Tensor) return [out];
  if (out === null || out === undefined) return [null];
  if (Array.isArray(out)) return out.flatMap((o) => flattenOutputs(o));
  throw new Error(`unexpected output ${String(out)}`);
}

/** Compare a tensor with a fixture spec under the dtype's tolerance. */
export function expectClose(actual: Tensor | null | undefined, spec: TensorSpec | null | undefined, label: string): void {
  if (spec === null || spec === undefined) {
    expect(actual ?? null, `${label}: expected None`).toBeNull();
    return;
  }
  expect(actual, `${label}: missing`).toBeTruthy();
  const a = actual!;
  expect(a.shape, `${label}: shape`).toEqual(spec.shape);
  expect(a.dtype, `${label}: dtype`).toBe(spec.dtype);
  const flat = a.detach().contiguous().reshape([-1]);
  const tol = TOL[spec.dtype];
  if (!tol) {
    const got = flat.tolist() as unknown[];
    const want = spec.values!.map((v) => (spec.dtype === 'int64' ? Number(v) : spec.dtype === 'bool' ? Boolean(v) : v));
    expect(got.map((v) => (typeof v === 'bigint' ? Number(v) : v)), `${label}: values`).toEqual(want);
    return;
  }
  const got = Array.from(flat.double().dataSync() as Float64Array);
  const check = (g: number, w: number, i: number) => {
    if (Number.isNaN(w)) {
      if (!Number.isNaN(g)) throw new Error(`${label}: element ${i}: expected nan, got ${g}`);
      return;
    }
    if (!Number.isFinite(w)) {
      if (g !== w) throw new Error(`${label}: element ${i}: expected ${w}, got ${g}`);
      return;
    }
    const err = Math.abs(g - w);
    if (!(err <= tol.atol + tol.rtol * Math.abs(w))) {
      throw new Error(`${label}: element ${i} of ${got.length}: expected ${w}, got ${g} (|diff| ${err.toExponential(3)} > atol ${tol.atol} + rtol ${tol.rtol}·|expected|)`);
    }
  };
  if (spec.values) {
    spec.values.forEach((v, i) => check(got[i]!, decodeFloat(v), i));
    return;
  }
  const stride = spec.stride!;
  spec.sample!.forEach((w, j) => check(got[j * stride]!, w, j * stride));
  let s = 0;
  for (const v of got) s += v;
  const bound = got.length * tol.atol + tol.rtol * spec.asum!;
  if (!(Math.abs(s - spec.sum!) <= bound)) throw new Error(`${label}: sum ${s} vs expected ${spec.sum} (bound ${bound})`);
}

/** Deterministic parameters, as the generator's `seeded_state`: randn(shape, generator) · scale in namedParameters order. */
export function seededStateDict(m: Module, seed: number, scale: number): Record<string, Tensor> {
  const g = new torch.Generator().manualSeed(seed);
  const sd: Record<string, Tensor> = { ...m.stateDict() };
  for (const [name, p] of m.namedParameters()) sd[name] = torch.randn([...p.shape], { generator: g, dtype: p.dtype }).mul(scale);
  return sd;
}

type Ctor = new (...args: unknown[]) => Module;

/** `new nn[name](...args, kwargs)`, with PyTorch's snake_case keyword names camelCased. */
function construct(name: string, args: Arg[], kwargs: Record<string, Arg>): Module {
  const cls = (nn as unknown as Record<string, Ctor>)[name];
  if (!cls) throw new Error(`no nn.${name}`);
  const a = args.map((x) => decodeArg(x, []));
  const kw = decodeArg(kwargs, []) as Record<string, unknown>;
  return Object.keys(kw).length ? new cls(...a, kw) : new cls(...a);
}

/** Build the case's module (or use `build` for models defined in the test), with PyTorch's weights. */
export function buildModule(c: Case, build?: () => Module): Module {
  const m = build ? build() : construct(c.module as string, c.args ?? [], c.kwargs ?? {});
  if (c.state) {
    const sd: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(c.state)) sd[k] = decodeTensor(v);
    m.loadStateDict(sd);
  } else if (c.state_seed) {
    m.loadStateDict(seededStateDict(m, c.state_seed[0], c.state_seed[1]));
  }
  m.train(c.train ?? true);
  return m;
}

/** Forward, compare outputs, backward with the recorded upstream grads, compare grads. */
export function runCase(c: Case, opts?: { build?: () => Module; call?: (...a: unknown[]) => unknown }): void {
  const leaves: Tensor[] = [];
  let out: unknown;
  let m: Module | null = null;
  if (c.module) {
    m = buildModule(c, opts?.build);
    const memo = new Map<number, unknown>();
    const inputs = c.inputs.map((a) => decodeArg(a, leaves, memo));
    const fk = decodeArg(c.fkwargs ?? {}, leaves, memo) as Record<string, unknown>;
    if (c.seed !== undefined) torch.manualSeed(c.seed);
    out = Object.keys(fk).length ? m.forward(...inputs, fk) : m.forward(...inputs);
  } else {
    const fname = camel(c.fn!);
    const fn = opts?.call ?? (nn.functional as unknown as Record<string, (...a: unknown[]) => unknown>)[fname];
    if (!fn) throw new Error(`no F.${fname}`);
    const memo = new Map<number, unknown>();
    const inputs = c.inputs.map((a) => decodeArg(a, leaves, memo));
    const kw = decodeArg(c.kwargs ?? {}, leaves, memo) as Record<string, unknown>;
    if (c.seed !== undefined) torch.manualSeed(c.seed);
    out = Object.keys(kw).length ? fn(...inputs, kw) : fn(...inputs);
  }
  const outs = flattenOutputs(out);
  expect(outs.length, `${c.id}: number of outputs`).toBe(c.outputs.length);
  outs.forEach((o, i) => expectClose(o, c.outputs[i], `${c.id}: output ${i}`));
  if (!c.grad_outputs) return;
  let loss: Tensor | null = null;
  for (const [k, g] of Object.entries(c.grad_outputs)) {
    const term = outs[Number(k)]!.mul(decodeTensor(g)).sum();
    loss = loss ? loss.add(term) : term;
  }
  loss!.backward();
  (c.grads ?? []).forEach((g, i) => expectClose(leaves[i]!.grad, g, `${c.id}: grad of input ${i}`));
  if (c.param_grads && m) {
    const params = new Map(m.namedParameters());
    for (const [name, g] of Object.entries(c.param_grads)) {
      const p = params.get(name);
      expect(p, `${c.id}: parameter ${name}`).toBeTruthy();
      expectClose(p!.grad, g, `${c.id}: grad of ${name}`);
    }
    expect([...params.keys()].filter((k) => params.get(k)!.requiresGrad).sort(), `${c.id}: parameter names`).toEqual(Object.keys(c.param_grads).sort());
  }
  if (c.state_after && m) {
    const sd = m.stateDict();
    for (const [k, v] of Object.entries(c.state_after)) expectClose(sd[k], v, `${c.id}: state after, ${k}`);
  }
}
