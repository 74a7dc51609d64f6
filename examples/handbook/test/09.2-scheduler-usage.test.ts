// Handbook 9.2 调度器使用 (using a scheduler): the section's code block in TypeScript — an epoch-level
// scheduler, a batch-level one (OneCycleLR), ReduceLROnPlateau fed the validation loss, and
// get_last_lr() — run as a test.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

const { optim } = torch;

function setup() {
  torch.manualSeed(0);
  const model = new nn.Linear(4, 1);
  const x = torch.randn(32, 4);
  const y = x.sum(1, { keepdim: true });
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
  const loss = () => nn.functional.mseLoss(model.forward(x), y);
  const trainStep = () => {
    optimizer.zeroGrad();
    loss().backward();
    optimizer.step();
  };
  const validate = () => torch.noGrad(() => loss().item() as number);
  return { model, optimizer, trainStep, validate };
}

describe('9.2 using a scheduler', () => {
  test('每个 epoch 调用: scheduler.step() after each epoch', () => {
    const { optimizer, trainStep, validate } = setup();
    const scheduler = new optim.lr_scheduler.StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
    const numEpochs = 6;
    const lrs: number[] = [];
    for (let epoch = 0; epoch < numEpochs; epoch++) {
      for (let b = 0; b < 4; b++) trainStep(); // train_one_epoch()
      validate();
      scheduler.step(); // epoch 级别调度器
      lrs.push(scheduler.getLastLr()[0]!);
    }
    expect(lrs).toEqual([0.1, 0.05, 0.05, 0.025, 0.025, 0.0125]);
  });

  test('每个 batch 调用 (OneCycleLR): scheduler.step() after each batch', () => {
    const { optimizer, trainStep } = setup();
    const numEpochs = 3;
    const batches = 5; // len(dataloader)
    const scheduler = new optim.lr_scheduler.OneCycleLR(optimizer, { maxLr: 0.1, epochs: numEpochs, stepsPerEpoch: batches });
    let steps = 0;
    for (let epoch = 0; epoch < numEpochs; epoch++) {
      for (let b = 0; b < batches; b++) {
        trainStep(); // train_step()
        if (steps < numEpochs * batches - 1) scheduler.step(); // step 级别调度器 (not past the last step)
        steps++;
      }
    }
    expect(scheduler.lastEpoch).toBe(numEpochs * batches - 1);
    expect(scheduler.getLastLr()[0]!).toBeLessThan(1e-5); // annealed to max_lr / 25 / 1e4
  });

  test('ReduceLROnPlateau 需要传入指标: scheduler.step(val_loss)', () => {
    const { optimizer, validate } = setup();
    const scheduler = new optim.lr_scheduler.ReduceLROnPlateau(optimizer, { patience: 0, factor: 0.5 });
    const valLoss = validate();
    scheduler.step(valLoss);
    scheduler.step(valLoss); // no improvement, patience 0: halve
    expect(optimizer.paramGroups[0]!.lr).toBeCloseTo(0.05, 12);
    // 获取当前学习率
    expect(scheduler.getLastLr()).toEqual([optimizer.paramGroups[0]!.lr]);
  });
});
