// Handbook chapter 10 (数据加载), every example in its TypeScript form, with the results its
// comments state. Also the data-loading parts of 13.3 (in distributed.test.ts) and 15.3.
import * as torch from '@kindling/tensor';
import type { Tensor } from '@kindling/tensor';
import '@kindling/backend-cpu';
import { describe, expect, it } from 'vitest';
import {
  BatchSampler, ConcatDataset, DataLoader, Dataset, RandomSampler, SequentialSampler, Subset, TensorDataset,
  WeightedRandomSampler, randomSplit,
} from '../src/index.js';

describe('10.1 Dataset', () => {
  // class CustomDataset(Dataset): __init__(data, labels, transform=None), __len__, __getitem__
  class CustomDataset extends Dataset<[Tensor, Tensor], Tensor> {
    constructor(readonly data: Tensor, readonly labels: Tensor, transform?: (x: Tensor) => Tensor) {
      super({ transform });
    }

    get length(): number {
      return this.data.shape[0]!;
    }

    getItem(idx: number): [Tensor, Tensor] {
      let x = this.data.index(idx);
      const y = this.labels.index(idx);
      if (this.transform) x = this.transform(x);
      return [x, y];
    }
  }

  it('len(dataset) and dataset[0]', () => {
    const data = torch.randn(100, 3);
    const labels = torch.randint(0, 2, [100]);
    const dataset = new CustomDataset(data, labels);
    expect(dataset.length).toBe(100); // print(len(dataset))
    const sample = dataset.getItem(0); // sample = dataset[0]
    expect(sample[0].shape).toEqual([3]);
    expect(sample[0].tolist()).toEqual(data.index(0).tolist());
    expect(sample[1].item()).toBe(labels.index(0).item());
  });

  it('the transform applies to x only', () => {
    const dataset = new CustomDataset(torch.ones(4, 2), torch.arange(4), (x) => x.mul(3));
    const [x, y] = dataset.getItem(2);
    expect(x.tolist()).toEqual([3, 3]);
    expect(y.item()).toBe(2);
  });
});

describe('10.2 DataLoader', () => {
  it('every option of the example; batch_x: [batch_size, ...]; next(iter(dataloader))', async () => {
    torch.manualSeed(0);
    const dataset = new TensorDataset(torch.randn(100, 3, 4), torch.randint(0, 10, [100]));
    const dataloader = new DataLoader(dataset, {
      batchSize: 32,
      shuffle: true, // 训练时打乱
      numWorkers: 4, // worker threads
      pinMemory: true, // accepted; no-op on cpu
      dropLast: true, // 丢弃不完整的 batch
      collateFn: undefined, // 自定义批处理函数 (None: default_collate)
      prefetchFactor: 2, // 预取数量
      persistentWorkers: true, // 保持 worker
    });
    expect(dataloader.length).toBe(3); // floor(100 / 32)

    const seen = new Set<number>();
    let batches = 0;
    for await (const [batchX, batchY] of dataloader) {
      expect(batchX!.shape).toEqual([32, 3, 4]); // batch_x: [batch_size, ...]
      expect(batchY!.shape).toEqual([32]);
      expect(batchX!.dtype).toBe('float32');
      for (const row of batchX!.index(':', 0, 0).tolist() as number[]) seen.add(row);
      batches++;
    }
    expect(batches).toBe(3);
    expect(seen.size).toBe(96);

    // batch = next(iter(dataloader)): the persistent workers start a new epoch.
    const it = dataloader[Symbol.asyncIterator]();
    const batch = (await it.next()).value!;
    expect(batch[0]!.shape).toEqual([32, 3, 4]);
    await it.return!();
    await dataloader.close();
  });

  it('without workers the loader is also a plain iterable', () => {
    const dataset = new TensorDataset(torch.arange(10), torch.arange(10).mul(2));
    const dataloader = new DataLoader(dataset, { batchSize: 4 });
    const batch = dataloader[Symbol.iterator]().next().value!; // next(iter(dataloader))
    expect(batch[0]!.tolist()).toEqual([0, 1, 2, 3]);
    expect(batch[1]!.tolist()).toEqual([0, 2, 4, 6]);
    expect([...dataloader].map(([x]) => x!.shape[0])).toEqual([4, 4, 2]);
  });
});

