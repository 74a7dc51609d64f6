// Handbook 8.1 常用优化器 (optimizers): the section's code block in TypeScript, run as a test that checks
// the values its comments state (and PyTorch 1.13's defaults for what they leave out).
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

const { optim } = torch;

/** A model with a backbone and a classifier, as the parameter-group example assumes. */
class Net extends nn.Module {
  backbone = new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU());
  classifier = new nn.Linear(16, 3);
  override forward(x: torch.Tensor): torch.Tensor {
    return this.classifier.forward(this.backbone.forward(x) as torch.Tensor);
  }
}

describe('8.1 optimizers', () => {
  const model = new Net();

  test('SGD with momentum, weight decay (L2 正则) and Nesterov', () => {
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9, weightDecay: 1e-4, nesterov: true });
    expect(optimizer.paramGroups[0]).toMatchObject({ lr: 0.01, momentum: 0.9, weightDecay: 1e-4, nesterov: true, dampening: 0 });
    expect(optimizer.paramGroups[0]!.params).toHaveLength(4);
  });

  test('Adam', () => {
    const optimizer = new optim.Adam(model.parameters(), { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
    expect(optimizer.paramGroups[0]).toMatchObject({ lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false });
  });

  test('AdamW (推荐用于 Transformer)', () => {
    const optimizer = new optim.AdamW(model.parameters(), { lr: 1e-4, weightDecay: 0.01 });
    expect(optimizer.paramGroups[0]).toMatchObject({ lr: 1e-4, weightDecay: 0.01, betas: [0.9, 0.999], eps: 1e-8 });
  });

  test('不同参数组使用不同学习率: one lr for the backbone, another for the classifier', () => {
    const optimizer = new optim.Adam([
      { params: model.backbone.parameters(), lr: 1e-5 },
      { params: model.classifier.parameters(), lr: 1e-3 },
    ]);
    expect(optimizer.paramGroups.map((g) => g.lr)).toEqual([1e-5, 1e-3]);
    expect(optimizer.paramGroups.map((g) => g.params.length)).toEqual([2, 2]);
    // A step moves each group by its own lr: Adam's first step is lr × sign(grad) (up to eps).
    const before = [...model.parameters()].map((p) => p.clone());
    optimizer.zeroGrad();
    model.forward(torch.randn(4, 8)).pow(2).sum().backward();
    optimizer.step();
    const moved = [...model.parameters()].map((p, i) => p.sub(before[i]!).abs().max().item() as number);
    // (1% slack: the parameters are float32, whose spacing near 0.3 is 3e-8, so a 1e-5 move reads back as 1e-5 ± 3e-8.)
    expect(moved[0]!).toBeLessThanOrEqual(1e-5 * 1.01);
    expect(moved[0]!).toBeGreaterThan(1e-5 * 0.5);
    expect(moved[2]!).toBeGreaterThan(1e-3 * 0.5);
    expect(moved[2]!).toBeLessThanOrEqual(1e-3 * 1.01);
  });

  test('the table: every optimizer exists and steps', () => {
    for (const Opt of [optim.SGD, optim.Adam, optim.AdamW, optim.RMSprop, optim.Adagrad, optim.Adadelta, optim.NAdam, optim.RAdam]) {
      const w = torch.tensor([1.0, -2.0], { dtype: torch.float32, requiresGrad: true });
      const opt = new Opt([w], { lr: 0.1 });
      w.pow(2).sum().backward();
      opt.step();
      const [a, b] = w.tolist() as number[];
      expect(Math.abs(a!), Opt.name).toBeLessThan(1);
      expect(Math.abs(b!), Opt.name).toBeLessThan(2);
    }
    // LBFGS needs a closure that re-evaluates the loss (拟牛顿法): it minimises (w - 3)² in one step.
    const w = torch.tensor([0.0], { dtype: torch.float32, requiresGrad: true });
    const lbfgs = new optim.LBFGS([w], { lr: 1 });
    lbfgs.step(() => {
      lbfgs.zeroGrad();
      const loss = w.sub(3).pow(2).sum();
      loss.backward();
      return loss;
    });
    expect(w.item()).toBeCloseTo(3, 4);
  });
});
