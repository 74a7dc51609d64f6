// Handbook-style training on webgpu: a small MLP (Linear, ReLU, cross-entropy, Adam) trained a few
// steps from the same initial weights and data on cpu and on webgpu; the losses must agree.
// nn.CrossEntropyLoss itself checks the targets' range with a synchronous read (t.item()), which a
// webgpu tensor refuses, so the loss here is cross-entropy written out: −mean(log_softmax(x)[y]).
import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';
import '@kindling/autograd';
import * as nn from '@kindling/nn';
import { Adam } from '@kindling/optim';
import { openTestDevice } from './gpu-setup.js';
import { crossEntropy, trainLosses } from './training.js';

const ready = await openTestDevice();

function makeModel(): nn.Sequential {
  torch.manualSeed(7);
  return new nn.Sequential(new nn.Linear(10, 32), new nn.ReLU(), new nn.Linear(32, 3));
}

async function train(device: string, steps: number): Promise<number[]> {
  const model = makeModel().to(device);
  const opt = new Adam(model.parameters(), { lr: 0.01 });
  torch.manualSeed(1);
  const x = torch.randn(64, 10).to(device);
  const y = torch.randint(0, 3, [64]).to(device);
  return trainLosses(model, opt, x, y, steps);
}

describe.runIf(ready)('training on webgpu', () => {
  it('nn.CrossEntropyLoss gives cross-entropy on cpu (the loss written out below is the same)', () => {
    torch.manualSeed(3);
    const logits = torch.randn(5, 4);
    const y = torch.tensor([0, 3, 1, 1, 2]);
    const ours = crossEntropy(logits, y);
    expect(ours.item() as number).toBeCloseTo(new nn.CrossEntropyLoss().forward(logits, y).item() as number, 6);
  });
  it('an MLP trained with Adam gives the cpu losses', async () => {
    const cpu = await train('cpu', 8);
    const gpu = await train('webgpu', 8);
    expect(cpu[7]!).toBeLessThan(cpu[0]!);
    for (let i = 0; i < cpu.length; i++) expect(Math.abs(gpu[i]! - cpu[i]!)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(cpu[i]!));
  });
});
