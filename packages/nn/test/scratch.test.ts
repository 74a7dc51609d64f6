import { test } from 'vitest';
import * as torch from '@kindling/tensor';
import * as nn from '../src/index.js';
const F = nn.functional;

test('scratch', () => {
  const x = torch.tensor([-3, -2.99, 3, 2.99, 0]).requiresGrad_(true);
  F.hardswish(x).sum().backward();
  console.log(x.grad!.toString());
  const x2 = torch.tensor([-3, -2.99, 3, 2.99, 0]).requiresGrad_(true);
  const w = torch.where(x2.gt(3), x2, x2.mul(x2.add(3)).div(6));
  w.sum().backward();
  console.log(x2.grad!.toString());
  const x3 = torch.tensor([3]).requiresGrad_(true);
  x3.mul(x3.add(3)).sum().backward();
  console.log(x3.grad!.toString());
});
