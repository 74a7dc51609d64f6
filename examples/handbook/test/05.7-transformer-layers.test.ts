// Handbook 5.7 Transformer 层 (Transformer layers): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

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
