// The workloads, and how Kindling runs each one. bench/torch_bench.py runs the same specs in PyTorch:
// the driver hands it WORKLOADS as JSON, so names, shapes and inputs are defined here only.
import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';
import { noGrad } from '@kindling/autograd';
import * as nn from '@kindling/nn';
import * as optim from '@kindling/optim';

const M = 10_000_000;

/** `op` names the computation (the key of KINDLING below and of OPS in torch_bench.py). */
export const WORKLOADS = [
  { name: 'matmul 256x256', group: 'matmul', op: 'matmul', shape: [256, 256] },
  { name: 'matmul 512x512', group: 'matmul', op: 'matmul', shape: [512, 512] },
  { name: 'matmul 1024x1024', group: 'matmul', op: 'matmul', shape: [1024, 1024] },
  { name: 'matmul 2048x2048', group: 'matmul', op: 'matmul', shape: [2048, 2048] },
  { name: 'add 10M', group: 'elementwise', op: 'add', shape: [M] },
  { name: 'mul 10M', group: 'elementwise', op: 'mul', shape: [M] },
  { name: 'exp 10M', group: 'elementwise', op: 'exp', shape: [M] },
  { name: 'sum 10M', group: 'reduction', op: 'sum', shape: [M] },
  { name: 'softmax 1000x1000 (dim -1)', group: 'reduction', op: 'softmax', shape: [1000, 1000] },
  { name: 'softmax 4096x1024 (dim -1)', group: 'reduction', op: 'softmax', shape: [4096, 1024] },
  { name: 'conv2d 32x3x32x32 -> 64 k3 forward', group: 'conv', op: 'conv2d', shape: [32, 3, 32, 32] },
  { name: 'conv2d 32x3x32x32 -> 64 k3 fwd+bwd', group: 'conv', op: 'conv2d_backward', shape: [32, 3, 32, 32] },
  { name: 'MLP 784-256-256-10 step (batch 128, Adam)', group: 'training', op: 'mlp_step', shape: [128, 784] },
  { name: 'CNN (handbook 15.2) step (32x32, batch 64, SGD momentum)', group: 'training', op: 'cnn_step', shape: [64, 3, 32, 32] },
  { name: 'LSTM 2x128->256 (batch 32, seq 50) fwd+bwd', group: 'training', op: 'lstm_step', shape: [50, 32, 128] },
  { name: 'TransformerEncoderLayer d256 h8 ff1024 (16x128) fwd+bwd', group: 'training', op: 'transformer_step', shape: [16, 128, 256] },
];

/** Floating-point operations of one iteration, where the count is standard (matmul: 2·n³). */
export function flops(workload) {
  if (workload.op !== 'matmul') return null;
  const [n, k] = workload.shape;
  return 2 * n * k * workload.shape[1];
}

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
  // Copied into memory Kindling allocates (64-byte aligned, as PyTorch's tensors are), not left in the
  // JavaScript array fromArray shares.
  const shared = torch.fromArray(inputValues(shape, seed), shape);
  const own = shared.clone();
  shared.dispose();
  return own;
}

/** For each op: make the inputs, and one iteration that returns the result tensor. */
const KINDLING = {
  matmul: (shape) => binary(shape, (a, b) => a.matmul(b)),
  add: (shape) => binary(shape, (a, b) => a.add(b)),
  mul: (shape) => binary(shape, (a, b) => a.mul(b)),
  exp: (shape) => unary(shape, (x) => x.exp()),
  sum: (shape) => unary(shape, (x) => x.sum()),
  softmax: (shape) => unary(shape, (x) => x.softmax(-1)),
  conv2d: (shape) => {
    const conv = seeded(() => new nn.Conv2d(3, 64, 3));
    const x = input(shape, 1);
    return { inputs: [x], step: () => noGrad(() => conv.forward(x)) };
  },
  conv2d_backward: (shape) => {
    const conv = seeded(() => new nn.Conv2d(3, 64, 3));
    const x = input(shape, 1).requiresGrad_();
    return {
      inputs: [x],
      step: () => {
        conv.zeroGrad();
        x.grad = null;
        const y = conv.forward(x).sum();
        y.backward();
        return y;
      },
    };
  },
  mlp_step: (shape) => {
    const model = seeded(() => new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 256), new nn.ReLU(), new nn.Linear(256, 10)));
    return trainStep(model, new optim.Adam(model.parameters(), { lr: 1e-3 }), input(shape, 1), labels(shape[0]), new nn.CrossEntropyLoss());
  },
  cnn_step: (shape) => {
    const model = seeded(() => handbookCnn());
    return trainStep(model, new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 }), input(shape, 1), labels(shape[0]), new nn.CrossEntropyLoss());
  },
  lstm_step: (shape) => {
    const lstm = seeded(() => new nn.LSTM(128, 256, 2));
    const x = input(shape, 1);
    return {
      inputs: [x],
      step: () => {
        lstm.zeroGrad();
        const [out] = lstm.forward(x);
        const loss = out.sum();
        loss.backward();
        return loss;
      },
    };
  },
  transformer_step: (shape) => {
    const layer = seeded(() => new nn.TransformerEncoderLayer(256, 8, { dimFeedforward: 1024, batchFirst: true }));
    const x = input(shape, 1);
    return {
      inputs: [x],
      step: () => {
        layer.zeroGrad();
        const loss = layer.forward(x).sum();
        loss.backward();
        return loss;
      },
    };
  },
};

function seeded(make) {
  torch.manualSeed(0);
  return make();
}

/** Class labels 0..9, the same in torch_bench.py. */
function labels(n) {
  return torch.tensor(Array.from({ length: n }, (_, i) => (i * 7) % 10));
}

function trainStep(model, optimizer, x, y, criterion) {
  return {
    inputs: [x, y],
    step: () => {
      optimizer.zeroGrad();
      const loss = criterion.forward(model.forward(x), y);
      loss.backward();
      optimizer.step();
      return loss;
    },
  };
}

function handbookCnn() {
  const block = (cin, cout) => [new nn.Conv2d(cin, cout, 3, { padding: 1 }), new nn.BatchNorm2d(cout), new nn.ReLU(true)];
  return new nn.Sequential(
    ...block(3, 64), new nn.MaxPool2d(2, 2),
    ...block(64, 128), new nn.MaxPool2d(2, 2),
    ...block(128, 256), new nn.AdaptiveAvgPool2d([1, 1]),
    new nn.Flatten(), new nn.Linear(256, 10),
  );
}

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
