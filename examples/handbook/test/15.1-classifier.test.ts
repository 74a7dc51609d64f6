// Handbook 15.1 基础分类模型 (the classification model): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { Classifier } from './helpers/models.js';

describe('15.1 the classification model', () => {
  test('forward gives logits; eval mode is deterministic', () => {
    const model = new Classifier(784, 256, 10, 0.5);
    const x = torch.randn(32, 784);
    const logits = model.forward(x);
    expect(logits.shape).toEqual([32, 10]);
    model.eval();
    expect(model.forward(x).equal(model.forward(x))).toBe(true);
  });
});
