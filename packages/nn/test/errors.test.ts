// Misuse gives a clear error with PyTorch's message (fixtures/nn/errors.json records PyTorch 1.13's),
// and leaves the module unchanged.
import { describe, expect, test } from 'vitest';
import * as torch from '@kindling/tensor';
import * as nn from '../src/index.js';
import { loadFixture } from './helpers/fixtures.js';

const F = nn.functional;
const { cases } = loadFixture<{ cases: { id: string; type: string; message: string }[] }>('errors');
const messages = new Map(cases.map((c) => [c.id, c.message]));

function withGrad(g: torch.Tensor): nn.Parameter {
  const p = new nn.Parameter(torch.zerosLike(g));
  p.grad = g;
  return p;
}
const f32 = (v: number[]) => torch.tensor(v, { dtype: 'float32' });

/** Each misuse, written as a Kindling user would. */
const MISUSES: Record<string, () => unknown> = {
  'linear-shape': () => new nn.Linear(128, 64).forward(torch.randn(32, 100)),
  'linear-shape-3d': () => new nn.Linear(128, 64).forward(torch.randn(2, 5, 100)),
  'ce-target-out-of-range': () => new nn.CrossEntropyLoss().forward(torch.randn(4, 10), torch.tensor([1, 2, 10, 3])),
  'ce-target-negative': () => new nn.CrossEntropyLoss().forward(torch.randn(4, 10), torch.tensor([1, -5, 2, 3])),
  'ce-batch-size': () => new nn.CrossEntropyLoss().forward(torch.randn(32, 10), torch.randint(0, 10, [16])),
  'ce-target-float-shape': () => new nn.CrossEntropyLoss().forward(torch.randn(4, 10), torch.rand(4, 9)),
  'ce-label-smoothing-range': () => F.crossEntropy(torch.randn(4, 10), torch.tensor([1, 2, 3, 4]), { labelSmoothing: 1.5 }),
  'nll-target-dtype': () => new nn.NLLLoss().forward(torch.randn(4, 10), torch.tensor([1, 2, 3, 4], { dtype: 'int32' })),
  'bce-size': () => new nn.BCELoss().forward(torch.rand(4, 1), torch.rand(4)),
  'bce-range': () => new nn.BCELoss().forward(f32([0.5, 1.5]), f32([1, 0])),
  'bce-logits-size': () => new nn.BCEWithLogitsLoss().forward(torch.rand(4, 1), torch.rand(4)),
  'embedding-float-index': () => new nn.Embedding(10, 3).forward(f32([1, 2])),
  'embedding-index-out-of-range': () => new nn.Embedding(10, 3).forward(torch.tensor([1, 10])),
  'embedding-padding-idx': () => new nn.Embedding(10, 3, { paddingIdx: 10 }),
  'embeddingbag-psw-mode': () => new nn.EmbeddingBag(10, 3, { mode: 'mean' }).forward(torch.tensor([1, 2]), torch.tensor([0]), torch.rand(2)),
  'embeddingbag-2d-offsets': () => new nn.EmbeddingBag(10, 3).forward(torch.tensor([[1, 2]]), torch.tensor([0])),
  'embeddingbag-1d-no-offsets': () => new nn.EmbeddingBag(10, 3).forward(torch.tensor([1, 2])),
  'batchnorm-one-value': () => new nn.BatchNorm1d(4).forward(torch.randn(1, 4)),
  'batchnorm1d-dims': () => new nn.BatchNorm1d(4).forward(torch.randn(2, 4, 3, 3)),
  'batchnorm2d-dims': () => new nn.BatchNorm2d(4).forward(torch.randn(2, 4)),
  'batchnorm-channels': () => new nn.BatchNorm1d(4).forward(torch.randn(3, 5)),
  'layernorm-shape': () => new nn.LayerNorm(768).forward(torch.randn(2, 10, 512)),
  'groupnorm-divisible': () => new nn.GroupNorm(3, 64),
  'groupnorm-input-channels': () => new nn.GroupNorm(2, 4).forward(torch.randn(2, 6, 3)),
  'dropout-p': () => new nn.Dropout(1.5),
  'dropout1d-dims': () => new nn.Dropout1d().forward(torch.randn(2, 3, 4, 5)),
  'softmax-dim': () => F.softmax(torch.randn(3, 4), { dim: 2 }),
  'glu-odd': () => F.glu(torch.randn(3, 5)),
  'mse-reduction': () => new nn.MSELoss({ reduction: 'avg' as nn.functional.Reduction }).forward(torch.randn(3), torch.randn(3)),
  'multimargin-p': () => new nn.MultiMarginLoss({ p: 3 as 1 }),
  'kaiming-mode': () => nn.init.kaimingUniform_(torch.empty(3, 4), { mode: 'fan_avg' as 'fan_in' }),
  'xavier-1d': () => nn.init.xavierUniform_(torch.empty(3)),
  'calculate-gain': () => nn.init.calculateGain('swish' as 'relu'),
  'orthogonal-1d': () => nn.init.orthogonal_(torch.empty(3)),
  'one-hot-range': () => F.oneHot(torch.tensor([0, 5]), 3),
  'one-hot-dtype': () => F.oneHot(f32([0, 1]), 3),
  'ctc-lengths': () => F.ctcLoss(torch.randn(5, 2, 4).logSoftmax(2), torch.tensor([[1, 2], [1, 1]]), torch.tensor([5, 6]), torch.tensor([2, 2])),
  'module-forward-missing': () => new nn.Module().forward(torch.randn(2)),
  'module-list-forward': () => new nn.ModuleList().forward(torch.randn(2)),
  'register-parameter-dot': () => new nn.Module().registerParameter('a.b', null),
  'vector-to-parameters-type': () => nn.utils.vectorToParameters([1] as unknown as torch.Tensor, [new nn.Parameter(torch.zeros(1))]),
  'clip-nonfinite': () => nn.utils.clipGradNorm_([withGrad(f32([Infinity, 1]))], 1, { errorIfNonfinite: true }),
};

