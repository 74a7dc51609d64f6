// The sliding-window primitives (im2col, col2im, max_pool): the CPU kernels agree with the ops'
// portable decompositions, and every layer built on them passes finite-difference gradient checks
// (float64, autograd's gradcheck defaults) including second derivatives where the op is linear.
import { describe, expect, test } from 'vitest';
import * as torch from '@kindling/tensor';
import type { Tensor } from '@kindling/tensor';
import { gradcheck, gradgradcheck } from '@kindling/autograd';
import * as nn from '../src/index.js';

const F = nn.functional;

interface Geo {
  inSize: number[];
  kernel: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
  outSize: number[];
}
const out = (n: number, k: number, s: number, p: number, d: number, ceil = false) =>
  Math.floor((n + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
const geo = (inSize: number[], kernel: number[], stride: number[], padding: number[], dilation: number[], ceil = false): Geo => ({
  inSize, kernel, stride, padding, dilation, outSize: inSize.map((n, i) => out(n, kernel[i]!, stride[i]!, padding[i]!, dilation[i]!, ceil)),
});
const GEOMETRIES: [string, Geo][] = [
  ['1d', geo([9], [3], [2], [1], [1])],
  ['2d', geo([6, 7], [3, 2], [1, 2], [1, 0], [1, 2])],
  ['2d ceil', geo([7, 6], [3, 3], [2, 2], [1, 1], [1, 1], true)],
  ['3d', geo([4, 5, 4], [2, 3, 2], [2, 1, 1], [1, 1, 0], [1, 1, 2])],
];

describe('kernels match the decompositions', () => {
  for (const [name, g] of GEOMETRIES) {
    const attrs = { kernel: g.kernel, stride: g.stride, padding: g.padding, dilation: g.dilation, outSize: g.outSize };
    test(`im2col ${name}`, () => {
      const x = torch.randn(2, 3, ...g.inSize);
      for (const padValue of [0, -Infinity]) {
        const a = { ...attrs, padValue };
        expect(torch.dispatch1('im2col', [x], a).equal(torch.getOp('im2col').decompose!([x], a)[0]!)).toBe(true);
      }
      // a strided input
      const xt = torch.randn(3, 2, ...g.inSize).transpose(0, 1);
      expect(torch.dispatch1('im2col', [xt], { ...attrs, padValue: 0 }).equal(torch.getOp('im2col').decompose!([xt], { ...attrs, padValue: 0 })[0]!)).toBe(true);
    });
    test(`col2im ${name}`, () => {
      const K = g.kernel.reduce((p, q) => p * q, 1);
      const L = g.outSize.reduce((p, q) => p * q, 1);
      const cols = torch.randn([2, 3 * K, L], { dtype: 'float64' });
      const a = { ...attrs, inSize: g.inSize };
      const k = torch.dispatch1('col2im', [cols], a);
      expect(k.allclose(torch.getOp('col2im').decompose!([cols], a)[0]!, { rtol: 1e-12, atol: 1e-12 })).toBe(true);
    });
    test(`max_pool ${name}`, () => {
      const x = torch.randn(2, 3, ...g.inSize);
      const [v, i] = torch.dispatch('max_pool', [x], attrs);
      const [dv, di] = torch.getOp('max_pool').decompose!([x], attrs);
      expect(v!.equal(dv!)).toBe(true);
      expect(i!.equal(di!)).toBe(true);
    });
  }
});

const f64 = (...shape: number[]) => torch.randn(shape, { dtype: 'float64' }).requiresGrad_(true);

describe('gradcheck (float64, finite differences)', () => {
  test('im2col and col2im, first and second order', () => {
    const g = GEOMETRIES[1]![1];
    const attrs = { kernel: g.kernel, stride: g.stride, padding: g.padding, dilation: g.dilation, outSize: g.outSize };
    const x = f64(1, 2, ...g.inSize);
    expect(gradcheck((t) => torch.dispatch1('im2col', [t], { ...attrs, padValue: 0 }), [x])).toBe(true);
    expect(gradgradcheck((t) => torch.dispatch1('im2col', [t], { ...attrs, padValue: 0 }), [x])).toBe(true);
    const K = g.kernel.reduce((p, q) => p * q, 1);
    const L = g.outSize.reduce((p, q) => p * q, 1);
    const cols = f64(1, 2 * K, L);
    expect(gradcheck((t) => torch.dispatch1('col2im', [t], { ...attrs, inSize: g.inSize }), [cols])).toBe(true);
  });
  test('conv1d/2d/3d with groups, stride, dilation, padding modes', () => {
    expect(gradcheck((x, w, b) => F.conv1d(x, w, b, { stride: 2, padding: 1, dilation: 2 }), [f64(2, 2, 9), f64(3, 2, 3), f64(3)])).toBe(true);
    expect(gradcheck((x, w) => F.conv2d(x, w, null, { groups: 2, padding: 'same' }), [f64(1, 4, 5, 4), f64(4, 2, 2, 3)])).toBe(true);
    expect(gradcheck((x, w) => F.conv3d(x, w, null, { stride: [1, 2, 1] }), [f64(1, 2, 3, 4, 3), f64(2, 2, 2, 2, 2)])).toBe(true);
    const conv = new nn.Conv2d(2, 2, 3, { padding: 1, paddingMode: 'circular', dtype: 'float64' });
    expect(gradcheck((x) => conv.forward(x), [f64(1, 2, 4, 4)])).toBe(true);
  });
  test('conv_transpose, second order', () => {
    const fn = (x: Tensor, w: Tensor) => F.convTranspose2d(x, w, null, { stride: 2, padding: 1, outputPadding: 1, groups: 2 });
    expect(gradcheck(fn, [f64(1, 4, 3, 3), f64(4, 1, 3, 3)])).toBe(true);
    expect(gradgradcheck(fn, [f64(1, 4, 2, 2), f64(4, 1, 2, 2)])).toBe(true);
  });
  test('pooling', () => {
    expect(gradcheck((x) => F.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }), [f64(1, 2, 6, 5)])).toBe(true);
    expect(gradcheck((x) => F.maxPool1d(x, 2, { dilation: 2 }), [f64(2, 2, 7)])).toBe(true);
    expect(gradcheck((x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false, ceilMode: true }), [f64(1, 2, 6, 5)])).toBe(true);
    expect(gradcheck((x) => F.avgPool3d(x, 2, { divisorOverride: 3 }), [f64(1, 1, 4, 4, 4)])).toBe(true);
    expect(gradcheck((x) => F.adaptiveAvgPool2d(x, [3, 2]), [f64(1, 2, 7, 5)])).toBe(true);
    expect(gradcheck((x) => F.adaptiveMaxPool2d(x, [3, 2]), [f64(1, 2, 7, 5)])).toBe(true);
    const [y, idx] = F.maxPool2d(torch.randn(1, 2, 4, 4), 2, { returnIndices: true });
    expect(gradcheck((t) => F.maxUnpool2d(t, idx, 2), [y.double().requiresGrad_(true)])).toBe(true);
  });
  test('pad in every mode, unfold and fold', () => {
    for (const mode of ['constant', 'reflect', 'replicate', 'circular'] as const) {
      expect(gradcheck((x) => F.pad(x, [2, 1, 1, 2], { mode }), [f64(1, 2, 3, 4)])).toBe(true);
    }
    expect(gradcheck((x) => F.unfold(x, 2, { padding: 1, stride: 2 }), [f64(1, 2, 4, 4)])).toBe(true);
    expect(gradcheck((x) => F.fold(x, [3, 4], 2), [f64(1, 8, 6)])).toBe(true);
  });
  test('recurrent layers and attention', () => {
    const lstm = new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, projSize: 2, dtype: 'float64' });
    expect(gradcheck((x) => lstm.forward(x)[0], [f64(3, 2, 3)])).toBe(true);
    const gru = new nn.GRU(3, 4, { dtype: 'float64' });
    expect(gradcheck((x, h) => gru.forward(x, h)[1], [f64(4, 2, 3), f64(1, 2, 4)])).toBe(true);
    const mha = new nn.MultiheadAttention(4, 2, { kdim: 3, vdim: 2, addBiasKv: true, dtype: 'float64' });
    expect(gradcheck((q, k, v) => mha.forward(q, k, v)[0], [f64(3, 2, 4), f64(5, 2, 3), f64(5, 2, 2)])).toBe(true);
    const mask = torch.tensor([[false, true, false], [false, false, true]]);
    expect(gradcheck((q, k, v) => F.scaledDotProductAttention(q, k, v, { attnMask: mask }), [f64(2, 2, 3), f64(2, 3, 3), f64(2, 3, 2)])).toBe(true);
  });
});
