// Shared by the optim tests: fixture loading (written by scripts/gen_optim_fixtures.py from
// PyTorch 1.13), decoding of PyTorch state dicts, the two test problems, and float comparisons.
import { readFileSync } from 'node:fs';
import '@kindling/backend-cpu';
import '@kindling/autograd';
import * as torch from '@kindling/tensor';
import type { Tensor } from '@kindling/tensor';
import type { StateValue } from '../src/index.js';
import { toCamel } from '../src/keys.js';

/** float32 trajectories: |a - e| <= ATOL + RTOL |e|, element by element, at every step. */
export const RTOL = 1e-5;
export const ATOL = 1e-6;
/** float64 trajectories (the LBFGS cases on non-convex problems): tighter. */
export const RTOL_F64 = 1e-7;
export const ATOL_F64 = 1e-9;

export function tolerances(dtype: 'float32' | 'float64' | undefined): { rtol: number; atol: number } {
  return dtype === 'float64' ? { rtol: RTOL_F64, atol: ATOL_F64 } : { rtol: RTOL, atol: ATOL };
}

export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/optim/${name}.json`, import.meta.url), 'utf8')) as T;
}

export interface ProblemTensor {
  shape: number[];
  values: number[];
}
export type Problems = Record<string, Record<string, ProblemTensor>>;

export interface OptimizerCase {
  id: string;
  optimizer: string;
  kwargs: Record<string, unknown>;
  problem: ProblemName;
  dtype?: 'float32' | 'float64';
  groups: ({ params: number[] } & Record<string, unknown>)[] | null;
  objective: 'min' | 'neg';
  unused_param: boolean;
  set_to_none: boolean;
  manual_lr: Record<string, number>;
  scheduler: { name: string; kwargs: Record<string, unknown> } | null;
  initial: number[][];
  trajectory: number[][][];
  losses: number[];
  state_dict_step: number;
  state_dict: EncodedStateDict;
}
export interface OptimizerFixture {
  torch_version: string;
  steps: number;
  problems: Problems;
  cases: OptimizerCase[];
}
export type EncodedStateDict = { state: Record<string, Record<string, unknown>>; param_groups: Record<string, unknown>[] };

export const UNUSED = [0.5, -0.5, 0.25];

/** Python kwargs (snake_case) → Kindling options (camelCase); Python tuples arrive as arrays. */
export function camelOptions(kwargs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [toCamel(k), v]));
}

/** A fixture value back to what PyTorch had: tagged tensors become tensors, "inf" becomes Infinity. */
export function decode(v: unknown): StateValue {
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (v === 'nan') return NaN;
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('dtype' in o && 'shape' in o && 'data' in o) {
      const t = torch.tensor(decodeNumbers(o['data']) as number, { dtype: o['dtype'] as torch.DType });
      return t;
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x)]));
  }
  return v as StateValue;
}

function decodeNumbers(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeNumbers);
  return decode(v);
}

/** The problem's params as float32 leaves that require grad. */
export type ProblemName = 'mlp' | 'rosenbrock' | 'quadratic';

/** The problem's params as leaves that require grad. */
export function problemParams(problems: Problems, name: ProblemName, dtype: 'float32' | 'float64' = 'float32'): Tensor[] {
  const keys = name === 'mlp' ? ['W1', 'b1', 'W2', 'b2'] : ['p'];
  return keys.map((k) => {
    const p = problems[name]![k]!;
    return torch.tensor(p.values, { dtype: 'float32' }).reshape(p.shape).to(dtype).detach().requiresGrad_(true);
  });
}

/** The same losses as the generator, in Kindling ops. */
export function makeLoss(problems: Problems, name: ProblemName, dtype: 'float32' | 'float64' = 'float32'): (ps: Tensor[]) => Tensor {
  const c = (k: string) => torch.tensor(problems[name]![k]!.values, { dtype: 'float32' }).reshape(problems[name]![k]!.shape).to(dtype);
  if (name === 'quadratic') {
    const A = c('A');
    const b = c('b');
    return ([p]) => A.matmul(p!).sub(b).pow(2).sum().mul(0.5).add(p!.pow(2).sum().mul(0.05));
  }
  if (name === 'mlp') {
    const x = c('x');
    const y = c('y');
    return ([W1, b1, W2, b2]) => {
      const h = x.matmul(W1!.t()).add(b1!).tanh();
      return h.matmul(W2!.t()).add(b2!).sub(y).pow(2).mean();
    };
  }
  return ([p]) => {
    const p0 = p!.select(0, 0);
    const p1 = p!.select(0, 1);
    return p0.neg().add(1).pow(2).add(p1.sub(p0.pow(2)).pow(2).mul(100));
  };
}

export function flat(t: Tensor): number[] {
  return Array.from(t.detach().reshape(-1).dataSync() as Float32Array | Float64Array, Number);
}

/** The first element outside rtol/atol, described; null when all are close. */
export function mismatch(actual: readonly number[], expected: readonly number[], rtol = RTOL, atol = ATOL): string | null {
  if (actual.length !== expected.length) return `length ${actual.length} != ${expected.length}`;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(a) !== Number.isNaN(e) || Math.abs(a - e) > atol + rtol * Math.abs(e)) {
      return `element ${i}: got ${a}, PyTorch ${e} (|diff| ${Math.abs(a - e).toExponential(2)})`;
    }
  }
  return null;
}
