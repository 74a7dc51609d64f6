// Handbook 6.2 激活函数对比图 (activation comparison chart): the section's block is a text drawing of
// four curves, not code. Its TypeScript form checks what the drawing shows, with PyTorch's values:
// ReLU is 0 then the identity; LeakyReLU leaks a small slope below 0; GELU and SiLU/Swish are smooth
// and dip slightly below 0 for negative inputs before rising to the identity.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

const F = nn.functional;
const x = torch.tensor([-3, -1, 0, 1, 3], { dtype: torch.float32 });
const close = (t: torch.Tensor, want: number[]) => (t.tolist() as number[]).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));

describe('6.2 activation comparison chart', () => {
  test('ReLU:  ╱ from the origin, flat at 0 to the left', () => {
    expect(F.relu(x).tolist()).toEqual([0, 0, 0, 1, 3]);
  });

  test('LeakyReLU: slope 0.01 to the left', () => {
    close(F.leakyRelu(x), [-0.03, -0.01, 0, 1, 3]);
  });

  test('GELU: _-- a shallow dip below 0, then the identity', () => {
    close(F.gelu(x), [-0.0040496, -0.1586553, 0, 0.8413447, 2.9959502]);
  });

  test('SiLU/Swish: __-- x·sigmoid(x), its minimum about -0.278 near x = -1.28', () => {
    close(F.silu(x), [-0.1422776, -0.2689414, 0, 0.7310586, 2.8577223]);
    const grid = torch.linspace(-4, 4, 801);
    const y = F.silu(grid);
    expect(y.min().item()).toBeCloseTo(-0.27846, 4);
    expect(grid.index(y.argmin()).item()).toBeCloseTo(-1.28, 2);
    expect(new nn.SiLU().forward(x).tolist()).toEqual(F.silu(x).tolist());
  });
});
