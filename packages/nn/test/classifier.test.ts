// Handbook 15.1, the "done when": PyTorch's initial weights loaded into the Classifier, one
// forward in train mode (dropout masks from torch.manualSeed(seed) right before it, as recorded), the
// cross-entropy loss and every parameter gradient equal to PyTorch's within float32 tolerance, and
// the BatchNorm running statistics after the step too.
import { describe, expect, test } from 'vitest';
import * as torch from '@kindling/tensor';
import * as nn from '../src/index.js';
import { type TensorSpec, decodeTensor, expectTensor, loadFixture } from './helpers/fixtures.js';
import { Classifier } from './helpers/models.js';

interface ClassifierCase {
  id: string;
  dims: [number, number, number];
  dropout: number;
  init_seed: number;
  state: Record<string, TensorSpec>;
  x: TensorSpec;
  y: TensorSpec;
  seed: number;
  logits: TensorSpec;
  loss: TensorSpec;
  grads: Record<string, TensorSpec>;
  state_after: Record<string, TensorSpec>;
}

describe('15.1 Classifier: a training step matches PyTorch', () => {
  for (const c of loadFixture<{ cases: ClassifierCase[] }>('classifier').cases) {
    test(c.id, () => {
      const model = new Classifier(...c.dims, c.dropout);
      model.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decodeTensor(v)])));
      model.train();
      torch.manualSeed(c.seed);
      const logits = model.forward(decodeTensor(c.x));
      const loss = new nn.CrossEntropyLoss().forward(logits, decodeTensor(c.y));
      loss.backward();
      expectTensor(logits, c.logits, `${c.id}: logits`);
      expectTensor(loss, c.loss, `${c.id}: loss`);
      const params = new Map(model.namedParameters());
      expect([...params.keys()]).toEqual(Object.keys(c.grads));
      for (const [name, g] of Object.entries(c.grads)) expectTensor(params.get(name)!.grad, g, `${c.id}: grad of ${name}`);
      const sd = model.stateDict();
      for (const [k, v] of Object.entries(c.state_after)) expectTensor(sd[k], v, `${c.id}: ${k} after the step`);
    });
    test(`${c.id}: same initial weights from torch.manualSeed(${c.init_seed})`, () => {
      torch.manualSeed(c.init_seed);
      const sd = new Classifier(...c.dims, c.dropout).stateDict();
      for (const [k, v] of Object.entries(c.state)) expectTensor(sd[k], v, `${c.id}: initial ${k}`, true);
    });
  }
});
