// Handbook 8.1-8.2 and 9.2 in TypeScript: param groups with their own options, reading and setting
// `lr` by hand, zeroGrad (keep zeroed grads, or drop them), in-place updates that keep the param
// objects, closures, state dict layout, and schedulers stepped per epoch, per batch and on a metric.
import { describe, expect, it, vi } from 'vitest';
import '@kindling/backend-cpu';
import * as autograd from '@kindling/autograd';
import * as torch from '@kindling/tensor';
import type { Tensor } from '@kindling/tensor';
import * as optim from '../src/index.js';
import { Adam, AdamW, LBFGS, SGD, lr_scheduler, StepLR, OneCycleLR } from '../src/index.js';

const leaf = (...values: number[]): Tensor => torch.tensor(values, { dtype: 'float32', requiresGrad: true });
const values = (t: Tensor) => Array.from(t.detach().dataSync() as Float32Array);

/** A tiny "model": backbone and classifier params, and a squared-error loss. */
function model() {
  const backbone = [leaf(0.5, -0.25), leaf(0.1)];
  const classifier = [leaf(1.0, 2.0)];
  const x = torch.tensor([1.0, 2.0]);
  const loss = () => x.mul(backbone[0]!).sum().add(backbone[1]!).mul(classifier[0]!).sum().sub(1).pow(2);
  return { backbone, classifier, params: [...backbone, ...classifier], loss };
}

