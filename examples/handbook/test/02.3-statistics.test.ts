// Handbook 2.3 统计运算 (statistics): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import { expectTensor, expectPrints } from './helpers/ch1-2.js';

describe('handbook 2.3 统计运算 (statistics)', () => {
  const make = () => torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], { dtype: torch.float32 });

  it('code example: global and per-dim statistics, keepdim, max with indices, cumsum', () => {
    const x = make();
    expect(x.sum().item()).toBe(21); // 21.0
    expectPrints(x.sum(), 'tensor(21.)');
    expect(x.mean().item()).toBe(3.5); // 3.5
    expectPrints(x.mean(), 'tensor(3.5000)');
    expect(x.std().item()).toBeCloseTo(1.8708, 4); // 1.8708
    expectPrints(x.std(), 'tensor(1.8708)');
    expect(x.max().item()).toBe(6); // 6.0
    expectPrints(x.max(), 'tensor(6.)');
    expect(x.min().item()).toBe(1); // 1.0
    expectPrints(x.min(), 'tensor(1.)');

    const sum0 = x.sum(0); // tensor([5., 7., 9.])  沿行求和
    expectTensor(sum0, [5, 7, 9], 'float32');
    expectPrints(sum0, 'tensor([5., 7., 9.])');
    const sum1 = x.sum(1); // tensor([6., 15.])     沿列求和
    expectTensor(sum1, [6, 15], 'float32');
    expectPrints(sum1, 'tensor([ 6., 15.])');
    const mean0 = x.mean(0); // tensor([2.5, 3.5, 4.5])
    expectTensor(mean0, [2.5, 3.5, 4.5], 'float32');
    expectPrints(mean0, 'tensor([2.5000, 3.5000, 4.5000])');

    const keep = x.sum(1, { keepdim: true }); // [[6.], [15.]]
    expectTensor(keep, [[6], [15]], 'float32');
    expectPrints(keep, 'tensor([[ 6.],\n        [15.]])');

    const [maxVal, maxIdx] = x.max(1);
    expectTensor(maxVal!, [3, 6], 'float32'); // tensor([3., 6.])
    expectPrints(maxVal!, 'tensor([3., 6.])');
    expectTensor(maxIdx!, [2, 2], 'int64'); // tensor([2, 2])
    expectPrints(maxIdx!, 'tensor([2, 2])');
    const named = x.max(1);
    expectTensor(named.values, [3, 6], 'float32');
    expectTensor(named.indices, [2, 2], 'int64');

    const cs = x.cumsum(1); // [[1, 3, 6], [4, 9, 15]]
    expectTensor(cs, [[1, 3, 6], [4, 9, 15]], 'float32');
    expectPrints(cs, 'tensor([[ 1.,  3.,  6.],\n        [ 4.,  9., 15.]])');
  });

  it('table examples: var, argmax, argmin, median, mode, prod, cumprod, min(dim), functional forms', () => {
    const x = make();
    // all values from PyTorch 1.13
    expect(x.var().item()).toBe(3.5);
    expectTensor(torch.var(x, 0), [4.5, 4.5, 4.5], 'float32');
    expectTensor(x.argmax(), 5, 'int64');
    expectTensor(x.argmax(0), [1, 1, 1], 'int64');
    expectTensor(x.argmin(), 0, 'int64');
    expectTensor(x.median(), 3, 'float32'); // the lower of the two middle values
    const mode = x.mode();
    expectTensor(mode.values, [1, 4], 'float32');
    expectTensor(mode.indices, [0, 0], 'int64');
    expectTensor(x.prod(), 720, 'float32');
    expectTensor(x.cumsum(0), [[1, 2, 3], [5, 7, 9]], 'float32');
    expectTensor(x.cumprod(0), [[1, 2, 3], [4, 10, 18]], 'float32');
    const mn = x.min(0);
    expectTensor(mn.values, [1, 2, 3], 'float32');
    expectTensor(mn.indices, [0, 0, 0], 'int64');
    const mx = torch.max(x, 0);
    expectTensor(mx.values, [4, 5, 6], 'float32');
    expectTensor(mx.indices, [1, 1, 1], 'int64');
    expect(torch.sum(x).item()).toBe(21);
    expect(torch.mean(x).item()).toBe(3.5);
    expect(torch.std(x).item()).toBeCloseTo(1.8708287477493286, 6);
    expectTensor(torch.cumsum(x, 1), [[1, 3, 6], [4, 9, 15]], 'float32');
    expectTensor(torch.cumprod(x, 1), [[1, 2, 6], [4, 20, 120]], 'float32');
    expectTensor(torch.argmax(x, 1), [2, 2], 'int64');
  });
});
