// Whole-model save/load (handbook 12.1 方式2): Kindling's own form, rebuilt from registered classes
// without calling their constructors; and the handbook 12.2 checkpoint flow against PyTorch's file.
import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import { Tensor } from '@kindling/tensor';
import * as nn from '@kindling/nn';
import { SerializationError, load, registerModule, registerModules, save } from '../src/index.js';
import { fixture } from './helpers.js';

const F = nn.functional;

// Handbook 15.1.
class Classifier extends nn.Module {
  fc1: nn.Linear;
  fc2: nn.Linear;
  fc3: nn.Linear;
  dropout: nn.Dropout;
  bn1: nn.BatchNorm1d;
  bn2: nn.BatchNorm1d;
  static constructed = 0;
  constructor(inputDim: number, hiddenDim: number, numClasses: number, dropout = 0.5) {
    super();
    Classifier.constructed++;
    this.fc1 = new nn.Linear(inputDim, hiddenDim);
    this.fc2 = new nn.Linear(hiddenDim, hiddenDim);
    this.fc3 = new nn.Linear(hiddenDim, numClasses);
    this.dropout = new nn.Dropout(dropout);
    this.bn1 = new nn.BatchNorm1d(hiddenDim);
    this.bn2 = new nn.BatchNorm1d(hiddenDim);
  }
  override forward(x: Tensor): Tensor {
    let h = F.relu(this.bn1.forward(this.fc1.forward(x)) as Tensor);
    h = this.dropout.forward(h) as Tensor;
    h = F.relu(this.bn2.forward(this.fc2.forward(h)) as Tensor);
    h = this.dropout.forward(h) as Tensor;
    return this.fc3.forward(h) as Tensor;
  }
}

registerModules(nn);
registerModule('Classifier', Classifier);

function close(a: Tensor, b: Tensor, tol: number): void {
  const x = a.tolist() as number[][];
  const y = b.tolist() as number[][];
  x.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - y[i]![j]!), `[${i}][${j}]`).toBeLessThan(tol)));
}

describe('handbook 12.2: a PyTorch checkpoint into a Kindling model', () => {
  it('load_state_dict of the checkpoint gives PyTorch’s logits', () => {
    const ckpt = load<Record<string, unknown>>(fixture('checkpoint.pth'));
    const io = load<{ x: Tensor; logits: Tensor }>(fixture('classifier_io.pth'));
    const model = new Classifier(6, 5, 3);
    model.loadStateDict(ckpt['model_state_dict'] as Record<string, Tensor>);
    model.eval();
    close(model.forward(io.x), io.logits, 1e-5);
    expect(ckpt['epoch']).toBe(2);
    expect(ckpt['best_acc']).toBe(0.75);
  });
});

describe('whole-model save/load (Kindling form)', () => {
  it('rebuilds a registered user module of built-in modules, without calling constructors', () => {
    torch.manualSeed(1);
    const model = new Classifier(6, 5, 3, 0.25);
    model.forward(torch.randn(8, 6)); // moves the BatchNorm statistics
    model.eval();
    const x = torch.randn(4, 6);
    const before = model.forward(x);
    const made = Classifier.constructed;

    const back = load<Classifier>(save(model));
    expect(Classifier.constructed).toBe(made);
    expect(back).toBeInstanceOf(Classifier);
    expect(back.fc1).toBeInstanceOf(nn.Linear);
    expect(back.fc1.weight).toBeInstanceOf(nn.Parameter);
    expect(back.fc1.inFeatures).toBe(6);
    expect(back.dropout.p).toBe(0.25);
    expect(back.training).toBe(false);
    expect(back.bn1.training).toBe(false);
    expect(Object.keys(back.stateDict())).toEqual(Object.keys(model.stateDict()));
    expect(back.parameters().length).toBe(model.parameters().length);
    close(back.forward(x), before, 1e-6);
    // Buffers are buffers again (running statistics in the state dict, not parameters).
    expect(back.namedBuffers().map(([n]) => n)).toEqual(model.namedBuffers().map(([n]) => n));
  });

  it('Sequential keeps its children, order and names; shared parameters stay shared', () => {
    const fc = new nn.Linear(3, 3);
    const seq = new nn.Sequential({ fc1: fc, act: new nn.ReLU(), fc2: fc });
    const back = load<nn.Sequential>(save(seq));
    expect(back).toBeInstanceOf(nn.Sequential);
    expect(back.length).toBe(3);
    expect(back.get('fc1')).toBe(back.get('fc2'));
    expect((back as unknown as Record<string, unknown>)['act']).toBeInstanceOf(nn.ReLU);
    const x = torch.randn(2, 3);
    close(back.forward(x) as Tensor, seq.forward(x) as Tensor, 1e-6);
    expect(back.parameters().length).toBe(2);
  });

  it('PyTorch users can read the state dict out of the file', () => {
    const model = new nn.Linear(2, 2);
    const data = load<Record<string, unknown>>(save(model), { weightsOnly: true });
    expect(data).toBeInstanceOf(nn.Linear); // rebuilt, as registered
    // The raw form is an ordinary dict with the state dict inside (what torch.load sees).
    expect(Object.keys(load<Record<string, unknown>>(save({ wrapped: [model] })))).toEqual(['wrapped']);
  });

  it('a generic class with stateDict/loadStateDict (no nn) round-trips', () => {
    class Base {
      stateDict(): Record<string, Tensor> {
        return { w: (this as unknown as { w: Tensor }).w };
      }
      loadStateDict(): void {}
    }
    let calls = 0;
    class Tiny extends Base {
      n: number;
      w: Tensor;
      cfg = { act: 'relu', dims: [1, 2] };
      constructor(n: number) {
        super();
        calls++;
        this.n = n;
        this.w = torch.ones(n);
      }
    }
    registerModule('Tiny', Tiny);
    const back = load<Tiny>(save(new Tiny(3)));
    expect(calls).toBe(1);
    expect(back).toBeInstanceOf(Tiny);
    expect(back.n).toBe(3);
    expect(back.cfg).toEqual({ act: 'relu', dims: [1, 2] });
    expect(back.w.tolist()).toEqual([1, 1, 1]);
  });

  it('a class saved before it was registered is found by its own name', () => {
    class Later extends nn.Module {
      lin = new nn.Linear(1, 1);
    }
    const bytes = save(new Later());
    registerModule('SomethingElse', Later);
    expect(load(bytes)).toBeInstanceOf(Later);
  });

  it('an unregistered class is an error that says how to register it', () => {
    class Unknown extends nn.Module {
      lin = new nn.Linear(1, 1);
    }
    expect(() => load(save(new Unknown()))).toThrow(/cannot rebuild module class 'Unknown'.*registerModule\('Unknown', Unknown\)/);
    expect(() => load(save(new Unknown()))).toThrow(SerializationError);
  });

  it('functions in a module are refused when saving, naming the attribute', () => {
    class WithFn extends nn.Module {
      act = (x: Tensor) => x;
    }
    expect(() => save(new WithFn())).toThrow(/function in attribute 'act' of WithFn/);
  });
});