describe('10.3 common data utilities', () => {
  it('the utility table: every class exists', () => {
    for (const c of [TensorDataset, ConcatDataset, Subset, WeightedRandomSampler, SequentialSampler, RandomSampler, BatchSampler]) {
      expect(typeof c).toBe('function');
    }
    expect(typeof randomSplit).toBe('function');
  });

  it('TensorDataset, random_split, Subset, WeightedRandomSampler with a DataLoader', () => {
    torch.manualSeed(0);
    // 从张量创建数据集
    const X = torch.randn(1000, 10);
    const y = torch.randint(0, 2, [1000]);
    const dataset = new TensorDataset(X, y);
    expect(dataset.length).toBe(1000);

    // 随机划分
    const [trainSet, valSet] = randomSplit(dataset, [800, 200]);
    expect(trainSet!.length).toBe(800);
    expect(valSet!.length).toBe(200);
    expect(new Set([...trainSet!.indices, ...valSet!.indices]).size).toBe(1000);

    // 子集
    const indices = [0, 1, 2, 3, 4];
    const subset = new Subset(dataset, indices);
    expect(subset.length).toBe(5);
    expect(subset.getItem(3)[0]!.tolist()).toEqual(X.index(3).tolist());

    // 加权采样 (处理类别不平衡)
    const classCounts = [900, 100]; // 类别数量
    const weights = torch.tensor(classCounts, { dtype: torch.float32 }).reciprocal(); // 1.0 / torch.tensor(class_counts, dtype=torch.float)
    const sampleWeights = weights.index(y); // weights[y]
    expect(sampleWeights.shape).toEqual([1000]);

    const sampler = new WeightedRandomSampler(sampleWeights, sampleWeights.shape[0]!, { replacement: true });
    const dataloader = new DataLoader(dataset, { batchSize: 32, sampler });
    expect(dataloader.length).toBe(32); // ceil(1000 / 32)
    let n = 0;
    let ones = 0;
    let zeros = 0;
    for (const [, by] of dataloader) {
      n += by!.shape[0]!;
      const s = by!.sum().item() as number;
      ones += s;
      zeros += by!.shape[0]! - s;
    }
    expect(n).toBe(1000);
    // Each label's chance is (its count × its weight) / Σ: about 1/2 whatever the imbalance of y.
    const p1 = ((y.sum().item() as number) / 100) / ((y.sum().item() as number) / 100 + (1000 - (y.sum().item() as number)) / 900);
    expect(Math.abs(ones / n - p1)).toBeLessThan(0.06);
    expect(zeros + ones).toBe(1000);
  });
});

describe('10.4 custom collate_fn', () => {
  /** torch.nn.utils.rnn.pad_sequence(sequences, batch_first=True, padding_value=0). */
  function padSequence(sequences: Tensor[], paddingValue = 0): Tensor {
    const maxLen = Math.max(...sequences.map((s) => s.shape[0]!));
    const out = torch.full([sequences.length, maxLen], paddingValue, { dtype: sequences[0]!.dtype });
    sequences.forEach((s, i) => out.index(i, `:${s.shape[0]}`).copy_(s));
    return out;
  }

  /** 处理变长序列: batch is [(x1, y1), (x2, y2), ...]. */
  function customCollateFn(batch: [Tensor, number][]): [Tensor, Tensor, Tensor] {
    const sequences = batch.map((item) => item[0]);
    const labels = torch.tensor(batch.map((item) => item[1]));
    const sequencesPadded = padSequence(sequences, 0); // 填充到相同长度
    const lengths = torch.tensor(sequences.map((seq) => seq.shape[0]!)); // 计算实际长度
    return [sequencesPadded, labels, lengths];
  }

  // Variable-length sequences: sample i is arange(1, len + 1) with len = i % 5 + 1, label i % 3.
  const dataset: [Tensor, number][] = Array.from({ length: 40 }, (_, i) => [torch.arange(1, (i % 5) + 2, { dtype: torch.float32 }), i % 3]);

  it('pads each batch to its longest sequence and returns labels and lengths', async () => {
    const dataloader = new DataLoader(dataset, { batchSize: 32, collateFn: customCollateFn });
    const batches = [...dataloader];
    expect(batches.length).toBe(2);
    const [padded, labels, lengths] = batches[0]!;
    expect(padded.shape).toEqual([32, 5]);
    expect(labels.shape).toEqual([32]);
    expect(lengths.tolist()).toEqual(Array.from({ length: 32 }, (_, i) => (i % 5) + 1));
    expect(padded.index(1).tolist()).toEqual([1, 2, 0, 0, 0]);
    expect(padded.index(4).tolist()).toEqual([1, 2, 3, 4, 5]);
    expect(batches[1]![0].shape).toEqual([8, 5]);

    // The same with worker threads: the closure runs in the main thread on the workers' samples.
    const threaded = new DataLoader(dataset, { batchSize: 32, collateFn: customCollateFn, numWorkers: 2 });
    const again: [Tensor, Tensor, Tensor][] = [];
    for await (const b of threaded) again.push(b);
    expect(again.map((b) => b.map((t) => t.tolist()))).toEqual(batches.map((b) => b.map((t) => t.tolist())));
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
