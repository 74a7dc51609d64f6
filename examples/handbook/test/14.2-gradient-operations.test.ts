// Handbook 14.2 梯度操作 (gradient operations): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';
import { MultiTaskModel } from './helpers/models.js';

describe('14.2 gradient operations', () => {
  const setup = () => {
    const model = new MultiTaskModel();
    (model.forward(torch.randn(8, 128), 'classification')).pow(2).sum().backward();
    return model;
  };
  test('clip_grad_norm_ and clip_grad_value_', () => {
    const model = setup();
    nn.utils.clipGradNorm_(model.parameters(), 1.0);
    const norms = model.parameters().filter((p) => p.grad).map((p) => p.grad!.norm());
    expect(Number(torch.stack(norms).norm().item())).toBeLessThanOrEqual(1.0001);
    nn.utils.clipGradValue_(model.parameters(), 0.01);
    for (const p of model.parameters()) if (p.grad) expect(Number(p.grad.abs().max().item())).toBeLessThanOrEqual(0.01);
  });
  test('inspecting, freezing and filtering parameters', () => {
    const model = setup();
    const lines: string[] = [];
    for (const [name, param] of model.namedParameters()) {
      if (param.grad !== null) lines.push(`${name}: grad_norm = ${Number(param.grad.norm().item()).toFixed(4)}`);
    }
    expect(lines.map((l) => l.split(':')[0])).toEqual(['backbone.weight', 'backbone.bias', 'heads.classification.weight', 'heads.classification.bias']);
    for (const param of model.backbone.parameters()) param.requiresGrad = false;
    const trainable = model.parameters().filter((p) => p.requiresGrad);
    expect(trainable.length).toBe(4);
  });
});
