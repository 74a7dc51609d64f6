// Bad input gets PyTorch's error (same words, Python's number formatting) and changes nothing.
import { describe, expect, it } from 'vitest';
import '@kindling/backend-cpu';
import * as torch from '@kindling/tensor';
import type { Tensor } from '@kindling/tensor';
import { Adadelta, Adagrad, Adam, AdamW, LBFGS, NAdam, RAdam, RMSprop, SGD, lr_scheduler, type OptimizerStateDict } from '../src/index.js';

const leaf = (...values: number[]): Tensor => torch.tensor(values, { dtype: 'float32', requiresGrad: true });

describe('optimizer options are checked with PyTorch messages', () => {
  const p = () => [leaf(1, 2)];
  it.each([
    ['SGD lr', () => new SGD(p(), { lr: -0.1 }), 'Invalid learning rate: -0.1'],
    ['SGD positional lr', () => new SGD(p(), -0.1), 'Invalid learning rate: -0.1'],
    ['SGD momentum', () => new SGD(p(), { lr: 0.1, momentum: -0.5 }), 'Invalid momentum value: -0.5'],
    ['SGD weight_decay', () => new SGD(p(), { lr: 0.1, weightDecay: -1e-5 }), 'Invalid weight_decay value: -1e-05'],
    ['SGD nesterov', () => new SGD(p(), { lr: 0.1, nesterov: true }), 'Nesterov momentum requires a momentum and zero dampening'],
    ['SGD nesterov dampening', () => new SGD(p(), { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }), 'Nesterov momentum requires a momentum and zero dampening'],
    ['Adam lr', () => new Adam(p(), { lr: -1e-3 }), 'Invalid learning rate: -0.001'],
    ['Adam eps', () => new Adam(p(), { eps: -1e-8 }), 'Invalid epsilon value: -1e-08'],
    ['Adam beta1', () => new Adam(p(), { betas: [1.0, 0.999] }), 'Invalid beta parameter at index 0: 1'],
    ['Adam beta2', () => new Adam(p(), { betas: [0.9, -0.1] }), 'Invalid beta parameter at index 1: -0.1'],
    ['Adam weight_decay', () => new Adam(p(), { weightDecay: -0.01 }), 'Invalid weight_decay value: -0.01'],
    ['AdamW beta1', () => new AdamW(p(), { betas: [1.5, 0.999] }), 'Invalid beta parameter at index 0: 1.5'],
    ['RMSprop alpha', () => new RMSprop(p(), { alpha: -0.9 }), 'Invalid alpha value: -0.9'],
    ['RMSprop momentum', () => new RMSprop(p(), { momentum: -0.9 }), 'Invalid momentum value: -0.9'],
    ['Adagrad lr_decay', () => new Adagrad(p(), { lrDecay: -0.1 }), 'Invalid lr_decay value: -0.1'],
    ['Adagrad initial_accumulator_value', () => new Adagrad(p(), { initialAccumulatorValue: -1 }), 'Invalid initial_accumulator_value value: -1'],
    ['Adadelta rho', () => new Adadelta(p(), { rho: 1.5 }), 'Invalid rho value: 1.5'],
    ['NAdam momentum_decay', () => new NAdam(p(), { momentumDecay: -4e-3 }), 'Invalid momentum_decay value: -0.004'],
    ['RAdam eps', () => new RAdam(p(), { eps: -1 }), 'Invalid epsilon value: -1'],
    ['per-group lr', () => new SGD([{ params: p(), lr: -0.5 }], 0.1), 'Invalid learning rate: -0.5'],
  ])('%s', (_, make, message) => {
    expect(make).toThrow(message);
  });

  it('SGD has no default lr (PyTorch 1.13): every group must give one', () => {
    expect(() => new SGD(p())).toThrow("parameter group didn't specify a value of required optimization parameter lr");
    const opt = new SGD([{ params: p(), lr: 0.5 }]);
    expect(opt.paramGroups[0]!.lr).toBe(0.5);
  });

  it('flags Kindling has no use for are refused, not ignored', () => {
    expect(() => new Adam(p(), { fused: true })).toThrow('Adam: fused=True is not supported by Kindling');
    expect(() => new SGD(p(), { lr: 0.1, differentiable: true })).toThrow('differentiable=True');
  });
});

