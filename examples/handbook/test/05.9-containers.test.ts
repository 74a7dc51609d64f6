// Handbook 5.9 容器模块 (containers): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';
import { MultiTaskModel, MyModel } from './helpers/models.js';

describe('5.9 containers', () => {
  test('Sequential runs its children in order', () => {
    const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 128), new nn.ReLU(), new nn.Linear(128, 10));
    expect((model.forward(torch.randn(4, 784)) as torch.Tensor).shape).toEqual([4, 10]);
    expect(model.length).toBe(5);
    expect(model[0]).toBeInstanceOf(nn.Linear);
    expect(model.get(-1)).toBe(model[4]);
    const sub = model.slice(0, 2);
    expect(sub[0]).toBe(model[0]);
  });
  test('Sequential with names: model.fc1', () => {
    const model = new nn.Sequential({ fc1: new nn.Linear(784, 256), relu1: new nn.ReLU(), fc2: new nn.Linear(256, 10) });
    expect(model.fc1.toString()).toBe('Linear(in_features=784, out_features=256, bias=True)');
    expect(model.fc1.weight.shape).toEqual([256, 784]);
    expect(model.get('fc2')).toBe(model.fc2);
    expect(model[0]).toBe(model.fc1);
    expect(Object.keys(model.stateDict())).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
  });
  test('ModuleList', () => {
    const model = new MyModel(4);
    expect(model.layers.length).toBe(4);
    expect(model.parameters().length).toBe(8);
    expect(model.forward(torch.randn(2, 128)).shape).toEqual([2, 128]);
    model.layers.append(new nn.Linear(128, 128));
    expect(Object.keys(model.stateDict())).toContain('layers.4.weight');
  });
  test('ModuleDict', () => {
    const model = new MultiTaskModel();
    const x = torch.randn(5, 128);
    expect(model.forward(x, 'classification').shape).toEqual([5, 10]);
    expect(model.forward(x, 'regression').shape).toEqual([5, 1]);
    expect(model.heads.classification).toBe(model.heads.get('classification'));
    expect([...model.heads]).toEqual(['classification', 'regression']);
  });
  test('ParameterList and ParameterDict register their tensors', () => {
    class M extends nn.Module {
      ps = new nn.ParameterList([torch.zeros(2), torch.ones(3)]);
      pd = new nn.ParameterDict({ scale: torch.ones(1) });
    }
    const m = new M();
    expect(m.namedParameters().map(([k]) => k)).toEqual(['ps.0', 'ps.1', 'pd.scale']);
    expect(m.ps[1]).toBeInstanceOf(nn.Parameter);
    expect(m.pd.get('scale').requiresGrad).toBe(true);
  });
});
