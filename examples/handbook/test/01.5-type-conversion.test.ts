// Handbook 1.5 类型转换 (type conversion): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import { expectTensor, expectPrints } from './helpers/ch1-2.js';

describe('handbook 1.5 类型转换 (type conversion)', () => {
  it('code example: float, double, half, long, bool, to, type', () => {
    const x = torch.tensor([1, 2, 3]);
    expect(x.dtype).toBe('int64');
    const xFloat = x.float(); // torch.float32
    expectTensor(xFloat, [1, 2, 3], 'float32');
    expectPrints(xFloat, 'tensor([1., 2., 3.])');
    const xDouble = x.double(); // torch.float64
    expectTensor(xDouble, [1, 2, 3], 'float64');
    expectPrints(xDouble, 'tensor([1., 2., 3.], dtype=torch.float64)');
    const xHalf = x.half(); // torch.float16
    expectTensor(xHalf, [1, 2, 3], 'float16');
    expectPrints(xHalf, 'tensor([1., 2., 3.], dtype=torch.float16)');
    const xLong = x.long(); // torch.int64
    expectTensor(xLong, [1, 2, 3], 'int64');
    const xBool = x.bool(); // torch.bool
    expectTensor(xBool, [true, true, true], 'bool');
    expectPrints(xBool, 'tensor([True, True, True])');

    const xConverted = x.to(torch.float32);
    expectTensor(xConverted, [1, 2, 3], 'float32');
    const xTyped = x.type('torch.FloatTensor'); // x.type(torch.FloatTensor)
    expectTensor(xTyped, [1, 2, 3], 'float32');
    expectPrints(xTyped, 'tensor([1., 2., 3.])');
    // the source is unchanged by every conversion
    expectTensor(x, [1, 2, 3], 'int64');
  });

  it('table examples: int(), type() with no argument, conversions that truncate, no-op conversions', () => {
    const x = torch.tensor([1, 2, 3]);
    const xInt = x.int();
    expectTensor(xInt, [1, 2, 3], 'int32');
    expectPrints(xInt, 'tensor([1, 2, 3], dtype=torch.int32)'); // as PyTorch 1.13 prints it
    expect(x.type()).toBe('torch.LongTensor'); // PyTorch 1.13
    expect(x.to(torch.float64).dtype).toBe('float64');
    // float → int truncates toward zero; nonzero → True (PyTorch 1.13)
    const f = torch.tensor([-1.7, 0.0, 2.9], { dtype: torch.float32 });
    expectTensor(f.long(), [-1, 0, 2], 'int64');
    expectTensor(f.bool(), [true, false, true], 'bool');
    // to() with the tensor's own dtype returns the tensor itself, as in PyTorch
    expect(x.to(torch.int64)).toBe(x);
    expect(x.long()).toBe(x);
  });
});
