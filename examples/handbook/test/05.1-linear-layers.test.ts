// Handbook 5.1 线性层 (linear layers): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

describe('5.1 linear layers', () => {
  test('Linear(in_features=128, out_features=64, bias=True)', () => {
    const linear = new nn.Linear({ inFeatures: 128, outFeatures: 64, bias: true });
    const x = torch.randn(32, 128);
    const y = linear.forward(x);
    expect(y.shape).toEqual([32, 64]);
    expect(linear.weight.shape).toEqual([64, 128]);
    expect(linear.bias!.shape).toEqual([64]);
  });
  test('LazyLinear infers in_features on the first call', () => {
    const x = torch.randn(32, 128);
    const lazy = new nn.LazyLinear(64);
    expect(lazy.weight).toBeNull();
    const y = lazy.forward(x);
    expect(y.shape).toEqual([32, 64]);
    expect(lazy.inFeatures).toBe(128);
    expect(lazy.weight!.shape).toEqual([64, 128]);
    expect(lazy.toString()).toBe('Linear(in_features=128, out_features=64, bias=True)');
  });
  test('Bilinear and Identity', () => {
    const bl = new nn.Bilinear(20, 30, 40);
    expect(bl.forward(torch.randn(128, 20), torch.randn(128, 30)).shape).toEqual([128, 40]);
    const id = new nn.Identity(54, { unusedArgument1: 0.1 });
    const x = torch.randn(128, 20);
    expect(id.forward(x)).toBe(x);
  });
});