describe('handbook 8.1: constructing optimizers', () => {
  it('the handbook calls, with PyTorch 1.13 defaults filled in', () => {
    const { params } = model();
    const sgd = new optim.SGD(params, { lr: 0.01, momentum: 0.9, weightDecay: 1e-4, nesterov: true });
    expect(sgd.paramGroups[0]).toMatchObject({ lr: 0.01, momentum: 0.9, weightDecay: 1e-4, nesterov: true, dampening: 0, maximize: false });
    const adam = new optim.Adam(params, { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
    expect(adam.paramGroups[0]).toMatchObject({ lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false });
    const adamw = new optim.AdamW(params, { lr: 1e-4, weightDecay: 0.01 });
    expect(adamw.defaults).toMatchObject({ lr: 1e-4, weightDecay: 0.01, betas: [0.9, 0.999], eps: 1e-8 });
    expect(new optim.AdamW(params).defaults.weightDecay).toBe(1e-2);
    expect(new optim.RMSprop(params).defaults).toMatchObject({ lr: 1e-2, alpha: 0.99, eps: 1e-8, momentum: 0, centered: false });
    expect(new optim.Adagrad(params).defaults).toMatchObject({ lr: 1e-2, lrDecay: 0, eps: 1e-10, initialAccumulatorValue: 0 });
    expect(new optim.Adadelta(params).defaults).toMatchObject({ lr: 1.0, rho: 0.9, eps: 1e-6 });
    expect(new optim.NAdam(params).defaults).toMatchObject({ lr: 2e-3, momentumDecay: 4e-3 });
    expect(new optim.RAdam(params).defaults).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999] });
    expect(new optim.LBFGS(params).defaults).toMatchObject({ lr: 1, maxIter: 20, maxEval: 25, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearchFn: null });
    expect(new optim.LBFGS(params, { maxIter: 7 }).defaults.maxEval).toBe(8);
  });

  it('lr positionally, as in optim.SGD(params, 0.1)', () => {
    const { params } = model();
    expect(new SGD(params, 0.1, { momentum: 0.5 }).paramGroups[0]).toMatchObject({ lr: 0.1, momentum: 0.5 });
  });

  it('param groups with different lrs; the rest from the defaults', () => {
    const m = model();
    const opt = new Adam([
      { params: m.backbone, lr: 1e-5 },
      { params: m.classifier, lr: 1e-3 },
    ]);
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([1e-5, 1e-3]);
    expect(opt.paramGroups[0]!.params).toEqual(m.backbone);
    expect(opt.paramGroups[1]).toMatchObject({ betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
    // Groups do not share the defaults' arrays.
    opt.paramGroups[0]!.betas[0] = 0.5;
    expect(opt.defaults.betas[0]).toBe(0.9);
    expect(opt.paramGroups[1]!.betas[0]).toBe(0.9);
  });

  it('addParamGroup: a group added later (unfrozen layers) gets the defaults and is stepped', () => {
    const m = model();
    const opt = new SGD(m.backbone, { lr: 0.1, momentum: 0.9 });
    opt.addParamGroup({ params: m.classifier, lr: 0.01 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.01, momentum: 0.9 });
    const before = values(m.classifier[0]!);
    m.loss().backward();
    opt.step();
    expect(values(m.classifier[0]!)).not.toEqual(before);
  });
});

describe('handbook 8.2: the training loop', () => {
  it('zeroGrad, backward, step: params change in place and stay the same objects', () => {
    const m = model();
    const opt = new Adam(m.params, { lr: 0.01 });
    const objects = [...m.params];
    const storages = m.params.map((p) => p.storageId);
    let first = 0;
    let last = 0;
    for (let i = 0; i < 20; i++) {
      opt.zeroGrad();
      const loss = m.loss();
      loss.backward();
      opt.step();
      if (i === 0) first = Number(loss.item());
      last = Number(loss.item());
    }
    expect(last).toBeLessThan(first);
    m.params.forEach((p, i) => {
      expect(p).toBe(objects[i]);
      expect(p.storageId).toBe(storages[i]);
      expect(p.isLeaf).toBe(true);
      expect(p.requiresGrad).toBe(true);
      expect(p.gradFn).toBeNull();
    });
    expect([...opt.state.keys()]).toEqual(m.params);
  });

  it('reading and setting lr by hand, per group', () => {
    const w = leaf(1.0);
    const opt = new SGD([w], 0.1);
    const seen: number[] = [];
    for (const g of opt.paramGroups) {
      seen.push(g.lr);
      g.lr = 0.0001;
    }
    expect(seen).toEqual([0.1]);
    w.grad = torch.tensor([1.0]);
    opt.step();
    expect(values(w)[0]).toBeCloseTo(1 - 0.0001, 7);
  });

  it('zeroGrad() keeps the grad tensors, zeroed (the 1.13 default); setToNone drops them', () => {
    const m = model();
    const opt = new SGD(m.params, 0.1);
    m.loss().backward();
    const grads = m.params.map((p) => p.grad!);
    opt.zeroGrad();
    m.params.forEach((p, i) => {
      expect(p.grad).toBe(grads[i]);
      expect(values(p.grad!).every((v) => v === 0)).toBe(true);
    });
    opt.zeroGrad({ setToNone: true });
    expect(m.params.every((p) => p.grad === null)).toBe(true);
  });

  it('a param without a grad is skipped: no update, no state (with a zero grad, weight decay still moves it)', () => {
    const used = leaf(1.0);
    const unused = leaf(1.0);
    const opt = new SGD([used, unused], { lr: 0.1, weightDecay: 0.5, momentum: 0.9 });
    used.mul(3).sum().backward();
    opt.step();
    expect(values(unused)).toEqual([1]);
    expect(opt.state.has(unused)).toBe(false);
    unused.grad = torch.zeros(1);
    opt.step();
    expect(values(unused)[0]).toBeCloseTo(1 - 0.1 * 0.5, 6);
  });

  it('maximize climbs the objective', () => {
    const w = leaf(0.0);
    const opt = new SGD([w], { lr: 0.1, maximize: true });
    w.mul(2).sum().backward();
    opt.step();
    expect(values(w)[0]).toBeCloseTo(0.2, 6);
  });

  it('step(closure) returns the closure\'s loss, evaluated with grad enabled even under noGrad', () => {
    const m = model();
    const opt = new AdamW(m.params);
    const closure = () => {
      opt.zeroGrad();
      const l = m.loss();
      l.backward();
      return l;
    };
    const loss = autograd.noGrad(() => opt.step(closure));
    expect(loss).toBeInstanceOf(torch.Tensor);
    expect(Number(loss!.item())).toBeGreaterThan(0);
    expect(opt.step()).toBeUndefined();
  });

  it('LBFGS minimizes a quadratic with its closure', () => {
    const w = leaf(3.0, -2.0);
    const target = torch.tensor([1.0, 0.5]);
    const opt = new LBFGS([w], { lineSearchFn: 'strong_wolfe' });
    const closure = () => {
      opt.zeroGrad();
      const l = w.sub(target).pow(2).sum();
      l.backward();
      return l;
    };
    for (let i = 0; i < 3; i++) opt.step(closure);
    expect(values(w)[0]).toBeCloseTo(1.0, 5);
    expect(values(w)[1]).toBeCloseTo(0.5, 5);
  });

  it('stateDict: state keyed by param index, groups with snake_case options and param indices', () => {
    const m = model();
    const opt = new Adam([{ params: m.backbone, lr: 1e-5 }, { params: m.classifier, weightDecay: 0.1 }]);
    m.loss().backward();
    opt.step();
    const sd = opt.stateDict();
    expect(sd.param_groups).toEqual([
      { lr: 1e-5, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false, maximize: false, foreach: null, capturable: false, differentiable: false, fused: false, params: [0, 1] },
      { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.1, amsgrad: false, maximize: false, foreach: null, capturable: false, differentiable: false, fused: false, params: [2] },
    ]);
    expect(Object.keys(sd.state)).toEqual(['0', '1', '2']);
    const s0 = sd.state[0]!;
    expect(Object.keys(s0).sort()).toEqual(['exp_avg', 'exp_avg_sq', 'step']);
    // PyTorch 1.13 keeps Adam's step as a float32 0-dim tensor.
    expect((s0['step'] as Tensor).dtype).toBe('float32');
    expect((s0['step'] as Tensor).shape).toEqual([]);
    expect(Number((s0['step'] as Tensor).item())).toBe(1);
  });

  it('loadStateDict copies: the loaded dict and the optimizer do not share tensors', () => {
    const w = leaf(1.0, 2.0);
    const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
    w.grad = torch.tensor([1.0, 1.0]);
    opt.step();
    const sd = opt.stateDict();
    const w2 = leaf(1.0, 2.0);
    const opt2 = new SGD([w2], { lr: 0.5 });
    opt2.loadStateDict(sd);
    expect(opt2.paramGroups[0]).toMatchObject({ lr: 0.1, momentum: 0.9, params: [w2] });
    const buf = opt2.state.get(w2)!['momentum_buffer'] as Tensor;
    expect(buf).not.toBe(sd.state[0]!['momentum_buffer']);
    (sd.state[0]!['momentum_buffer'] as Tensor).fill_(7);
    expect(values(buf)).toEqual([1, 1]);
  });

  it('toString lists the groups like PyTorch\'s repr', () => {
    const opt = new SGD([leaf(1)], { lr: 0.1, momentum: 0.9 });
    expect(opt.toString()).toBe(
      ['SGD (', 'Parameter Group 0', '    dampening: 0', '    differentiable: False', '    foreach: None', '    lr: 0.1', '    maximize: False',
        '    momentum: 0.9', '    nesterov: False', '    weight_decay: 0', ')'].join('\n'),
    );
  });
});

describe('handbook 9.1-9.2: schedulers', () => {
  it('import { lr_scheduler } and the classes directly are the same', () => {
    expect(lr_scheduler.StepLR).toBe(StepLR);
    expect(lr_scheduler.OneCycleLR).toBe(OneCycleLR);
    expect(optim.lr_scheduler.ReduceLROnPlateau).toBe(optim.ReduceLROnPlateau);
  });

  it('the handbook constructors', () => {
    const opt = new Adam(model().params, { lr: 0.001 });
    expect(() => new lr_scheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 })).not.toThrow();
    expect(() => new lr_scheduler.MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 })).not.toThrow();
    expect(() => new lr_scheduler.CosineAnnealingLR(opt, { T_max: 100, etaMin: 1e-6 })).not.toThrow();
    expect(() => new lr_scheduler.ReduceLROnPlateau(opt, { mode: 'min', factor: 0.1, patience: 10 })).not.toThrow();
    expect(() => new lr_scheduler.OneCycleLR(opt, { maxLr: 0.01, totalSteps: 10 * 5, pctStart: 0.3 })).not.toThrow();
    const warmupCosine = (epoch: number) => (epoch < 5 ? epoch / 5 : 0.5 * (1 + Math.cos((Math.PI * (epoch - 5)) / 95)));
    expect(() => new lr_scheduler.LambdaLR(opt, { lrLambda: warmupCosine })).not.toThrow();
  });

  it('per epoch: StepLR after each epoch of batches', () => {
    const m = model();
    const opt = new SGD(m.params, { lr: 0.1 });
    const sched = new StepLR(opt, 2, { gamma: 0.5 });
    const lrs: number[] = [];
    for (let epoch = 0; epoch < 5; epoch++) {
      for (let batch = 0; batch < 3; batch++) {
        opt.zeroGrad();
        m.loss().backward();
        opt.step();
      }
      sched.step();
      lrs.push(sched.getLastLr()[0]!);
    }
    expect(lrs).toEqual([0.1, 0.05, 0.05, 0.025, 0.025]);
  });

  it('per batch: OneCycleLR over epochs × batches (the values PyTorch 1.13 gives)', () => {
    const m = model();
    const opt = new SGD(m.params, { lr: 0.1, momentum: 0.9 });
    const sched = new OneCycleLR(opt, { maxLr: 0.1, epochs: 3, stepsPerEpoch: 4 });
    let peak = 0;
    const lrs: number[] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      for (let batch = 0; batch < 4; batch++) {
        opt.zeroGrad();
        m.loss().backward();
        opt.step();
        sched.step();
        peak = Math.max(peak, sched.getLastLr()[0]!);
        lrs.push(sched.getLastLr()[0]!);
      }
    }
    // The last batch's step lands past the schedule's end (step totalSteps), as in PyTorch.
    expect(peak).toBeCloseTo(0.09944154354509119, 15);
    expect(lrs[10]).toBeCloseTo(4e-7, 18);
    expect(lrs[11]).toBeCloseTo(0.0034566987425395167, 15);
  });

  it('ReduceLROnPlateau takes the metric (a number or a tensor)', () => {
    const opt = new SGD([leaf(1)], 0.1);
    const sched = new lr_scheduler.ReduceLROnPlateau(opt, { patience: 1 });
    for (const valLoss of [1.0, 0.9, 0.95, 0.95]) sched.step(torch.tensor(valLoss));
    expect(sched.getLastLr()[0]).toBeCloseTo(0.01, 12);
  });

  it('two schedulers on one optimizer compose (each multiplies the current lr)', () => {
    const opt = new SGD([leaf(1)], 1.0);
    const a = new lr_scheduler.ExponentialLR(opt, 0.5);
    const b = new lr_scheduler.MultiStepLR(opt, [2], { gamma: 0.1 });
    for (let i = 0; i < 3; i++) {
      opt.step();
      a.step();
      b.step();
    }
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.125 * 0.1, 15);
  });

  it('warns when scheduler.step() comes before optimizer.step(), as PyTorch does', () => {
    const spy = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const opt = new SGD([leaf(1)], 0.1);
    const s = new lr_scheduler.ExponentialLR(opt, 0.9);
    s.step();
    expect(spy.mock.calls.some(([m]) => String(m).startsWith('Detected call of `lr_scheduler.step()` before `optimizer.step()`'))).toBe(true);
    spy.mockRestore();
  });

  it('verbose prints each change like PyTorch', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const opt = new SGD([leaf(1)], 0.1);
    new lr_scheduler.StepLR(opt, { stepSize: 1, gamma: 0.5, verbose: true });
    expect(log).toHaveBeenCalledWith('Adjusting learning rate of group 0 to 1.0000e-01.');
    log.mockRestore();
  });
});
