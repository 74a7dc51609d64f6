// Every example of handbook sections 5.2, 5.3, 5.6, 5.7 and 14.4, in its TypeScript form, with the
// shapes (and, for 14.4, the values) its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from '@kindling/tensor';
import type { Tensor } from '@kindling/tensor';
import * as nn from '../src/index.js';

const { padSequence, packPaddedSequence, padPackedSequence } = nn.utils.rnn;

describe('handbook 5.2 convolution layers', () => {
  test('Conv2d with every argument, ConvTranspose2d upsampling, depthwise separable', () => {
    // 2D 卷积
    const conv = new nn.Conv2d({
      inChannels: 3,
      outChannels: 64,
      kernelSize: 3,
      stride: 1,
      padding: 1,
      dilation: 1,
      groups: 1,
      bias: true,
      paddingMode: 'zeros',
    });
    const x = torch.randn(16, 3, 224, 224); // [B, C, H, W]
    const y = conv.forward(x);
    expect(y.shape).toEqual([16, 64, 224, 224]);

    // 计算输出尺寸: H_out = (H_in + 2*padding - dilation*(kernel-1) - 1) / stride + 1
    expect(Math.floor((224 + 2 * 1 - 1 * (3 - 1) - 1) / 1) + 1).toBe(y.shape[2]);

    // 转置卷积 (上采样)
    const deconv = new nn.ConvTranspose2d(64, 32, { kernelSize: 4, stride: 2, padding: 1 });
    const z = deconv.forward(y);
    expect(z.shape).toEqual([16, 32, 448, 448]);

    // 深度可分离卷积
    const depthwise = new nn.Conv2d(64, 64, { kernelSize: 3, padding: 1, groups: 64 });
    const pointwise = new nn.Conv2d(64, 128, { kernelSize: 1 });
    expect(depthwise.weight.shape).toEqual([64, 1, 3, 3]);
    expect(pointwise.weight.shape).toEqual([128, 64, 1, 1]);
    const small = torch.randn(2, 64, 8, 8);
    expect(pointwise.forward(depthwise.forward(small)).shape).toEqual([2, 128, 8, 8]);
  }, 120_000);

  test('the table: Conv1d, Conv3d, ConvTranspose2d output_padding, Unfold, Fold', () => {
    expect(new nn.Conv1d(16, 33, 3, 2).forward(torch.randn(20, 16, 50)).shape).toEqual([20, 33, 24]);
    expect(new nn.Conv3d(16, 33, 3, { stride: 2 }).forward(torch.randn(2, 16, 10, 50, 20)).shape).toEqual([2, 33, 4, 24, 9]);
    expect(new nn.ConvTranspose2d(16, 33, 3, { stride: 2, outputPadding: 1 }).forward(torch.randn(2, 16, 5, 5)).shape).toEqual([2, 33, 12, 12]);
    const unfold = new nn.Unfold([2, 3]);
    const cols = unfold.forward(torch.randn(2, 5, 3, 4));
    expect(cols.shape).toEqual([2, 30, 4]);
    const fold = new nn.Fold([4, 5], [2, 2]);
    expect(fold.forward(torch.randn(1, 3 * 2 * 2, 12)).shape).toEqual([1, 3, 4, 5]);
    // fold(unfold(x)) multiplies each pixel by the number of blocks covering it.
    const x = torch.randn(1, 2, 4, 4);
    const back = nn.functional.fold(nn.functional.unfold(x, 2), [4, 4], 2);
    const counts = nn.functional.fold(nn.functional.unfold(torch.onesLike(x), 2), [4, 4], 2);
    expect(back.allclose(x.mul(counts))).toBe(true);
  });
});

