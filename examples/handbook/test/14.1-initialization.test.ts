// Handbook 14.1 初始化方法 (initialisation): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';
import { Classifier } from './helpers/models.js';

const init = nn.init;

describe('14.1 initialisation', () => {
  test('the initialisers of the handbook', () => {
    const layer = new nn.Linear(128, 64);
    init.xavierUniform_(layer.weight);
    init.xavierNormal_(layer.weight);
    init.kaimingUniform_(layer.weight, { mode: 'fan_in', nonlinearity: 'relu' });
    expect(Number(layer.weight.abs().max().item())).toBeLessThanOrEqual(Math.sqrt(6 / 128));
    init.kaimingNormal_(layer.weight, { mode: 'fan_out', nonlinearity: 'relu' });
    init.constant_(layer.bias!, 0);
    expect(layer.bias!.abs().sum().item()).toBe(0);
    init.zeros_(layer.weight);
    init.ones_(layer.weight);
    expect(layer.weight.sum().item()).toBe(64 * 128);
    init.normal_(layer.weight, { mean: 0, std: 0.01 });
    init.uniform_(layer.weight, { a: -1, b: 1 });
    init.orthogonal_(layer.weight);
    const wwt = layer.weight.matmul(layer.weight.T);
    expect(wwt.allclose(torch.eye(64), { atol: 1e-5 })).toBe(true);
    expect(layer.weight.requiresGrad).toBe(true);
    expect(layer.weight.gradFn).toBeNull();
  });
  test('model.apply(init_weights)', () => {
    const model = new Classifier(20, 16, 3);
    const seen: string[] = [];
    model.apply((m) => {
      seen.push(m.constructor.name);
      if (m instanceof nn.Linear) {
        init.kaimingNormal_(m.weight);
        if (m.bias !== null) init.zeros_(m.bias);
      }
    });
    expect(seen).toEqual(['Linear', 'Linear', 'Linear', 'Dropout', 'BatchNorm1d', 'BatchNorm1d', 'Classifier']);
    expect(model.fc2.bias!.abs().sum().item()).toBe(0);
  });
});
