// Module behaviour a PyTorch user relies on: registration order, named_* prefixes, submodule lookup,
// hooks, train/eval, dtype moves, buffers, state-dict round trips, containers' list/dict operations,
// and the positional-then-options calling convention.
import { describe, expect, test } from 'vitest';
import * as torch from '@kindling/tensor';
import * as nn from '../src/index.js';
import { Classifier } from './helpers/models.js';

describe('registration and traversal', () => {
  test('parameters, buffers and children in assignment order', () => {
    class Net extends nn.Module {
      scale = new nn.Parameter(torch.ones(1));
      body = new nn.Linear(3, 2);
      head = new nn.Linear(2, 1);
      constructor() {
        super();
        this.registerBuffer('steps', torch.zeros(1));
        this.registerBuffer('cache', torch.zeros(2), { persistent: false });
      }
    }
    const net = new Net();
    expect(net.namedParameters().map(([k]) => k)).toEqual(['scale', 'body.weight', 'body.bias', 'head.weight', 'head.bias']);
    expect(net.namedBuffers().map(([k]) => k)).toEqual(['steps', 'cache']);
    expect(Object.keys(net.stateDict())).toEqual(['scale', 'steps', 'body.weight', 'body.bias', 'head.weight', 'head.bias']);
    expect(net.namedParameters({ prefix: 'model', recurse: false }).map(([k]) => k)).toEqual(['model.scale']);
    expect(net.namedModules({ prefix: 'net' }).map(([k]) => k)).toEqual(['net', 'net.body', 'net.head']);
  });
  test('shared modules and parameters are listed once (unless asked)', () => {
    const shared = new nn.Linear(2, 2);
    const seq = new nn.Sequential(shared, new nn.ReLU(), shared);
    expect(seq.parameters().length).toBe(2);
    expect(seq.namedModules().map(([k]) => k)).toEqual(['', '0', '1']);
    expect(seq.namedModules({ removeDuplicate: false }).map(([k]) => k)).toEqual(['', '0', '1', '2']);
  });
  test('getSubmodule / getParameter / getBuffer by dotted path', () => {
    const m = new Classifier(4, 3, 2);
    expect(m.getSubmodule('bn1')).toBe(m.bn1);
    expect(m.getParameter('fc2.bias')).toBe(m.fc2.bias);
    expect(m.getBuffer('bn2.running_var')).toBe(m.bn2.runningVar);
    expect(() => m.getSubmodule('fc9')).toThrow('Classifier has no attribute `fc9`');
  });
  test('register* validate names', () => {
    const m = new nn.Module();
    expect(() => m.registerBuffer('a.b', null)).toThrow('buffer name can\'t contain "."');
    expect(() => m.registerModule('x.y', new nn.ReLU())).toThrow('module name can\'t contain ".", got: x.y');
    expect(() => m.registerParameter('forward', null)).toThrow("attribute 'forward' already exists");
  });
});

describe('modes, hooks and conversions', () => {
  test('train/eval reach every submodule; call() runs forward hooks', () => {
    const m = new Classifier(4, 3, 2);
    m.eval();
    expect(m.modules().every((x) => !x.training)).toBe(true);
    const seen: string[] = [];
    const h = m.fc1.registerForwardHook((mod, _args, out) => {
      seen.push(`${mod.constructor.name}:${(out as torch.Tensor).shape.join('x')}`);
    });
    const pre = m.registerForwardPreHook((_mod, args) => [(args[0] as torch.Tensor).mul(0)]);
    const y = m.call(torch.randn(5, 4)) as torch.Tensor;
    expect(seen).toEqual(['Linear:5x3']);
    expect(y.shape).toEqual([5, 2]);
    h.remove();
    pre.remove();
    m.forward(torch.randn(5, 4));
    expect(seen.length).toBe(1);
  });
  test('a forward hook can replace the output', () => {
    const lin = new nn.Linear(2, 2);
    lin.registerForwardHook(() => torch.zeros(1));
    expect((new nn.Sequential(lin).forward(torch.ones(3, 2)) as torch.Tensor).shape).toEqual([1]);
  });
  test('to(float64) keeps Parameter identity and converts buffers', () => {
    const m = new Classifier(4, 3, 2);
    const w = m.fc1.weight;
    m.double();
    expect(m.fc1.weight).toBe(w);
    expect(w.dtype).toBe('float64');
    expect(m.bn1.runningMean!.dtype).toBe('float64');
    expect(m.bn1.numBatchesTracked!.dtype).toBe('int64');
    expect((m.forward(torch.randn([6, 4], { dtype: 'float64' }))).dtype).toBe('float64');
  });
  test('zeroGrad and requiresGrad_', () => {
    const m = new nn.Linear(3, 2);
    m.forward(torch.ones(1, 3)).sum().backward();
    m.zeroGrad();
    expect(m.weight.grad!.abs().sum().item()).toBe(0);
    m.zeroGrad({ setToNone: true });
    expect(m.weight.grad).toBeNull();
    m.requiresGrad_(false);
    expect(m.parameters().every((p) => !p.requiresGrad)).toBe(true);
  });
  test('modules of float64 from the dtype option', () => {
    const lin = new nn.Linear(3, 2, { dtype: 'float64' });
    expect(lin.weight.dtype).toBe('float64');
    expect(new nn.BatchNorm1d(3, { dtype: 'float64' }).runningVar!.dtype).toBe('float64');
  });
});

