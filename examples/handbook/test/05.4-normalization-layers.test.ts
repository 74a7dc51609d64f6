// Handbook 5.4 归一化层 (normalization layers): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

describe('5.4 normalization layers', () => {
  test('BatchNorm2d: batch statistics in training, running averages in eval', () => {
    const bn = new nn.BatchNorm2d({ numFeatures: 64 });
    const x = torch.randn(16, 64, 32, 32);
    const y = bn.forward(x);
    expect(y.shape).toEqual([16, 64, 32, 32]);
    // Training normalises each channel to mean 0, variance 1.
    expect(Math.abs(Number(y.mean().item()))).toBeLessThan(1e-5);
    expect(Number(bn.numBatchesTracked!.item())).toBe(1);
    bn.eval();
    const z = bn.forward(x);
    expect(z.equal(y)).toBe(false);
    expect(Number(bn.numBatchesTracked!.item())).toBe(1);
  });
  test('LayerNorm over the last dim, and over the last two', () => {
    let ln = new nn.LayerNorm({ normalizedShape: 768 });
    const x = torch.randn(32, 10, 768);
    expect(ln.forward(x).shape).toEqual([32, 10, 768]);
    ln = new nn.LayerNorm([10, 768]);
    expect(ln.weight!.shape).toEqual([10, 768]);
    expect(ln.forward(x).shape).toEqual([32, 10, 768]);
  });
  test('GroupNorm and InstanceNorm2d', () => {
    const gn = new nn.GroupNorm({ numGroups: 8, numChannels: 64 });
    const x = torch.randn(16, 64, 32, 32);
    expect(gn.forward(x).shape).toEqual([16, 64, 32, 32]);
    const insNorm = new nn.InstanceNorm2d(64);
    expect(insNorm.forward(x).shape).toEqual([16, 64, 32, 32]);
    expect(insNorm.parameters()).toEqual([]);
  });
});
