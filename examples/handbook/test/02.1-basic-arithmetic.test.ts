// Handbook 2.1 基本运算 (basic arithmetic): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import { expectTensor, expectPrints } from './helpers/ch1-2.js';

describe('handbook 2.1 基本运算 (basic arithmetic)', () => {
  it('code example: + - * / ** and in-place add_', () => {
    const a = torch.tensor([1.0, 2.0, 3.0], { dtype: torch.float32 });
    const b = torch.tensor([4.0, 5.0, 6.0], { dtype: torch.float32 });
    const addResult = a.add(b); // tensor([5., 7., 9.])
    expectTensor(addResult, [5, 7, 9], 'float32');
    expectPrints(addResult, 'tensor([5., 7., 9.])');
    const subResult = a.sub(b); // tensor([-3., -3., -3.])
    expectTensor(subResult, [-3, -3, -3], 'float32');
    expectPrints(subResult, 'tensor([-3., -3., -3.])');
    const mulResult = a.mul(b); // tensor([4., 10., 18.])
    expectTensor(mulResult, [4, 10, 18], 'float32');
    expectPrints(mulResult, 'tensor([ 4., 10., 18.])');
    const divResult = a.div(b); // tensor([0.25, 0.4, 0.5])
    expectTensor(divResult, [0.25, 0.4, 0.5], 'float32');
    expectPrints(divResult, 'tensor([0.2500, 0.4000, 0.5000])');
    const powResult = a.pow(2); // tensor([1., 4., 9.])
    expectTensor(powResult, [1, 4, 9], 'float32');
    expectPrints(powResult, 'tensor([1., 4., 9.])');

    const version = a._version;
    const returned = a.add_(1); // a = a + 1，修改 a 本身
    expect(returned).toBe(a);
    expectTensor(a, [2, 3, 4], 'float32');
    expect(a._version).toBe(version + 1);
    expectTensor(addResult, [5, 7, 9], 'float32'); // results made before are not views of a
  });

  it('table examples: functional forms, floor_divide, remainder, pow, neg, abs and their in-place forms', () => {
    const a = torch.tensor([1.0, 2.0, 3.0], { dtype: torch.float32 });
    const b = torch.tensor([4.0, 5.0, 6.0], { dtype: torch.float32 });
    expectTensor(torch.add(a, b), [5, 7, 9], 'float32');
    expectTensor(torch.sub(a, b), [-3, -3, -3], 'float32');
    expectTensor(torch.mul(a, b), [4, 10, 18], 'float32');
    expectTensor(torch.div(a, b), [0.25, 0.4000000059604645, 0.5], 'float32'); // PyTorch 1.13
    // floor_divide / remainder round toward -inf and take the divisor's sign (PyTorch 1.13)
    const p = torch.tensor([7.0, -7.0, 5.0], { dtype: torch.float32 });
    const q = torch.tensor([2.0, 2.0, -3.0], { dtype: torch.float32 });
    expectTensor(torch.floorDivide(p, q), [3, -4, -2], 'float32');
    expectTensor(torch.remainder(p, q), [1, 1, -1], 'float32');
    expectTensor(torch.floorDivide(torch.tensor([7, -7, 5]), torch.tensor([2, 2, -3])), [3, -4, -2], 'int64');
    expectTensor(torch.remainder(torch.tensor([7, -7, 5]), torch.tensor([2, 2, -3])), [1, 1, -1], 'int64');
    expectTensor(torch.pow(a, 2), [1, 4, 9], 'float32');
    expectTensor(torch.neg(a), [-1, -2, -3], 'float32');
    expectTensor(torch.abs(torch.tensor([-1.0, 2.0, -3.0], { dtype: torch.float32 })), [1, 2, 3], 'float32');

    const c = torch.tensor([1.0, 2.0, 3.0], { dtype: torch.float32 });
    expect(c.sub_(b)).toBe(c);
    expectTensor(c, [-3, -3, -3], 'float32');
    expect(c.mul_(b)).toBe(c);
    expectTensor(c, [-12, -15, -18], 'float32');
    expect(c.div_(b)).toBe(c);
    expectTensor(c, [-3, -3, -3], 'float32');
    expect(c.pow_(2)).toBe(c);
    expectTensor(c, [9, 9, 9], 'float32');
    expect(c.neg_()).toBe(c);
    expectTensor(c, [-9, -9, -9], 'float32');
    expect(c.abs_()).toBe(c);
    expectTensor(c, [9, 9, 9], 'float32');
    expectTensor(b, [4, 5, 6], 'float32'); // the other operand is untouched
  });
});
