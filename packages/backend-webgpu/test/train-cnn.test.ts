// A small handbook-style CNN (Conv2d, BatchNorm2d, ReLU, MaxPool2d, global average pooling, Linear)
// trained a few steps with SGD momentum on cpu and on webgpu from the same weights and data: the
// fused ops behind batch norm, relu's and max pooling's gradients and the convolution's weight
// gradient run as kernels on cpu and as their decompositions on webgpu, and the losses must agree.
import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';
import '@kindling/autograd';
import * as nn from '@kindling/nn';
import { SGD } from '@kindling/optim';
import { openTestDevice } from './gpu-setup.js';
import { trainLosses } from './training.js';

const ready = await openTestDevice();

function makeModel(): nn.Sequential {
  torch.manualSeed(11);
  return new nn.Sequential(
    new nn.Conv2d(3, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(true), new nn.MaxPool2d(2, 2),
    new nn.Conv2d(8, 16, 3, { padding: 1 }), new nn.BatchNorm2d(16), new nn.ReLU(true), new nn.AdaptiveAvgPool2d([1, 1]),
    new nn.Flatten(), new nn.Linear(16, 4),
  );
}

async function train(device: string, steps: number): Promise<{ losses: number[]; runningVar: number[] }> {
  const model = makeModel().to(device);
  const opt = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  torch.manualSeed(2);
  const x = torch.randn(8, 3, 12, 12).to(device);
  const y = torch.randint(0, 4, [8]).to(device);
  const losses = await trainLosses(model, opt, x, y, steps);
  const bn = model.get(1) as nn.BatchNorm2d;
  return { losses, runningVar: (await bn.runningVar!.tolistAsync()) as number[] };
}

describe.runIf(ready)('CNN training on webgpu', () => {
  it('conv + batch norm + relu + max pool + global average pool: the cpu losses and running statistics', async () => {
    const cpu = await train('cpu', 6);
    const gpu = await train('webgpu', 6);
    expect(cpu.losses[5]!).toBeLessThan(cpu.losses[0]!);
    for (let i = 0; i < cpu.losses.length; i++) expect(Math.abs(gpu.losses[i]! - cpu.losses[i]!)).toBeLessThanOrEqual(1e-4 + 1e-3 * Math.abs(cpu.losses[i]!));
    for (let c = 0; c < cpu.runningVar.length; c++) expect(Math.abs(gpu.runningVar[c]! - cpu.runningVar[c]!)).toBeLessThanOrEqual(1e-4 * (1 + cpu.runningVar[c]!));
  });
});
