// The main job: handbook 15.3's training script in TypeScript — train the 15.1 Classifier on the
// MNIST digits of the `mnist` package with AdamW + CosineAnnealingLR, validate every epoch, keep
// the best checkpoint (a PyTorch-readable .pth), reload it and report accuracy and a confusion matrix.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as torch from 'kindling';
import { CNN, Classifier } from './models.js';
import { prepareDevice, toHost } from './devices.js';
import { loadMnistSplit } from './mnist-data.js';
import { ProgressBar } from './progress.js';
import { type EpochRecord, trainingCurveSvg } from './plot.js';

const { nn, optim } = torch;
const { DataLoader, TensorDataset } = torch.utils.data;
type Loader = InstanceType<typeof DataLoader<torch.Tensor[], torch.Tensor[]>>;
type Model = Classifier | CNN;

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '20' },
    'batch-size': { type: 'string', default: '64' },
    lr: { type: 'string', default: '0.001' },
    'weight-decay': { type: 'string', default: '0.01' },
    hidden: { type: 'string', default: '256' },
    device: { type: 'string', default: 'cpu' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string', default: 'checkpoints' },
    cnn: { type: 'boolean', default: false },
    limit: { type: 'string', default: '0' },
  },
});

async function trainEpoch(model: Model, loader: Loader, criterion: torch.nn.CrossEntropyLoss, optimizer: torch.optim.AdamW, device: string, label: string) {
  model.train();
  let totalLoss = 0;
  let correct = 0;
  let total = 0;
  let batches = 0;
  const bar = new ProgressBar(label, loader.length);
  for await (const [bx, by] of loader as AsyncIterable<[torch.Tensor, torch.Tensor]>) {
    const x = bx.to(device);
    const y = by.to(device);
    optimizer.zeroGrad();
    const outputs = model.forward(x);
    const loss = criterion.forward(outputs, y);
    loss.backward();
    optimizer.step();
    totalLoss += Number(await loss.itemAsync());
    const predicted = outputs.argmax(1);
    total += y.size(0);
    correct += Number(await predicted.eq(y).sum().itemAsync());
    batches++;
    bar.update(batches, { loss: (totalLoss / batches).toFixed(4), acc: (correct / total).toFixed(4) });
  }
  return { loss: totalLoss / batches, acc: correct / total };
}

const evaluate = torch.noGrad.wrap(async (model: Model, loader: Loader, criterion: torch.nn.CrossEntropyLoss, device: string, confusion?: number[][]) => {
  model.eval();
  let totalLoss = 0;
  let correct = 0;
  let total = 0;
  let batches = 0;
  for await (const [bx, by] of loader as AsyncIterable<[torch.Tensor, torch.Tensor]>) {
    const x = bx.to(device);
    const y = by.to(device);
    const outputs = model.forward(x);
    totalLoss += Number(await criterion.forward(outputs, y).itemAsync());
    const predicted = outputs.argmax(1);
    total += y.size(0);
    correct += Number(await predicted.eq(y).sum().itemAsync());
    batches++;
    if (confusion) {
      const t = (await y.tolistAsync()) as number[];
      const p = (await predicted.tolistAsync()) as number[];
      t.forEach((truth, i) => confusion[truth]![p[i]!]!++);
    }
  }
  return { loss: totalLoss / batches, acc: correct / total };
});

function formatConfusion(m: number[][]): string {
  const w = 6;
  const head = 'true\\pred'.padEnd(10) + m.map((_, j) => String(j).padStart(w)).join('');
  const rows = m.map((row, i) => String(i).padEnd(10) + row.map((v) => String(v).padStart(w)).join(''));
  return [head, ...rows].join('\n');
}

