// Runs one recorded module or functional case (see scripts/nn_fixture_lib.py) and checks every recorded
// value: output, input gradients, parameter gradients, and the state after the call.
import { expect } from 'vitest';
import * as torch from '@kindling/tensor';
import type { Tensor } from '@kindling/tensor';
import * as nn from '../../src/index.js';
import { type Arg, type TensorSpec, callArgs, camel, decodeArg, decodeTensor, expectTensor } from './fixtures.js';

export interface InputSpec {
  tensor?: TensorSpec;
  grad?: boolean;
  clone?: boolean;
  value?: Arg;
}
interface Recorded {
  id: string;
  inputs: InputSpec[];
  seed?: number;
  inplace?: boolean;
  output: TensorSpec;
  grad_output?: TensorSpec;
  grads?: Record<string, TensorSpec | null>;
}
export interface ModuleCase extends Recorded {
  module: string;
  args: Arg[];
  kwargs: Record<string, Arg>;
  factory?: string;
  construct_seed?: number;
  state?: Record<string, TensorSpec>;
  pre?: { train: boolean; inputs: InputSpec[] }[];
  train: boolean;
  param_grads?: Record<string, TensorSpec | null>;
  state_after: Record<string, TensorSpec>;
}
export interface FunctionalCase extends Recorded {
  fn: string;
  args: (Arg | InputSpec)[];
  kwargs: Record<string, Arg | InputSpec>;
  after?: Record<string, TensorSpec>;
  kwarg_grads?: Record<string, TensorSpec | null>;
}

/** A leaf tensor (requiring grad when recorded so), or a plain argument. */
function leaf(spec: InputSpec): unknown {
  if (spec.tensor) {
    const t = decodeTensor(spec.tensor);
    return spec.grad ? t.requiresGrad_(true) : t;
  }
  return decodeArg(spec.value ?? null);
}

type Ctor = new (...a: unknown[]) => nn.Module;

export function buildModule(c: { module: string; args: Arg[]; kwargs: Record<string, Arg>; factory?: string | null }): nn.Module {
  const cls = (nn as unknown as Record<string, Ctor>)[c.module];
  if (!cls) throw new Error(`nn.${c.module} is missing`);
  const args = callArgs(c.args, c.kwargs);
  if (c.factory) {
    const f = (cls as unknown as Record<string, (...a: unknown[]) => nn.Module>)[camel(c.factory).replace(/_$/, '')];
    if (!f) throw new Error(`nn.${c.module}.${camel(c.factory)} is missing`);
    return f(...args);
  }
  return new cls(...args);
}

function backwardAndCheck(c: Recorded, out: Tensor, leaves: unknown[]): void {
  expectTensor(out, c.output, `${c.id}: output`);
  if (!c.grads && !('param_grads' in c) && !('kwarg_grads' in c)) return;
  if (c.grad_output) out.backward(decodeTensor(c.grad_output));
  else out.backward();
  for (const [i, g] of Object.entries(c.grads ?? {})) {
    const t = leaves[Number(i)] as Tensor;
    if (g === null) expect(t.grad, `${c.id}: grad of input ${i}`).toBeNull();
    else expectTensor(t.grad, g, `${c.id}: grad of input ${i}`);
  }
}

export function runModuleCase(c: ModuleCase): void {
  if (c.construct_seed !== undefined) torch.manualSeed(c.construct_seed);
  const m = buildModule(c);
  if (c.state) m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decodeTensor(v)])));
  for (const p of c.pre ?? []) {
    m.train(p.train);
    m.forward(...p.inputs.map(leaf));
  }
  m.train(c.train);
  const leaves = c.inputs.map(leaf);
  const fed = leaves.map((l, i) => (c.inputs[i]!.clone ? (l as Tensor).clone() : l));
  if (c.seed !== undefined) torch.manualSeed(c.seed);
  const out = m.call(...fed) as Tensor;
  if (c.inplace !== undefined) expect(out === fed[0], `${c.id}: in-place result is the input`).toBe(c.inplace);
  backwardAndCheck(c, out, leaves);
  const params = new Map(m.namedParameters());
  for (const [name, g] of Object.entries(c.param_grads ?? {})) {
    const p = params.get(name);
    expect(p, `${c.id}: parameter ${name}`).toBeDefined();
    if (g === null) expect(p!.grad, `${c.id}: grad of ${name}`).toBeNull();
    else expectTensor(p!.grad, g, `${c.id}: grad of ${name}`);
  }
  const sd = m.stateDict();
  expect(Object.keys(sd), `${c.id}: state_dict keys`).toEqual(Object.keys(c.state_after));
  for (const [k, v] of Object.entries(c.state_after)) expectTensor(sd[k], v, `${c.id}: state ${k}`);
}

export function runFunctionalCase(c: FunctionalCase): void {
  const F = nn.functional as unknown as Record<string, (...a: unknown[]) => Tensor>;
  const fn = F[camel(c.fn)];
  if (!fn) throw new Error(`F.${camel(c.fn)} is missing`);
  const leaves = c.inputs.map(leaf);
  const fed = leaves.map((l, i) => (c.inputs[i]!.clone ? (l as Tensor).clone() : l));
  const isInput = (a: unknown): a is InputSpec => typeof a === 'object' && a !== null && !Array.isArray(a) && ('value' in a || ('tensor' in a && ('grad' in a || 'clone' in a)));
  const args = c.args.map((a) => (isInput(a) ? leaf(a) : decodeArg(a)));
  const kwEntries = Object.entries(c.kwargs).map(([k, v]) => [camel(k), isInput(v) ? leaf(v) : decodeArg(v)] as const);
  if (kwEntries.length) args.push(Object.fromEntries(kwEntries));
  if (c.seed !== undefined) torch.manualSeed(c.seed);
  const out = fn(...fed, ...args);
  if (c.inplace !== undefined) expect(out === fed[0], `${c.id}: in-place result is the input`).toBe(c.inplace);
  backwardAndCheck(c, out, leaves);
  const kw = Object.fromEntries(kwEntries) as Record<string, Tensor>;
  for (const [k, g] of Object.entries(c.kwarg_grads ?? {})) {
    if (g === null) expect(kw[camel(k)]!.grad, `${c.id}: grad of ${k}`).toBeNull();
    else expectTensor(kw[camel(k)]!.grad, g, `${c.id}: grad of ${k}`);
  }
  for (const [i, spec] of Object.entries(c.after ?? {})) expectTensor(leaves[Number(i)], spec, `${c.id}: input ${i} after the call`);
}