describe('handbook 5.3 pooling layers', () => {
  test('MaxPool2d, return_indices, adaptive (global) average pooling', () => {
    // 最大池化
    const maxpool = new nn.MaxPool2d({ kernelSize: 2, stride: 2 });
    const x = torch.randn(16, 64, 224, 224);
    const y = maxpool.forward(x);
    expect(y.shape).toEqual([16, 64, 112, 112]);

    // 带索引的最大池化 (用于反池化)
    const maxpoolIdx = new nn.MaxPool2d(2, { stride: 2, returnIndices: true });
    const [y2, indices] = maxpoolIdx.forward(x);
    expect(y2.shape).toEqual([16, 64, 112, 112]);
    expect(indices.shape).toEqual([16, 64, 112, 112]);
    expect(indices.dtype).toBe('int64');
    expect(y2.equal(y)).toBe(true);

    // 自适应池化 (输出固定尺寸)
    const adaptivePool = new nn.AdaptiveAvgPool2d([1, 1]); // 全局平均池化
    let z = adaptivePool.forward(x);
    expect(z.shape).toEqual([16, 64, 1, 1]);
    z = z.flatten(1);
    expect(z.shape).toEqual([16, 64]);
    expect(z.allclose(x.mean([2, 3]), { rtol: 1e-5, atol: 1e-6 })).toBe(true);

    // 全局平均池化的常用写法
    const gap = new nn.AdaptiveAvgPool2d(1);
    expect(gap.forward(x).shape).toEqual([16, 64, 1, 1]);
  }, 120_000);

  test('the table: AvgPool2d, AdaptiveMaxPool2d, MaxUnpool2d', () => {
    const x = torch.randn(2, 3, 8, 8);
    expect(new nn.AvgPool2d(3, { stride: 2, padding: 1 }).forward(x).shape).toEqual([2, 3, 4, 4]);
    expect(new nn.AdaptiveMaxPool2d([3, 5]).forward(x).shape).toEqual([2, 3, 3, 5]);
    const pool = new nn.MaxPool2d(2, { stride: 2, returnIndices: true });
    const unpool = new nn.MaxUnpool2d(2, { stride: 2 });
    const [y, idx] = pool.forward(x);
    const restored = unpool.forward(y, idx);
    expect(restored.shape).toEqual([2, 3, 8, 8]);
    // Each window keeps its maximum in place and zeros elsewhere.
    expect(restored.flatten(2).gather(2, idx.flatten(2)).equal(y.flatten(2))).toBe(true);
    expect(restored.ne(0).sum().item()).toBe(2 * 3 * 16);
  });
});

describe('handbook 5.6 recurrent layers', () => {
  test('LSTM (2 layers, bidirectional, batch_first, dropout), GRU, and a manual LSTMCell loop', () => {
    // LSTM
    const lstm = new nn.LSTM({
      inputSize: 128,
      hiddenSize: 256,
      numLayers: 2,
      batchFirst: true, // 输入形状 [batch, seq, feature]
      bidirectional: true,
      dropout: 0.5,
    });
    const x = torch.randn(32, 50, 128); // [batch, seq_len, input_size]
    const [output, [hN, cN]] = lstm.forward(x);
    expect(output.shape).toEqual([32, 50, 512]); // 双向所以 256*2
    expect(hN.shape).toEqual([4, 32, 256]); // 2层*双向, batch, hidden
    expect(cN.shape).toEqual([4, 32, 256]);

    // GRU
    const gru = new nn.GRU(128, 256, { numLayers: 2, batchFirst: true });
    const [gOut, gH] = gru.forward(x);
    expect(gOut.shape).toEqual([32, 50, 256]);
    expect(gH.shape).toEqual([2, 32, 256]);

    // 手动循环 (使用 Cell)
    const lstmCell = new nn.LSTMCell(128, 256);
    let h = torch.zeros(32, 256);
    let c = torch.zeros(32, 256);
    const outputs: Tensor[] = [];
    for (let t = 0; t < 50; t++) {
      [h, c] = lstmCell.forward(x.index(':', t, ':'), [h, c]);
      outputs.push(h);
    }
    const stacked = torch.stack(outputs, 1);
    expect(stacked.shape).toEqual([32, 50, 256]);
  }, 120_000);

  test('the table: RNN, RNNCell, GRUCell', () => {
    const rnn = new nn.RNN(10, 20, 2);
    const [out, hn] = rnn.forward(torch.randn(5, 3, 10), torch.randn(2, 3, 20));
    expect(out.shape).toEqual([5, 3, 20]);
    expect(hn.shape).toEqual([2, 3, 20]);
    expect(new nn.RNNCell(10, 20).forward(torch.randn(3, 10)).shape).toEqual([3, 20]);
    expect(new nn.GRUCell(10, 20).forward(torch.randn(3, 10), torch.randn(3, 20)).shape).toEqual([3, 20]);
  });
});