async function main() {
  const device = args.device!;
  const epochs = Number(args.epochs);
  const batchSize = Number(args['batch-size']);
  const lr = Number(args.lr);
  torch.manualSeed(Number(args.seed));

  // Data: 8,000 training and 2,000 held-out digits (first 80% of each class / the rest).
  const split = loadMnistSplit();
  // --limit N keeps N evenly spaced digits of each part (all classes, for a quick look); the CNN sees 1×28×28 images.
  const limit = Number(args.limit);
  const shape = (n: number) => (args.cnn ? [n, 1, 28, 28] : [n, 784]);
  const part = (d: typeof split.train) => {
    const total = d.labels.length;
    const n = limit > 0 ? Math.min(limit, total) : total;
    const images = n === total ? d.images : new Float32Array(n * 784);
    const labels = n === total ? d.labels : new BigInt64Array(n);
    if (n !== total) {
      for (let i = 0; i < n; i++) {
        const j = Math.floor((i * total) / n);
        images.set(d.images.subarray(j * 784, (j + 1) * 784), i * 784);
        labels[i] = d.labels[j]!;
      }
    }
    return { x: torch.fromArray(images, shape(n)), y: torch.fromArray(labels), n };
  };
  const train = part(split.train);
  const test = part(split.test);
  const trainSet = new TensorDataset(train.x, train.y);
  const testSet = new TensorDataset(test.x, test.y);
  const trainLoader = new DataLoader(trainSet, { batchSize, shuffle: true });
  const valLoader = new DataLoader(testSet, { batchSize, shuffle: false });

  await prepareDevice(device);
  const makeModel = (): Model => (args.cnn ? new CNN(10, 1) : new Classifier(784, Number(args.hidden), 10));
  const model = makeModel().to(device);
  const criterion = new nn.CrossEntropyLoss();
  const optimizer = new optim.AdamW(model.parameters(), { lr, weightDecay: Number(args['weight-decay']) });
  const scheduler = new optim.lr_scheduler.CosineAnnealingLR(optimizer, epochs);
  const nParams = model.parameters().reduce((n, p) => n + p.numel(), 0);
  console.log(`${String(model)}\nparameters: ${nParams.toLocaleString('en-US')}  train: ${train.n}  held-out: ${test.n}  device: ${device}`);

  const outDir = resolve(args.out!);
  mkdirSync(outDir, { recursive: true });
  const ckptPath = join(outDir, 'best_model.pth');
  const history: EpochRecord[] = [];
  let bestAcc = 0;
  const started = performance.now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    const epochStart = performance.now();
    const tr = await trainEpoch(model, trainLoader, criterion, optimizer, device, `Epoch ${epoch + 1}/${epochs}`);
    const val = await evaluate(model, valLoader, criterion, device);
    scheduler.step();
    history.push({ epoch: epoch + 1, trainLoss: tr.loss, trainAcc: tr.acc, valLoss: val.loss, valAcc: val.acc });
    const secs = (performance.now() - epochStart) / 1000;
    console.log(`  Train Loss: ${tr.loss.toFixed(4)}, Acc: ${tr.acc.toFixed(4)}  |  Val Loss: ${val.loss.toFixed(4)}, Acc: ${val.acc.toFixed(4)}  |  ${secs.toFixed(1)}s`);
    if (val.acc > bestAcc) {
      bestAcc = val.acc;
      await torch.save(
        await toHost({ epoch, model_state_dict: model.stateDict(), optimizer_state_dict: optimizer.stateDict(), best_acc: bestAcc }),
        ckptPath,
      );
    }
  }
  const totalSecs = (performance.now() - started) / 1000;
  writeFileSync(join(outDir, 'training_curve.svg'), trainingCurveSvg(history, `${args.cnn ? 'CNN' : 'Classifier'} on MNIST digits (${epochs} epochs)`));

  // Reload the best checkpoint into a fresh model and report on the held-out digits.
  const checkpoint = (await torch.load(ckptPath)) as { epoch: number; model_state_dict: Record<string, torch.Tensor> };
  const best = makeModel().to(device);
  best.loadStateDict(checkpoint.model_state_dict);
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  const final = await evaluate(best, valLoader, criterion, device, confusion);
  console.log(`\nBest checkpoint (epoch ${checkpoint.epoch + 1}) reloaded from ${ckptPath}`);
  console.log(`Held-out accuracy: ${(100 * final.acc).toFixed(2)}%  (loss ${final.loss.toFixed(4)})`);
  console.log(`Confusion matrix (rows: true digit, columns: predicted):\n${formatConfusion(confusion)}`);
  console.log(`Training curve: ${join(outDir, 'training_curve.svg')}`);
  console.log(`Total time: ${totalSecs.toFixed(1)}s (${(totalSecs / epochs).toFixed(1)}s per epoch)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
