// Handbook 15.2: the CNN model, forward and backward against PyTorch for the same weights and input.
import { describe, expect, test } from 'vitest';
import type { Tensor } from '@kindling/tensor';
import * as nn from '../src/index.js';
import { Module } from '../src/index.js';
import { loadFixture, runCase } from './nn2-harness.js';

export class CNN extends Module {
  features: Module;
  classifier: Module;
  constructor(numClasses = 10) {
    super();
    this.features = new nn.Sequential(
      new nn.Conv2d(3, 64, { kernelSize: 3, padding: 1 }),
      new nn.BatchNorm2d(64),
      new nn.ReLU({ inplace: true }),
      new nn.MaxPool2d(2, 2),

      new nn.Conv2d(64, 128, { kernelSize: 3, padding: 1 }),
      new nn.BatchNorm2d(128),
      new nn.ReLU({ inplace: true }),
      new nn.MaxPool2d(2, 2),

      new nn.Conv2d(128, 256, { kernelSize: 3, padding: 1 }),
      new nn.BatchNorm2d(256),
      new nn.ReLU({ inplace: true }),
      new nn.AdaptiveAvgPool2d([1, 1]),
    );
    this.classifier = new nn.Linear(256, numClasses);
  }
  override forward(x: Tensor): Tensor {
    x = this.features.forward(x) as Tensor;
    x = x.flatten(1);
    return this.classifier.forward(x) as Tensor;
  }
}

describe('15.2 CNN vs PyTorch (fixtures/nn2/cnn.json)', () => {
  for (const c of loadFixture('cnn').cases) test(c.id, () => runCase(c, { build: () => new CNN() }), 60_000);
  test('parameter names match PyTorch state dict keys', () => {
    const keys = Object.keys(new CNN().stateDict());
    expect(keys.slice(0, 7)).toEqual([
      'features.0.weight', 'features.0.bias', 'features.1.weight', 'features.1.bias', 'features.1.running_mean', 'features.1.running_var', 'features.1.num_batches_tracked',
    ]);
    expect(keys.at(-1)).toBe('classifier.bias');
  });
});
