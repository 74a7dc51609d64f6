// Handbook 8.2 优化器使用 (using an optimizer): the section's code block in TypeScript — the standard
// training loop with gradient clipping, and reading/setting the learning rate — run as a test.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';
import { DataLoader, TensorDataset } from '@kindling/data';

const { optim } = torch;

class MyModel extends nn.Module {
  fc1 = new nn.Linear(10, 32);
  fc2 = new nn.Linear(32, 3);
  override forward(x: torch.Tensor): torch.Tensor {
    return this.fc2.forward(nn.functional.relu(this.fc1.forward(x)));
  }
}

describe('8.2 using an optimizer', () => {
  test('标准训练循环: forward, zero_grad, backward, clip_grad_norm_, step — the loss goes down', () => {
    torch.manualSeed(0);
    const x = torch.randn(64, 10);
    const y = x.index(':', '0:3').argmax(1); // a learnable target
    const dataloader = new DataLoader(new TensorDataset(x, y), { batchSize: 16, shuffle: true });
    const numEpochs = 15;

    const model = new MyModel();
    const optimizer = new optim.Adam(model.parameters(), { lr: 0.001 });
    const criterion = new nn.CrossEntropyLoss();

    const epochLoss: number[] = [];
    for (let epoch = 0; epoch < numEpochs; epoch++) {
      let total = 0;
      for (const [batchX, batchY] of dataloader) {
        // 前向传播
        const outputs = model.forward(batchX);
        const loss = criterion.forward(outputs, batchY);
        // 反向传播
        optimizer.zeroGrad(); // 清除梯度
        loss.backward(); // 计算梯度
        // 梯度裁剪 (可选): the returned total norm is the one before clipping; after it the norm is ≤ 1
        nn.utils.clipGradNorm_(model.parameters(), 1.0); // max_norm=1.0
        const norm = torch.stack([...model.parameters()].map((p) => p.grad!.norm())).norm().item() as number;
        expect(norm).toBeLessThanOrEqual(1.0 + 1e-5);
        optimizer.step(); // 更新参数
        total += loss.item() as number;
      }
      epochLoss.push(total / dataloader.length);
    }
    expect(epochLoss[numEpochs - 1]!).toBeLessThan(epochLoss[0]!);
  });

  test('获取/设置学习率: param_group["lr"] read and set by hand (手动调整)', () => {
    const model = new MyModel();
    const optimizer = new optim.Adam(model.parameters(), { lr: 0.001 });
    const seen: number[] = [];
    for (const paramGroup of optimizer.paramGroups) {
      seen.push(paramGroup.lr); // print(param_group['lr'])
      paramGroup.lr = 0.0001; // 手动调整
    }
    expect(seen).toEqual([0.001]);
    expect(optimizer.paramGroups[0]!.lr).toBe(0.0001);
    expect(optimizer.stateDict().param_groups[0]!['lr']).toBe(0.0001);
  });
});
