// Handbook 15.3 完整训练脚本 (the training script): the section's code block in TypeScript — train_epoch,
// evaluate under no_grad, and main() with AdamW, a cosine schedule and best-model checkpoints — run as a
// test on a small synthetic problem. The full script, on MNIST with a progress bar, is the main job
// (examples/mnist/src/train.ts, tested by packages/torch/test/main-job.test.ts).
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';
import { DataLoader, TensorDataset } from '@kindling/data';
import { Classifier } from './helpers/models.js';
import { tempDir } from './helpers/tmp.js';

const { optim } = torch;
const file = tempDir();
type Loader = DataLoader<torch.Tensor[], torch.Tensor[]>;

async function trainEpoch(model: nn.Module, dataloader: Loader, criterion: nn.CrossEntropyLoss, optimizer: torch.optim.Optimizer, device: torch.Device): Promise<[number, number]> {
  model.train();
  let totalLoss = 0;
  let correct = 0;
  let total = 0;
  for await (let [batchX, batchY] of dataloader) { // tqdm(dataloader, desc="Training"): see examples/mnist
    batchX = batchX.to(device);
    batchY = batchY.to(device);

    optimizer.zeroGrad();
    const outputs = model.forward(batchX) as torch.Tensor;
    const loss = criterion.forward(outputs, batchY);
    loss.backward();
    optimizer.step();

    totalLoss += loss.item() as number;
    const [, predicted] = outputs.max(1);
    total += batchY.size(0);
    correct += predicted.eq(batchY).sum().item() as number;
  }
  return [totalLoss / dataloader.length, correct / total];
}

/** @torch.no_grad() */
async function evaluate(model: nn.Module, dataloader: Loader, criterion: nn.CrossEntropyLoss, device: torch.Device): Promise<[number, number]> {
  model.eval();
  let totalLoss = 0;
  let correct = 0;
  let total = 0;
  for await (let [batchX, batchY] of dataloader) {
    [totalLoss, correct, total] = torch.noGrad(() => {
      batchX = batchX.to(device);
      batchY = batchY.to(device);
      const outputs = model.forward(batchX) as torch.Tensor;
      const loss = criterion.forward(outputs, batchY);
      const [, predicted] = outputs.max(1);
      return [totalLoss + (loss.item() as number), correct + (predicted.eq(batchY).sum().item() as number), total + batchY.size(0)];
    });
  }
  return [totalLoss / dataloader.length, correct / total];
}

describe('15.3 the training script', () => {
  it('main(): trains, validates, steps the schedule and keeps the best checkpoint', async () => {
    // 配置
    const device = torch.device(torch.cuda.isAvailable() ? 'cuda' : 'cpu');
    const numEpochs = 3;
    const batchSize = 64;
    const learningRate = 0.001;

    // 数据: 10 well-separated classes of 784 features (a stand-in for MNIST)
    torch.manualSeed(0);
    const centers = torch.randn(10, 784);
    const makeSet = (n: number) => {
      const y = torch.randint(0, 10, [n]);
      return new TensorDataset(centers.indexSelect(0, y).add(torch.randn(n, 784)), y);
    };
    const trainDataset = makeSet(256);
    const valDataset = makeSet(128);
    const trainLoader = new DataLoader(trainDataset, { batchSize, shuffle: true, numWorkers: 2 });
    const valLoader = new DataLoader(valDataset, { batchSize, shuffle: false, numWorkers: 2 });

    // 模型
    let model = new Classifier(784, 256, 10); // input_dim=784, hidden_dim=256, num_classes=10
    model = model.to(device);

    // 损失和优化器
    const criterion = new nn.CrossEntropyLoss();
    const optimizer = new optim.AdamW(model.parameters(), { lr: learningRate, weightDecay: 0.01 });
    const scheduler = new optim.lr_scheduler.CosineAnnealingLR(optimizer, { T_max: numEpochs });

    // 训练循环
    let bestAcc = 0;
    const printed: string[] = [];
    const history: { trainLoss: number; valAcc: number }[] = [];
    for (let epoch = 0; epoch < numEpochs; epoch++) {
      const [trainLoss, trainAcc] = await trainEpoch(model, trainLoader, criterion, optimizer, device);
      const [valLoss, valAcc] = await evaluate(model, valLoader, criterion, device);
      scheduler.step();

      printed.push(`Epoch ${epoch + 1}/${numEpochs}`);
      printed.push(`  Train Loss: ${trainLoss.toFixed(4)}, Acc: ${trainAcc.toFixed(4)}`);
      printed.push(`  Val Loss: ${valLoss.toFixed(4)}, Acc: ${valAcc.toFixed(4)}`);
      history.push({ trainLoss, valAcc });

      // 保存最佳模型
      if (valAcc > bestAcc) {
        bestAcc = valAcc;
        await torch.save({
          epoch,
          model_state_dict: model.stateDict(),
          optimizer_state_dict: optimizer.stateDict(),
          best_acc: bestAcc,
        }, file('best_model.pth'));
      }
    }

    expect(printed[0]).toBe('Epoch 1/3');
    expect(printed[1]).toMatch(/^ {2}Train Loss: \d+\.\d{4}, Acc: \d\.\d{4}$/);
    expect(history[numEpochs - 1]!.trainLoss).toBeLessThan(history[0]!.trainLoss);
    expect(bestAcc).toBeGreaterThan(0.9); // separable classes: learnt within a few epochs
    expect(optimizer.paramGroups[0]!.lr).toBeCloseTo(0, 12); // the cosine schedule ends at eta_min = 0

    // The checkpoint holds the best epoch's model: reloaded, it scores best_acc again.
    const ckpt = await torch.load<{ epoch: number; model_state_dict: Record<string, torch.Tensor>; best_acc: number }>(file('best_model.pth'));
    expect(ckpt.best_acc).toBe(bestAcc);
    const best = new Classifier(784, 256, 10);
    best.loadStateDict(ckpt.model_state_dict);
    const [, acc] = await evaluate(best, valLoader, criterion, device);
    expect(acc).toBe(bestAcc);
  });
});

describe('15.3 the training script\'s data loading', () => {
  it('train and validation loaders with worker threads; loss / len(dataloader)', async () => {
    torch.manualSeed(1);
    const trainDataset = new TensorDataset(torch.randn(200, 784), torch.randint(0, 10, [200]));
    const valDataset = new TensorDataset(torch.randn(70, 784), torch.randint(0, 10, [70]));
    const batchSize = 64;
    const trainLoader = new DataLoader(trainDataset, { batchSize, shuffle: true, numWorkers: 2 });
    const valLoader = new DataLoader(valDataset, { batchSize, shuffle: false, numWorkers: 2 });
    expect(trainLoader.length).toBe(4);
    expect(valLoader.length).toBe(2);

    for (const [loader, n] of [[trainLoader, 200], [valLoader, 70]] as const) {
      let total = 0;
      let batches = 0;
      for await (const [batchX, batchY] of loader) {
        batchX!.to('cpu'); // batch_x.to(device)
        total += batchY!.shape[0]!; // total += batch_y.size(0)
        batches++;
      }
      expect(total).toBe(n);
      expect(batches).toBe(loader.length); // total_loss / len(dataloader)
    }
  });
});