describe('params are checked', () => {
  it('non-leaf tensors cannot be optimized', () => {
    const w = leaf(1, 2);
    expect(() => new SGD([w.mul(2)], 0.1)).toThrow("can't optimize a non-leaf Tensor");
  });
  it('a non-leaf that retains its grad can', () => {
    const y = leaf(1, 2).mul(2);
    y.retainGrad();
    expect(() => new SGD([y], 0.1)).not.toThrow();
  });
  it('only tensors', () => {
    expect(() => new SGD([1, 2] as never, 0.1)).toThrow(new TypeError('optimizer can only optimize Tensors, but one of the params is number'));
  });
  it('a tensor is not a list of tensors', () => {
    expect(() => new SGD(leaf(1) as never, 0.1)).toThrow('params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor');
  });
  it('empty list', () => {
    expect(() => new Adam([])).toThrow('optimizer got an empty parameter list');
  });
  it('sets have no stable order', () => {
    expect(() => new SGD([{ params: new Set([leaf(1)]) }], 0.1)).toThrow('optimizer parameters need to be organized in ordered collections');
  });
  it('a param in two groups', () => {
    const w = leaf(1);
    expect(() => new SGD([{ params: [w] }, { params: [w, leaf(2)] }], 0.1)).toThrow('some parameters appear in more than one parameter group');
  });
  it('a failed addParamGroup leaves the groups as they were', () => {
    const w = leaf(1);
    const opt = new SGD([w], 0.1);
    expect(() => opt.addParamGroup({ params: [w] })).toThrow('some parameters appear in more than one parameter group');
    expect(() => opt.addParamGroup({ params: [leaf(2)], lr: -1 })).toThrow('Invalid learning rate: -1');
    expect(opt.paramGroups).toHaveLength(1);
  });
  it("LBFGS doesn't support param groups, and needs a closure", () => {
    expect(() => new LBFGS([{ params: [leaf(1)] }, { params: [leaf(2)] }])).toThrow("LBFGS doesn't support per-parameter options (parameter groups)");
    expect(() => new LBFGS([leaf(1)], { lineSearchFn: 'wolfe' as never })).toThrow("only 'strong_wolfe' is supported");
    expect(() => new LBFGS([leaf(1)]).step()).toThrow('LBFGS.step() requires a closure');
  });
});

