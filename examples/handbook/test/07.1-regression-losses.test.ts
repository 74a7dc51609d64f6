// Handbook 7.1 回归损失 (regression losses): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

describe('7 losses', () => {
  test('7.1 regression losses', () => {
    const mse = new nn.MSELoss({ reduction: 'mean' });
    const yPred = torch.randn(32, 1);
    const yTrue = torch.randn(32, 1);
    expect(mse.forward(yPred, yTrue).allclose(yPred.sub(yTrue).pow(2).mean())).toBe(true);
    const huber = new nn.HuberLoss({ delta: 1.0 });
    const smoothL1 = new nn.SmoothL1Loss();
    // Smooth L1 equals Huber with delta = 1.
    expect(huber.forward(yPred, yTrue).allclose(smoothL1.forward(yPred, yTrue))).toBe(true);
  });
});