/** Where Kindling's message deliberately differs, what it must contain instead (and why). */
const DIFFERENT: Record<string, RegExp> = {
  // Python's KeyError repr adds quotes around the message.
  'register-parameter-dot': /^parameter name can't contain "\."$/,
};

describe('misuse gives PyTorch\'s error message', () => {
  test('every recorded misuse has a Kindling form', () => {
    expect(Object.keys(MISUSES).sort()).toEqual([...messages.keys()].sort());
  });
  for (const [id, message] of messages) {
    test(id, () => {
      const run = MISUSES[id]!;
      let err: unknown = null;
      try {
        run();
      } catch (e) {
        err = e;
      }
      expect(err, `${id} did not throw`).toBeInstanceOf(Error);
      const got = (err as Error).message;
      if (DIFFERENT[id]) expect(got).toMatch(DIFFERENT[id]);
      else expect(got).toBe(message);
    });
  }
});

describe('a failed call changes nothing', () => {
  test('BatchNorm with a bad input keeps its running statistics and batch count', () => {
    const bn = new nn.BatchNorm1d(4);
    expect(() => bn.forward(torch.randn(1, 4))).toThrow();
    expect(() => bn.forward(torch.randn(3, 5))).toThrow();
    expect(Number(bn.numBatchesTracked!.item())).toBe(0);
    expect(bn.runningMean!.equal(torch.zeros(4))).toBe(true);
  });
  test('Embedding with max_norm and an out-of-range index leaves the weight alone', () => {
    const e = new nn.Embedding(4, 3, { maxNorm: 0.1 });
    const before = e.weight.clone();
    expect(() => e.forward(torch.tensor([1, 7]))).toThrow('index out of range in self');
    expect(e.weight.equal(before)).toBe(true);
  });
  test('unknown options and duplicated arguments are refused', () => {
    expect(() => new nn.Linear(3, 2, { bais: false } as never)).toThrow("Linear() got an unexpected keyword argument 'bais'");
    expect(() => new nn.Dropout(0.3, { p: 0.2 })).toThrow("Dropout() got multiple values for argument 'p'");
    expect(() => new (nn.Linear as unknown as new (...a: unknown[]) => nn.Module)(3)).toThrow("Linear() missing 1 required positional argument: 'out_features'");
  });
});