describe('loadStateDict checks the layout', () => {
  const make = () => new SGD([{ params: [leaf(1), leaf(2)] }, { params: [leaf(3)], lr: 0.2 }], { lr: 0.1, momentum: 0.9 });
  it('number of groups', () => {
    const sd = make().stateDict();
    const other = new SGD([leaf(1), leaf(2), leaf(3)], 0.1);
    expect(() => other.loadStateDict(sd)).toThrow('loaded state dict has a different number of parameter groups');
  });
  it('group sizes', () => {
    const sd = make().stateDict();
    sd.param_groups[0]!.params = [0];
    sd.param_groups[1]!.params = [1, 2];
    expect(() => make().loadStateDict(sd)).toThrow("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
  });
  it('not a state dict', () => {
    expect(() => make().loadStateDict({} as OptimizerStateDict)).toThrow('loadStateDict expects an object with `state` and `param_groups`');
  });
});

describe('scheduler options are checked', () => {
  const opt = () => new SGD([leaf(1)], { lr: 0.1, momentum: 0.9 });
  it.each([
    ['not an optimizer', () => new lr_scheduler.StepLR({} as never, 3), 'Object is not an Optimizer'],
    ['ConstantLR factor', () => new lr_scheduler.ConstantLR(opt(), { factor: 2 }), 'Constant multiplicative factor expected to be between 0 and 1.'],
    ['LinearLR start', () => new lr_scheduler.LinearLR(opt(), { startFactor: 1.5 }), 'Starting multiplicative factor expected to be between 0 and 1.'],
    ['LinearLR end', () => new lr_scheduler.LinearLR(opt(), { endFactor: -1 }), 'Ending multiplicative factor expected to be between 0 and 1.'],
    ['CosineAnnealingWarmRestarts T_0', () => new lr_scheduler.CosineAnnealingWarmRestarts(opt(), 0), 'Expected positive integer T_0, but got 0'],
    ['CosineAnnealingWarmRestarts T_mult', () => new lr_scheduler.CosineAnnealingWarmRestarts(opt(), { T_0: 5, T_mult: 1.5 }), 'Expected integer T_mult >= 1, but got 1.5'],
    ['OneCycleLR steps', () => new lr_scheduler.OneCycleLR(opt(), 0.1), 'You must define either total_steps OR (epochs AND steps_per_epoch)'],
    ['OneCycleLR total_steps', () => new lr_scheduler.OneCycleLR(opt(), 0.1, { totalSteps: 0 }), 'Expected positive integer total_steps, but got 0'],
    ['OneCycleLR pct_start', () => new lr_scheduler.OneCycleLR(opt(), 0.1, { totalSteps: 10, pctStart: 1.5 }), 'Expected float between 0 and 1 pct_start, but got 1.5'],
    ['OneCycleLR anneal', () => new lr_scheduler.OneCycleLR(opt(), 0.1, { totalSteps: 10, annealStrategy: 'exp' as never }), "anneal_strategy must by one of 'cos' or 'linear', instead got exp"],
    ['OneCycleLR momentum', () => new lr_scheduler.OneCycleLR(new Adagrad([leaf(1)]), 0.1, { totalSteps: 10 }), 'optimizer must support momentum with `cycle_momentum` option enabled'],
    ['CyclicLR momentum', () => new lr_scheduler.CyclicLR(new Adam([leaf(1)]), 0.01, 0.1), 'optimizer must support momentum with `cycle_momentum` option enabled'],
    ['CyclicLR mode', () => new lr_scheduler.CyclicLR(opt(), 0.01, 0.1, { mode: 'sine' as never }), 'mode is invalid and scale_fn is None'],
    ['CyclicLR per-group list', () => new lr_scheduler.CyclicLR(opt(), [0.01, 0.02], 0.1), 'expected 1 values for base_lr, got 2'],
    ['ReduceLROnPlateau factor', () => new lr_scheduler.ReduceLROnPlateau(opt(), { factor: 1.0 }), 'Factor should be < 1.0.'],
    ['ReduceLROnPlateau mode', () => new lr_scheduler.ReduceLROnPlateau(opt(), { mode: 'up' as never }), 'mode up is unknown!'],
    ['ReduceLROnPlateau threshold mode', () => new lr_scheduler.ReduceLROnPlateau(opt(), { thresholdMode: 'pct' as never }), 'threshold mode pct is unknown!'],
    ['ReduceLROnPlateau min_lr list', () => new lr_scheduler.ReduceLROnPlateau(opt(), { minLr: [0, 0] }), 'expected 1 min_lrs, got 2'],
    ['LambdaLR list', () => new lr_scheduler.LambdaLR(opt(), [() => 1, () => 1]), 'Expected 1 lr_lambdas, but got 2'],
    ['resuming without initial_lr', () => new lr_scheduler.StepLR(opt(), 3, { lastEpoch: 5 }), "param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer"],
  ])('%s', (_, make, message) => {
    expect(make).toThrow(message);
  });

  it('SequentialLR: milestones and optimizers must match', () => {
    const o = opt();
    const a = new lr_scheduler.ConstantLR(o);
    const b = new lr_scheduler.ExponentialLR(o, 0.9);
    expect(() => new lr_scheduler.SequentialLR(o, [a, b], [])).toThrow(
      'Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers 2 and the number of milestones to be equal to 0',
    );
    expect(() => new lr_scheduler.SequentialLR(opt(), [a, b], [3])).toThrow('Sequential Schedulers expects all schedulers to belong to the same optimizer');
    expect(() => new lr_scheduler.ChainedScheduler([a, new lr_scheduler.ExponentialLR(opt(), 0.9)])).toThrow(
      'ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and 1 to be different',
    );
  });

  it('OneCycleLR refuses to step past totalSteps', () => {
    const o = opt();
    const s = new lr_scheduler.OneCycleLR(o, 0.1, { totalSteps: 3 });
    for (let i = 0; i < 3; i++) {
      o.step();
      s.step();
    }
    expect(() => s.step()).toThrow('Tried to step 5 times. The specified number of total steps is 3');
  });

  it('CosineAnnealingWarmRestarts: negative epoch', () => {
    expect(() => new lr_scheduler.CosineAnnealingWarmRestarts(opt(), 3).step(-1)).toThrow('Expected non-negative epoch, but got -1');
  });
});
