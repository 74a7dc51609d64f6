// Finite-difference checks (float64) of the composite layers and losses whose gradients autograd
// derives: the derivation must be right away from PyTorch's recorded points too.
import { describe, expect, test } from 'vitest';
import * as torch from '@kindling/tensor';
import { gradcheck, gradgradcheck } from '@kindling/autograd';
import * as nn from '../src/index.js';

const F = nn.functional;
const f64 = (...shape: number[]) => torch.randn(shape, { dtype: 'float64' }).requiresGrad_(true);

describe('gradcheck (float64 finite differences)', () => {
  test('CTC through log_softmax (the true gradient w.r.t. the logits)', () => {
    torch.manualSeed(3);
    const logits = f64(6, 2, 4);
    const targets = torch.tensor([[1, 1, 2], [3, 2, 0]]);
    for (const reduction of ['none', 'mean', 'sum'] as const) {
      expect(gradcheck((x) => F.ctcLoss(F.logSoftmax(x, 2), targets, [6, 5], [3, 2], { reduction }), [logits])).toBe(true);
    }
  });
  test('normalization layers', () => {
    torch.manualSeed(4);
    const x = f64(4, 3, 2);
    const w = f64(3);
    const b = f64(3);
    expect(gradcheck((xx, ww, bb) => F.batchNorm(xx, null, null, { weight: ww, bias: bb, training: true }), [x, w, b])).toBe(true);
    expect(gradcheck((xx) => F.batchNorm(xx, null, null, { training: true }), [x])).toBe(true);
    expect(gradcheck((xx, ww) => F.batchNorm(xx, torch.zeros([3], { dtype: 'float64' }), torch.ones([3], { dtype: 'float64' }), { weight: ww, training: true }), [x, w])).toBe(true);
    // Second derivatives: batch norm's backward is one fused op, recorded as tensor ops under createGraph.
    expect(gradgradcheck((xx, ww, bb) => F.batchNorm(xx, null, null, { weight: ww, bias: bb, training: true }), [x, w, b])).toBe(true);
    expect(gradgradcheck((xx) => F.batchNorm(xx, null, null, { training: true }), [f64(5, 2)])).toBe(true);
    expect(gradcheck((xx) => F.layerNorm(xx, [3, 2]), [x])).toBe(true);
    expect(gradcheck((xx, ww, bb) => F.groupNorm(xx, 3, ww, bb), [x, w, b])).toBe(true);
    expect(gradcheck((xx) => F.instanceNorm(xx), [x])).toBe(true);
  });
  test('max pooling, first and second derivatives (overlapping windows)', () => {
    torch.manualSeed(6);
    const x = f64(2, 2, 5, 5);
    expect(gradcheck((xx) => F.maxPool2d(xx, 3, { stride: 2, padding: 1 }), [x])).toBe(true);
    expect(gradgradcheck((xx) => F.maxPool2d(xx, 3, { stride: 1 }), [x])).toBe(true);
  });
  test('losses', () => {
    torch.manualSeed(5);
    const x = f64(4, 5);
    const y = torch.tensor([0, 4, 2, 2]);
    const w = torch.rand([5], { dtype: 'float64' }).add(0.5);
    expect(gradcheck((xx) => F.crossEntropy(xx, y, { weight: w, labelSmoothing: 0.2 }), [x])).toBe(true);
    expect(gradcheck((xx) => F.multiMarginLoss(xx, y, { p: 2, weight: w }), [x])).toBe(true);
    const p = torch.rand([4, 5], { dtype: 'float64' }).mul(0.8).add(0.1).requiresGrad_(true);
    const t = torch.rand([4, 5], { dtype: 'float64' });
    expect(gradcheck((pp) => F.binaryCrossEntropy(pp, t), [p])).toBe(true);
    expect(gradcheck((xx) => F.binaryCrossEntropyWithLogits(xx, t, { posWeight: w }), [x])).toBe(true);
    const a = f64(3, 4);
    const b2 = f64(3, 4);
    const n = f64(3, 4);
    expect(gradcheck((aa, bb, nn2) => F.tripletMarginLoss(aa, bb, nn2, { swap: true }), [a, b2, n])).toBe(true);
    expect(gradcheck((aa, bb) => F.cosineEmbeddingLoss(aa, bb, torch.tensor([1, -1, 1], { dtype: 'float64' }), { margin: -0.5 }), [a, b2])).toBe(true);
    expect(gradcheck((aa) => F.klDiv(F.logSoftmax(aa, 1), F.softmax(b2.detach(), 1), { reduction: 'batchmean' }), [a])).toBe(true);
  });
  test('embedding bag and bilinear', () => {
    torch.manualSeed(6);
    const w = f64(6, 3);
    const psw = torch.rand([5], { dtype: 'float64' }).requiresGrad_(true);
    const ids = torch.tensor([1, 2, 4, 1, 5]);
    expect(gradcheck((ww, ss) => F.embeddingBag(ids, ww, torch.tensor([0, 2]), { mode: 'sum', perSampleWeights: ss }), [w, psw])).toBe(true);
    expect(gradcheck((ww) => F.embeddingBag(ids, ww, torch.tensor([0, 2]), { mode: 'mean', paddingIdx: 1 }), [w])).toBe(true);
    expect(gradcheck((x1, x2, ww) => F.bilinear(x1, x2, ww), [f64(2, 3), f64(2, 4), f64(5, 3, 4)])).toBe(true);
  });
  test('activations away from their kinks', () => {
    torch.manualSeed(7);
    const x = torch.randn([12], { dtype: 'float64' }).mul(2).add(0.05).requiresGrad_(true);
    for (const f of [F.gelu, F.silu, F.mish, F.selu, F.elu, F.celu, F.logsigmoid, F.softsign, F.softplus, F.hardswish, F.tanhshrink]) {
      expect(gradcheck((v) => (f as (t: torch.Tensor) => torch.Tensor)(v), [x]), f.name).toBe(true);
    }
    expect(gradcheck((v) => F.gelu(v, { approximate: 'tanh' }), [x])).toBe(true);
  });
});
