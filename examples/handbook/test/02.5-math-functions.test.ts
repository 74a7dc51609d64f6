// Handbook 2.5 数学函数 (math functions): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import { expectTensor, expectPrints } from './helpers/ch1-2.js';

describe('handbook 2.5 数学函数 (math functions)', () => {
  it('code example: exp, log, log2, log1p, sqrt, square, sin, cos, floor, ceil, round, clamp', () => {
    const x = torch.tensor([0.5, 1.0, 2.0], { dtype: torch.float32 });
    // values and prints from PyTorch 1.13 (the comments name only the function)
    expectTensor(torch.exp(x), [1.6487212181091309, 2.7182817459106445, 7.389056205749512], 'float32'); // e^x
    expectPrints(torch.exp(x), 'tensor([1.6487, 2.7183, 7.3891])');
    expectTensor(torch.log(x), [-0.6931471824645996, 0.0, 0.6931471824645996], 'float32'); // ln(x)
    expectPrints(torch.log(x), 'tensor([-0.6931,  0.0000,  0.6931])');
    expectTensor(torch.log2(x), [-1, 0, 1], 'float32'); // log2(x)
    expectPrints(torch.log2(x), 'tensor([-1.,  0.,  1.])');
    expectTensor(torch.log1p(x), [0.40546509623527527, 0.6931471824645996, 1.0986123085021973], 'float32'); // ln(1+x)
    expectPrints(torch.log1p(x), 'tensor([0.4055, 0.6931, 1.0986])');

    expectTensor(torch.sqrt(x), [0.7071067690849304, 1.0, 1.4142135381698608], 'float32'); // √x
    expectPrints(torch.sqrt(x), 'tensor([0.7071, 1.0000, 1.4142])');
    expectTensor(torch.square(x), [0.25, 1, 4], 'float32'); // x²
    expectPrints(torch.square(x), 'tensor([0.2500, 1.0000, 4.0000])');

    expectTensor(torch.sin(x), [0.4794255495071411, 0.8414709568023682, 0.9092974066734314], 'float32');
    expectPrints(torch.sin(x), 'tensor([0.4794, 0.8415, 0.9093])');
    expectTensor(torch.cos(x), [0.8775825500488281, 0.5403023362159729, -0.416146844625473], 'float32');
    expectPrints(torch.cos(x), 'tensor([ 0.8776,  0.5403, -0.4161])');

    const y = torch.tensor([1.2, 2.5, 3.8]);
    expect(y.dtype).toBe('float32');
    expectTensor(torch.floor(y), [1, 2, 3], 'float32'); // tensor([1., 2., 3.])
    expectPrints(torch.floor(y), 'tensor([1., 2., 3.])');
    expectTensor(torch.ceil(y), [2, 3, 4], 'float32'); // tensor([2., 3., 4.])
    expectPrints(torch.ceil(y), 'tensor([2., 3., 4.])');
    expectTensor(torch.round(y), [1, 2, 4], 'float32'); // tensor([1., 2., 4.])  (2.5 rounds half to even)
    expectPrints(torch.round(y), 'tensor([1., 2., 4.])');

    const clamped = torch.clamp(y, { min: 2.0, max: 3.0 }); // tensor([2., 2.5, 3.])
    expectTensor(clamped, [2, 2.5, 3], 'float32');
    expectPrints(clamped, 'tensor([2.0000, 2.5000, 3.0000])');
    expectTensor(torch.clamp(y, 2.0, 3.0), [2, 2.5, 3], 'float32');
    expectTensor(y, [1.2000000476837158, 2.5, 3.799999952316284], 'float32'); // inputs untouched
  });

  it('table examples: log10, rsqrt, tan, sinh, cosh, tanh, sigmoid, sign, trunc, frac, round half-even, clamp one-sided', () => {
    const x = torch.tensor([0.5, 1.0, 2.0], { dtype: torch.float32 });
    // values from PyTorch 1.13
    expectTensor(torch.log10(x), [-0.3010300099849701, 0.0, 0.3010300099849701], 'float32');
    expectTensor(torch.rsqrt(x), [1.4142135381698608, 1.0, 0.7071067690849304], 'float32');
    expectTensor(torch.tan(x), [0.5463024973869324, 1.5574077367782593, -2.185039758682251], 'float32');
    expectTensor(torch.sinh(x), [0.5210952758789062, 1.175201177597046, 3.6268603801727295], 'float32');
    expectTensor(torch.cosh(x), [1.1276259422302246, 1.5430805683135986, 3.7621958255767822], 'float32');
    expectTensor(torch.tanh(x), [0.46211716532707214, 0.7615941762924194, 0.9640275835990906], 'float32');
    expectTensor(torch.sigmoid(x), [0.622459352016449, 0.7310585975646973, 0.8807970285415649], 'float32');
    const w = torch.tensor([-1.5, 0.0, 2.7]);
    expectTensor(torch.sign(w), [-1, 0, 1], 'float32');
    expectTensor(torch.trunc(w), [-1, 0, 2], 'float32');
    expectTensor(torch.frac(w), [-0.5, 0.0, 0.7000000476837158], 'float32');
    expectTensor(torch.round(torch.tensor([0.5, 1.5, 2.5, -2.5])), [0, 2, 2, -2], 'float32');
    expectTensor(torch.clamp(torch.tensor([1.2, 2.5, 3.8]), { min: 2.0 }), [2, 2.5, 3.8], 'float32');
    expectTensor(torch.clamp(torch.tensor([1.2, 2.5, 3.8]), { max: 2.0 }), [1.2, 2, 2], 'float32');
    // int inputs: float-valued functions promote to the default float dtype (PyTorch 1.13)
    expectTensor(torch.sqrt(torch.tensor([4, 9])), [2, 3], 'float32');
    expectTensor(torch.exp(torch.tensor([0])), [1], 'float32');
    // methods and in-place forms agree with the functions
    expectTensor(x.exp(), [1.6487212181091309, 2.7182817459106445, 7.389056205749512], 'float32');
    const c = x.clone();
    expect(c.sqrt_()).toBe(c);
    expectTensor(c, [0.7071067690849304, 1.0, 1.4142135381698608], 'float32');
    expectTensor(x, [0.5, 1, 2], 'float32');
  });
});
