// Handbook 9.1 常用调度器 (learning-rate schedulers): the section's code block in TypeScript, run as a
// test that checks each schedule's learning rates (the values PyTorch 1.13 gives for the same calls).
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

const { optim } = torch;
const { StepLR, MultiStepLR, CosineAnnealingLR, ReduceLROnPlateau, OneCycleLR, LambdaLR } = optim.lr_scheduler;

const model = new nn.Linear(4, 2);
/** The lrs after each of `n` epochs (optimizer.step() then scheduler.step(), as PyTorch wants). */
function run(optimizer: torch.optim.Optimizer, scheduler: { step(): void; getLastLr(): number[] }, n: number): number[] {
  const lrs: number[] = [];
  for (let i = 0; i < n; i++) {
    optimizer.step();
    scheduler.step();
    lrs.push(scheduler.getLastLr()[0]!);
  }
  return lrs;
}

describe('9.1 schedulers', () => {
  test('StepLR: 每 30 个 epoch 学习率乘以 0.1', () => {
    const optimizer = new optim.Adam(model.parameters(), { lr: 0.001 });
    const scheduler = new StepLR(optimizer, { stepSize: 30, gamma: 0.1 });
    const lrs = run(optimizer, scheduler, 90);
    expect(lrs[28]).toBeCloseTo(0.001, 12); // epochs 0–29
    expect(lrs[29]).toBeCloseTo(0.0001, 12); // from epoch 30
    expect(lrs[59]).toBeCloseTo(0.00001, 12); // from epoch 60
  });

  test('MultiStepLR: 在指定 epoch (30, 80) 衰减', () => {
    const optimizer = new optim.Adam(model.parameters(), { lr: 0.001 });
    const scheduler = new MultiStepLR(optimizer, { milestones: [30, 80], gamma: 0.1 });
    const lrs = run(optimizer, scheduler, 100);
    expect([lrs[28], lrs[29], lrs[78], lrs[79]].map((v) => Number(v!.toPrecision(12)))).toEqual([0.001, 0.0001, 0.0001, 0.00001]);
  });

  test('CosineAnnealingLR: 余弦退火 from 0.001 to eta_min = 1e-6 over T_max = 100', () => {
    const optimizer = new optim.Adam(model.parameters(), { lr: 0.001 });
    const scheduler = new CosineAnnealingLR(optimizer, { T_max: 100, etaMin: 1e-6 });
    const lrs = run(optimizer, scheduler, 100);
    expect(lrs[49]).toBeCloseTo(1e-6 + (0.001 - 1e-6) / 2, 9); // halfway: the mean of the two
    expect(lrs[99]).toBeCloseTo(1e-6, 12);
  });

  test('ReduceLROnPlateau: 验证集无改善时衰减 (mode min, factor 0.1, patience 10)', () => {
    const optimizer = new optim.Adam(model.parameters(), { lr: 0.001 });
    const scheduler = new ReduceLROnPlateau(optimizer, { mode: 'min', factor: 0.1, patience: 10 });
    scheduler.step(1.0);
    for (let i = 0; i < 10; i++) scheduler.step(1.0); // 10 epochs without improvement: tolerated
    expect(optimizer.paramGroups[0]!.lr).toBeCloseTo(0.001, 12);
    scheduler.step(1.0); // the 11th: decay
    expect(optimizer.paramGroups[0]!.lr).toBeCloseTo(0.0001, 12);
  });

  test('OneCycleLR: 30% of the steps warm up to max_lr, then anneal', () => {
    const optimizer = new optim.Adam(model.parameters(), { lr: 0.001 });
    const batchesPerEpoch = 10; // len(dataloader)
    const numEpochs = 10;
    const scheduler = new OneCycleLR(optimizer, { maxLr: 0.01, totalSteps: batchesPerEpoch * numEpochs, pctStart: 0.3 });
    expect(scheduler.getLastLr()[0]).toBeCloseTo(0.01 / 25, 12); // initial_lr = max_lr / div_factor
    const lrs = run(optimizer, scheduler, 99);
    expect(Math.max(...lrs)).toBeCloseTo(0.01, 6);
    expect(lrs.indexOf(Math.max(...lrs))).toBe(28); // the peak at step 29 ≈ 0.3 × 100 − 1
    expect(lrs[98]!).toBeLessThan(1e-6); // min_lr = initial_lr / 1e4
  });

  test('LambdaLR: Warmup + 余弦退火', () => {
    const optimizer = new optim.Adam(model.parameters(), { lr: 0.001 });
    const warmupCosine = (epoch: number): number => {
      if (epoch < 5) return epoch / 5;
      return 0.5 * (1 + Math.cos((Math.PI * (epoch - 5)) / 95));
    };
    const scheduler = new LambdaLR(optimizer, { lrLambda: warmupCosine });
    expect(scheduler.getLastLr()[0]).toBe(0); // epoch 0: 0 / 5
    const lrs = run(optimizer, scheduler, 100);
    expect(lrs.slice(0, 5).map((v) => Number(v.toPrecision(12)))).toEqual([0.0002, 0.0004, 0.0006, 0.0008, 0.001]);
    expect(lrs[99]).toBeCloseTo(0, 12); // epoch 100: cos(π) → 0
  });

  test('the table: every scheduler exists', () => {
    const s = optim.lr_scheduler;
    for (const C of [s.StepLR, s.MultiStepLR, s.ExponentialLR, s.CosineAnnealingLR, s.CosineAnnealingWarmRestarts, s.ReduceLROnPlateau, s.CyclicLR, s.OneCycleLR, s.LinearLR, s.PolynomialLR, s.LambdaLR, s.SequentialLR]) {
      expect(typeof C).toBe('function');
    }
  });
});
