// Handbook 5.5 Dropout 层 (dropout): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

describe('5.5 dropout', () => {
  test('Dropout zeroes in training and is the identity in eval', () => {
    const dropout = new nn.Dropout({ p: 0.5 });
    const x = torch.randn(32, 128);
    const y = dropout.forward(x);
    const zeros = Number(y.eq(0).sum().item());
    expect(zeros).toBeGreaterThan(32 * 128 * 0.4);
    expect(zeros).toBeLessThan(32 * 128 * 0.6);
    // The survivors are scaled by 1/(1 − p).
    expect(y.ne(0).logicalAnd(y.ne(x.mul(2))).any().item()).toBe(false);
    dropout.eval();
    expect(dropout.forward(x)).toBe(x);
  });
  test('Dropout2d drops whole channels', () => {
    // Seeded: randn gives an exact 0 about once in 2^24 draws (as PyTorch's Box–Muller does), which
    // would look like a partly dropped channel.
    torch.manualSeed(0);
    const dropout2d = new nn.Dropout2d({ p: 0.5 });
    const x = torch.randn(16, 64, 32, 32);
    const y = dropout2d.forward(x);
    const perChannel = y.eq(0).all(3).all(2); // (16, 64): channel entirely zero
    const anyZero = y.eq(0).any(3).any(2);
    expect(perChannel.equal(anyZero)).toBe(true);
    expect(Number(perChannel.sum().item())).toBeGreaterThan(0);
  });
  test('model.eval() / model.train() switch every dropout', () => {
    const model = new nn.Sequential(new nn.Linear(8, 8), new nn.Dropout(0.5));
    model.eval();
    expect(model.training).toBe(false);
    expect(model.get(1).training).toBe(false);
    model.train();
    expect(model.get(1).training).toBe(true);
  });
});