describe('state dicts', () => {
  test('round trip between two models', () => {
    const a = new Classifier(4, 3, 2);
    a.train();
    a.forward(torch.randn(8, 4));
    const b = new Classifier(4, 3, 2);
    expect(b.loadStateDict(a.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
    a.eval();
    b.eval();
    const x = torch.randn(5, 4);
    expect(b.forward(x).equal(a.forward(x))).toBe(true);
    // stateDict tensors share storage but are detached.
    const sd = a.stateDict();
    expect(sd['fc1.weight']!.requiresGrad).toBe(false);
  });
  test('a Map works too, and a plain dict without num_batches_tracked loads it as 0', () => {
    const bn = new nn.BatchNorm1d(2);
    const res = bn.loadStateDict(new Map([['weight', torch.ones(2)], ['bias', torch.zeros(2)], ['running_mean', torch.zeros(2)], ['running_var', torch.ones(2)]]));
    expect(res.missingKeys).toEqual([]);
  });
  test('an uninitialised LazyLinear takes its shape from the checkpoint', () => {
    const src = new nn.Linear(7, 3);
    const lazy = new nn.LazyLinear(3);
    lazy.loadStateDict(src.stateDict());
    expect(lazy.inFeatures).toBe(7);
    expect(lazy.weight!.equal(src.weight)).toBe(true);
  });
});

describe('containers', () => {
  test('Sequential: index, slice, set, delete, insert, append, pop', () => {
    const a = new nn.ReLU();
    const b = new nn.Tanh();
    const c = new nn.Sigmoid();
    const seq = new nn.Sequential(a, b);
    seq.append(c);
    expect([...seq]).toEqual([a, b, c]);
    expect(seq[2]).toBe(c);
    seq.delete(0);
    expect(seq.toString()).toBe('Sequential(\n  (0): Tanh()\n  (1): Sigmoid()\n)');
    seq.insert(1, a);
    expect([...seq]).toEqual([b, a, c]);
    expect(seq.pop(-1)).toBe(c);
    seq.set(0, c);
    expect([...seq]).toEqual([c, a]);
    expect(seq[2]).toBeUndefined();
    expect(() => seq.get(5)).toThrow('index 5 is out of range');
  });
  test('ModuleList and ModuleDict operations', () => {
    const list = new nn.ModuleList([new nn.ReLU(), new nn.Tanh()]);
    list.insert(0, new nn.Sigmoid());
    expect(list.namedChildren().map(([k, m]) => `${k}:${m.constructor.name}`)).toEqual(['0:Sigmoid', '1:ReLU', '2:Tanh']);
    expect(list.pop().constructor.name).toBe('Tanh');
    expect(list.slice(1).length).toBe(1);
    const dict = new nn.ModuleDict({ a: new nn.ReLU() });
    dict.set('b', new nn.Tanh());
    expect(dict.keys()).toEqual(['a', 'b']);
    expect(dict.has('a')).toBe(true);
    dict.delete('a');
    expect(dict.keys()).toEqual(['b']);
    expect(() => dict.get('a')).toThrow("KeyError: 'a'");
    // A key shadowing a method stays reachable through get().
    dict.set('keys', new nn.ReLU());
    expect(typeof dict.keys).toBe('function');
    expect(dict.get('keys')).toBeInstanceOf(nn.ReLU);
  });
  test('Flatten / Unflatten', () => {
    const x = torch.randn(2, 3, 4);
    expect(new nn.Flatten().forward(x).shape).toEqual([2, 12]);
    expect(new nn.Flatten(0, -1).forward(x).shape).toEqual([24]);
    expect(new nn.Unflatten(1, [3, 4]).forward(torch.randn(2, 12)).shape).toEqual([2, 3, 4]);
  });
});

describe('the calling convention', () => {
  test('positional arguments, a trailing options object, or both', () => {
    expect(new nn.Dropout(0.2).p).toBe(0.2);
    expect(new nn.Dropout({ p: 0.2 }).p).toBe(0.2);
    expect(new nn.Dropout(0.2, { inplace: true }).inplace).toBe(true);
    expect(new nn.Dropout(0.2, true).inplace).toBe(true);
    expect(new nn.LeakyReLU(0.2, true).toString()).toBe('LeakyReLU(negative_slope=0.2, inplace=True)');
    expect(new nn.Hardtanh({ minVal: -2, maxVal: 2 }).toString()).toBe('Hardtanh(min_val=-2.0, max_val=2.0)');
    expect(new nn.Embedding(10, 3, 0).paddingIdx).toBe(0);
    const x = torch.randn(3, 4);
    expect(nn.functional.softmax(x, 1).equal(nn.functional.softmax(x, { dim: 1 }))).toBe(true);
    expect(nn.functional.hardtanh(x, -0.5, 0.5).equal(nn.functional.hardtanh(x, { minVal: -0.5, maxVal: 0.5 }))).toBe(true);
  });
  test('F.one_hot', () => {
    const oh = nn.functional.oneHot(torch.tensor([0, 2]));
    expect(oh.dtype).toBe('int64');
    expect(oh.tolist()).toEqual([[1, 0, 0], [0, 0, 1]]);
    expect(() => nn.functional.oneHot(torch.tensor([-1]))).toThrow('Class values must be non-negative.');
  });
});
