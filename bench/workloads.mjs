// The workloads, and how Kindling runs each one. bench/torch_bench.py runs the same specs in PyTorch:
// the driver hands it WORKLOADS as JSON, so names, shapes and inputs are defined here only.
import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';

const M = 10_000_000;

/** `op` names the computation (the key of KINDLING below and of OPS in torch_bench.py). */
export const WORKLOADS = [
  { name: 'matmul 256x256', group: 'matmul', op: 'matmul', shape: [256, 256] },
  { name: 'matmul 512x512', group: 'matmul', op: 'matmul', shape: [512, 512] },
  { name: 'matmul 1024x1024', group: 'matmul', op: 'matmul', shape: [1024, 1024] },
  { name: 'add 10M', group: 'elementwise', op: 'add', shape: [M] },
  { name: 'mul 10M', group: 'elementwise', op: 'mul', shape: [M] },
  { name: 'exp 10M', group: 'elementwise', op: 'exp', shape: [M] },
  { name: 'sum 10M', group: 'reduction', op: 'sum', shape: [M] },
  { name: 'softmax 1000x1000 (dim -1)', group: 'reduction', op: 'softmax', shape: [1000, 1000] },
];

/**
 * `--only a,b`: keep a workload when a word equals its group or op, or occurs in its name.
 * Returns all workloads when `only` is empty.
 */
export function selectWorkloads(only) {
  if (only.length === 0) return WORKLOADS;
  return WORKLOADS.filter((w) => only.some((word) => word === w.group || word === w.op || w.name.includes(word)));
}

/**
 * Deterministic float32 input in [-1, 1): element i is ((i * 7919 + seed) % 1000) / 500 - 1.
 * torch_bench.py builds the same values, so both libraries see the same numbers.
 */
export function inputValues(shape, seed) {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = ((i * 7919 + seed) % 1000) / 500 - 1;
  return values;
}

function input(shape, seed) {
  return torch.fromArray(inputValues(shape, seed), shape);
}

/** For each op: make the inputs, and one iteration that returns the result tensor. */
const KINDLING = {
  matmul: (shape) => binary(shape, (a, b) => a.matmul(b)),
  add: (shape) => binary(shape, (a, b) => a.add(b)),
  mul: (shape) => binary(shape, (a, b) => a.mul(b)),
  exp: (shape) => unary(shape, (x) => x.exp()),
  sum: (shape) => unary(shape, (x) => x.sum()),
  softmax: (shape) => unary(shape, (x) => x.softmax(-1)),
};

function unary(shape, f) {
  const x = input(shape, 1);
  return { inputs: [x], step: () => f(x) };
}
function binary(shape, f) {
  const a = input(shape, 1);
  const b = input(shape, 2);
  return { inputs: [a, b], step: () => f(a, b) };
}

/**
 * Set up a workload in Kindling. `iteration()` runs it once and disposes the result, so the caching
 * allocator reuses the buffer as PyTorch's does when the result's last reference goes away;
 * `dispose()` releases the inputs.
 */
export function setupKindling(workload) {
  const { inputs, step } = KINDLING[workload.op](workload.shape);
  return {
    iteration: () => step().dispose(),
    dispose: () => inputs.forEach((t) => t.dispose()),
  };
}