describe('handbook 5.7 Transformer layers', () => {
  test('MultiheadAttention self-attention', () => {
    const mha = new nn.MultiheadAttention({ embedDim: 512, numHeads: 8, batchFirst: true });
    const x = torch.randn(32, 50, 512); // [batch, seq, embed]
    const [attnOutput, attnWeights] = mha.forward(x, x, x); // self-attention
    expect(attnOutput.shape).toEqual([32, 50, 512]);
    expect(attnWeights!.shape).toEqual([32, 50, 50]);
    // Averaged over heads, each row is still a distribution.
    expect(attnWeights!.sum(-1).allclose(torch.ones(32, 50), { atol: 1e-5 })).toBe(true);
  }, 60_000);

  test('TransformerEncoderLayer and a 6-layer TransformerEncoder', () => {
    const encoderLayer = new nn.TransformerEncoderLayer({
      dModel: 512,
      nhead: 8,
      dimFeedforward: 2048,
      dropout: 0.1,
      activation: 'relu',
      batchFirst: true,
    });
    const encoder = new nn.TransformerEncoder(encoderLayer, { numLayers: 6 });
    expect(encoder.layers.length).toBe(6);
    // The layers are copies: same values, separate parameters.
    const l0 = encoder.layers.get(0) as InstanceType<typeof nn.TransformerEncoderLayer>;
    expect(l0.linear1.weight.equal(encoderLayer.linear1.weight)).toBe(true);
    expect(l0.linear1.weight).not.toBe(encoderLayer.linear1.weight);

    const x = torch.randn(32, 50, 512);
    const output = encoder.forward(x);
    expect(output.shape).toEqual([32, 50, 512]);
  }, 120_000);

  test('the full Transformer', () => {
    const transformer = new nn.Transformer({
      dModel: 512,
      nhead: 8,
      numEncoderLayers: 6,
      numDecoderLayers: 6,
      dimFeedforward: 2048,
      batchFirst: true,
    });
    const src = torch.randn(32, 10, 512);
    const tgt = torch.randn(32, 20, 512);
    const output = transformer.forward(src, tgt);
    expect(output.shape).toEqual([32, 20, 512]);
    const mask = nn.Transformer.generateSquareSubsequentMask(20);
    expect(mask.shape).toEqual([20, 20]);
    expect(transformer.forward(src, tgt, { tgtMask: mask }).shape).toEqual([32, 20, 512]);
  }, 180_000);
});

describe('handbook 14.4 sequence utilities', () => {
  test('pad_sequence, pack_padded_sequence (enforce_sorted=False), pad_packed_sequence', () => {
    // 填充序列
    const sequences = [torch.tensor([1, 2, 3]), torch.tensor([4, 5]), torch.tensor([6, 7, 8, 9])];
    const padded = padSequence(sequences, { batchFirst: true, paddingValue: 0 });
    expect(padded.tolist()).toEqual([
      [1, 2, 3, 0],
      [4, 5, 0, 0],
      [6, 7, 8, 9],
    ]);

    // 打包填充序列 (RNN使用)
    const lengths = torch.tensor([3, 2, 4]);
    const packed = packPaddedSequence(padded, lengths, { batchFirst: true, enforceSorted: false });
    expect(packed.data.tolist()).toEqual([6, 1, 4, 7, 2, 5, 8, 3, 9]);
    expect(packed.batchSizes.tolist()).toEqual([3, 3, 2, 1]);
    expect(packed.sortedIndices!.tolist()).toEqual([2, 0, 1]);
    expect(packed.unsortedIndices!.tolist()).toEqual([1, 2, 0]);

    // 解包
    const [output, outLengths] = padPackedSequence(packed, { batchFirst: true });
    expect(output.equal(padded)).toBe(true);
    expect(outLengths.tolist()).toEqual([3, 2, 4]);
  });

  test('packed sequences through an LSTM match the per-sequence results', () => {
    const lstm = new nn.LSTM(3, 4, { batchFirst: true });
    const seqs = [torch.randn(3, 3), torch.randn(2, 3), torch.randn(4, 3)];
    const packed = packPaddedSequence(padSequence(seqs, { batchFirst: true }), [3, 2, 4], { batchFirst: true, enforceSorted: false });
    const [out, [h]] = lstm.forward(packed);
    const [padded, lens] = padPackedSequence(out, { batchFirst: true });
    expect(lens.tolist()).toEqual([3, 2, 4]);
    seqs.forEach((s, i) => {
      const [o, [hi]] = lstm.forward(s.unsqueeze(0));
      expect(padded.index(i).narrow(0, 0, s.shape[0]!).allclose(o.squeeze(0), { atol: 1e-6 })).toBe(true);
      expect(h.index(':', i).allclose(hi.index(':', 0), { atol: 1e-6 })).toBe(true);
    });
  });
});
