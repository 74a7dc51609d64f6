// Handbook 14.3 模型信息 (model information): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, test } from 'vitest';
import { Classifier } from './helpers/models.js';

describe('14.3 model information', () => {
  test('print(model), parameter counts, named parameters and modules', () => {
    const model = new Classifier(784, 256, 10);
    expect(model.toString().split('\n')[0]).toBe('Classifier(');
    let totalParams = 0;
    let trainableParams = 0;
    for (const p of model.parameters()) {
      totalParams += p.numel();
      if (p.requiresGrad) trainableParams += p.numel();
    }
    // 784·256 + 256 + 256·256 + 256 + 256·10 + 10 + 2·(256 + 256)
    expect(totalParams).toBe(270_346);
    expect(trainableParams).toBe(totalParams);
    expect(`Total: ${totalParams.toLocaleString('en-US')}, Trainable: ${trainableParams.toLocaleString('en-US')}`).toBe('Total: 270,346, Trainable: 270,346');
    const lines = model.namedParameters().map(([name, param]) => `${name}: [${param.shape.join(', ')}], requires_grad=${param.requiresGrad}`);
    expect(lines[0]).toBe('fc1.weight: [256, 784], requires_grad=true');
    const mods = model.namedModules().map(([name, m]) => `${name}: ${m.constructor.name}`);
    expect(mods).toEqual([': Classifier', 'fc1: Linear', 'fc2: Linear', 'fc3: Linear', 'dropout: Dropout', 'bn1: BatchNorm1d', 'bn2: BatchNorm1d']);
  });
});
