// Handbook 6.1 常用激活函数 (activation functions): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

const F = nn.functional;

describe('6 activations', () => {
  test('module and functional forms', () => {
    const relu = new nn.ReLU({ inplace: true });
    const gelu = new nn.GELU();
    const silu = new nn.SiLU();
    const x = torch.randn(32, 128);
    expect(gelu.forward(x).allclose(F.gelu(x))).toBe(true);
    expect(silu.forward(x).allclose(F.silu(x))).toBe(true);
    expect(F.relu(x).allclose(x.clamp(0))).toBe(true);
    const y = F.leakyRelu(x, { negativeSlope: 0.01 });
    expect(y.allclose(torch.where(x.gt(0), x, x.mul(0.01)))).toBe(true);
    const x2 = x.clone();
    expect(relu.forward(x2)).toBe(x2);
    expect(x2.allclose(x.clamp(0))).toBe(true);
  });
  test('Softmax along the class dim', () => {
    const logits = torch.randn(32, 10);
    const probs = F.softmax(logits, { dim: 1 });
    expect(probs.sum(1).allclose(torch.ones(32))).toBe(true);
    const logProbs = F.logSoftmax(logits, { dim: 1 });
    expect(logProbs.exp().allclose(probs)).toBe(true);
  });
  test('Swish is SiLU; every activation of the table exists', () => {
    expect(nn.Swish).toBe(nn.SiLU);
    for (const M of [nn.ReLU, nn.LeakyReLU, nn.PReLU, nn.ELU, nn.SELU, nn.GELU, nn.SiLU, nn.Mish, nn.Sigmoid, nn.Tanh, nn.Softmax, nn.LogSoftmax, nn.Softplus, nn.Hardtanh, nn.Hardswish]) {
      expect(new M().forward(torch.randn(4, 3)).shape).toEqual([4, 3]);
    }
  });
});
