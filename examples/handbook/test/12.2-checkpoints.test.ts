// Handbook 12.2 保存检查点 (checkpoints): the section's code block in TypeScript — model, optimizer and
// scheduler state, epoch, loss and best accuracy in one file — run as a test: training resumed from the
// checkpoint continues exactly as the uninterrupted run.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';
import { tempDir } from './helpers/tmp.js';

const { optim } = torch;
const file = tempDir();

function make() {
  const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
  const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
  const scheduler = new optim.lr_scheduler.StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
  return { model, optimizer, scheduler };
}

describe('12.2 checkpoints', () => {
  test('保存完整检查点, 加载检查点, and training continues where it stopped', async () => {
    torch.manualSeed(0);
    const x = torch.randn(16, 4);
    const y = torch.randint(0, 2, [16]);
    const criterion = new nn.CrossEntropyLoss();
    const { model, optimizer, scheduler } = make();
    const epochOf = (m: nn.Sequential, o: torch.optim.Optimizer, s: { step(): void }) => {
      o.zeroGrad();
      const loss = criterion.forward(m.forward(x) as torch.Tensor, y);
      loss.backward();
      o.step();
      s.step();
      return loss;
    };
    let loss = epochOf(model, optimizer, scheduler);
    loss = epochOf(model, optimizer, scheduler);
    const epoch = 2;
    const bestAcc = 0.75;

    // 保存完整检查点
    const checkpoint = {
      epoch,
      model_state_dict: model.stateDict(),
      optimizer_state_dict: optimizer.stateDict(),
      scheduler_state_dict: scheduler.stateDict(),
      loss: loss.item(),
      best_acc: bestAcc,
    };
    await torch.save(checkpoint, file('checkpoint.pth'));

    // 加载检查点 (into fresh objects)
    const resumed = make();
    const ckpt = await torch.load<typeof checkpoint>(file('checkpoint.pth'));
    resumed.model.loadStateDict(ckpt.model_state_dict);
    resumed.optimizer.loadStateDict(ckpt.optimizer_state_dict);
    resumed.scheduler.loadStateDict(ckpt.scheduler_state_dict);
    expect(ckpt.epoch).toBe(2);
    expect(ckpt.best_acc).toBe(0.75);
    expect(ckpt.loss).toBe(loss.item());
    expect(resumed.optimizer.paramGroups[0]!.lr).toBe(optimizer.paramGroups[0]!.lr);

    // The next epoch is the same from the original objects and from the checkpoint.
    const a = epochOf(model, optimizer, scheduler).item();
    const b = epochOf(resumed.model, resumed.optimizer, resumed.scheduler).item();
    expect(b).toBe(a);
    expect((resumed.model.forward(x) as torch.Tensor).tolist()).toEqual((model.forward(x) as torch.Tensor).tolist());
  });
});
