// Handbook 快速参考卡片 (quick reference card): the block is a table of names, not code. Its TypeScript
// form calls each name the card lists, in the card's order, and runs the card's training loop, save and
// load, and device idiom.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';
import { tempDir } from './helpers/tmp.js';

const file = tempDir();

describe('quick reference card', () => {
  test('张量创建: torch.tensor(), zeros(), ones(), randn(), arange()', () => {
    expect(torch.tensor([1, 2]).tolist()).toEqual([1, 2]);
    expect(torch.zeros(2, 3).shape).toEqual([2, 3]);
    expect(torch.ones(2).tolist()).toEqual([1, 1]);
    expect(torch.randn(4, 5).shape).toEqual([4, 5]);
    expect(torch.arange(4).tolist()).toEqual([0, 1, 2, 3]);
  });

  test('形状操作: view, reshape, squeeze, unsqueeze, permute, cat, stack, split, chunk', () => {
    const x = torch.arange(6);
    expect(x.view(2, 3).shape).toEqual([2, 3]);
    expect(x.reshape(3, 2).shape).toEqual([3, 2]);
    expect(x.view(1, 6).squeeze().shape).toEqual([6]);
    expect(x.unsqueeze(0).shape).toEqual([1, 6]);
    expect(x.view(2, 3).permute(1, 0).shape).toEqual([3, 2]);
    expect(torch.cat([x, x]).shape).toEqual([12]);
    expect(torch.stack([x, x]).shape).toEqual([2, 6]);
    expect(x.split(2).map((t) => t.tolist())).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(x.chunk(3).length).toBe(3);
  });

  test('数学运算: + - * / @, mm, bmm, matmul, sum, mean, max, min, argmax', () => {
    const a = torch.tensor([[1, 2], [3, 4]], { dtype: torch.float32 });
    expect(a.add(a).sub(a).mul(a).div(a).tolist()).toEqual([[1, 2], [3, 4]]);
    expect(a.matmul(a).tolist()).toEqual([[7, 10], [15, 22]]); // a @ a
    expect(torch.mm(a, a).tolist()).toEqual([[7, 10], [15, 22]]);
    expect(torch.bmm(a.unsqueeze(0), a.unsqueeze(0)).shape).toEqual([1, 2, 2]);
    expect(torch.matmul(a, a).tolist()).toEqual([[7, 10], [15, 22]]);
    expect([a.sum().item(), a.mean().item(), a.max().item(), a.min().item(), a.argmax().item()]).toEqual([10, 2.5, 4, 1, 3]);
  });

  test('常用层, 损失函数, 优化器: every name exists', () => {
    for (const C of [nn.Linear, nn.Conv2d, nn.BatchNorm2d, nn.Dropout, nn.LSTM, nn.Embedding]) expect(typeof C).toBe('function');
    for (const C of [nn.CrossEntropyLoss, nn.BCEWithLogitsLoss, nn.MSELoss, nn.L1Loss, nn.SmoothL1Loss]) expect(new C().forward).toBeTypeOf('function');
    const params = new nn.Linear(2, 2).parameters();
    expect(new torch.optim.SGD(params, { lr: 0.1, momentum: 0.9 }).paramGroups[0]!.momentum).toBe(0.9);
    expect(new torch.optim.Adam(params).paramGroups[0]!.lr).toBe(0.001);
    expect(new torch.optim.AdamW(params).paramGroups[0]!.weightDecay).toBe(0.01);
  });

  test('训练循环, 保存加载, GPU: zero_grad → backward → step; save/load the state dict; the device idiom', async () => {
    torch.manualSeed(0);
    const device = torch.device(torch.cuda.isAvailable() ? 'cuda' : 'cpu');
    const model = new nn.Linear(3, 1).to(device);
    const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.1 });
    const x = torch.randn(16, 3).to(device);
    const y = x.sum(1, { keepdim: true });
    const losses: number[] = [];
    for (let i = 0; i < 20; i++) {
      optimizer.zeroGrad();
      const loss = nn.functional.mseLoss(model.forward(x), y);
      loss.backward();
      optimizer.step();
      losses.push(loss.item() as number);
    }
    expect(losses[19]!).toBeLessThan(losses[0]! / 10);

    await torch.save(model.stateDict(), file('model.pth'));
    const other = new nn.Linear(3, 1);
    other.loadStateDict(await torch.load(file('model.pth')));
    expect(other.weight.tolist()).toEqual(model.weight.tolist());
  });
});
