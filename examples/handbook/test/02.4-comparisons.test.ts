// Handbook 2.4 比较运算 (comparisons): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import { expectTensor, expectPrints } from './helpers/ch1-2.js';

describe('handbook 2.4 比较运算 (comparisons)', () => {
  it('code example: elementwise comparison, equal, allclose, isnan/isinf/isfinite', () => {
    const a = torch.tensor([1, 2, 3]);
    const b = torch.tensor([2, 2, 2]);
    const gt = a.gt(b); // tensor([False, False, True])
    expectTensor(gt, [false, false, true], 'bool');
    expectPrints(gt, 'tensor([False, False,  True])');
    const eq = a.eq(b); // tensor([False, True, False])
    expectTensor(eq, [false, true, false], 'bool');
    expectPrints(eq, 'tensor([False,  True, False])');
    expectTensor(torch.eq(a, b), [false, true, false], 'bool');

    expect(torch.equal(a, b)).toBe(false); // False
    expect(torch.equal(a, torch.tensor([1, 2, 3]))).toBe(true);

    const x = torch.tensor([1.0, 2.0], { dtype: torch.float32 });
    const y = torch.tensor([1.0001, 2.0001]);
    expect(torch.allclose(x, y, { atol: 1e-3 })).toBe(true); // True
    expect(torch.allclose(x, y)).toBe(false); // default atol=1e-8, rtol=1e-5 (PyTorch 1.13: False)

    const z = torch.tensor([1.0, NaN, Infinity], { dtype: torch.float32 });
    expectTensor(torch.isnan(z), [false, true, false], 'bool'); // tensor([False, True, False])
    expectPrints(torch.isnan(z), 'tensor([False,  True, False])');
    expectTensor(torch.isinf(z), [false, false, true], 'bool'); // tensor([False, False, True])
    expectTensor(torch.isfinite(z), [true, false, false], 'bool'); // tensor([True, False, False])
    expectPrints(torch.isfinite(z), 'tensor([ True, False, False])');
  });

  it('table examples: ne, ge, lt, le and the functional forms', () => {
    const a = torch.tensor([1, 2, 3]);
    const b = torch.tensor([2, 2, 2]);
    expectTensor(torch.ne(a, b), [true, false, true], 'bool');
    expectTensor(torch.ge(a, b), [false, true, true], 'bool');
    expectTensor(torch.lt(a, b), [true, false, false], 'bool');
    expectTensor(torch.le(a, b), [true, true, false], 'bool');
    expectTensor(torch.gt(a, b), [false, false, true], 'bool');
    expectTensor(a.ne(2), [true, false, true], 'bool');
    // comparisons promote: int64 vs float32 compares values
    expectTensor(a.eq(torch.tensor([1.0, 2.5, 3.0])), [true, false, true], 'bool');
    // NaN is not equal to itself
    const n = torch.tensor([NaN], { dtype: torch.float32 });
    expect(torch.equal(n, n)).toBe(false);
  });
});
