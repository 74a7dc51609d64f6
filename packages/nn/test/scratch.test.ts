import { test } from 'vitest';
import * as torch from '@kindling/tensor';
import * as nn from '../src/index.js';
const F = nn.functional;

test('smoke', () => {
  torch.manualSeed(0);
  const l = new nn.Linear(784, 256);
  console.log(l.weight.index(0, torch.slice(0, 5)).toString());
  const x = torch.randn(4, 784);
  const y = l.forward(x);
  console.log(y.shape);
  const loss = y.sum();
  loss.backward();
  console.log(l.weight.grad!.shape, l.bias!.grad!.shape);
  console.log(l.toString());
  const seq = new nn.Sequential({ fc1: new nn.Linear(784, 256), relu1: new nn.ReLU(), fc2: new nn.Linear(256, 10) });
  console.log(seq.toString());
  console.log(Object.keys(seq.stateDict()));
  console.log((seq as any).fc1.toString());
});
