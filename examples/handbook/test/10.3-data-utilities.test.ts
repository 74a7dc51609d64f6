// Handbook 10.3 常用数据工具 (data utilities): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import { BatchSampler, ConcatDataset, DataLoader, RandomSampler, SequentialSampler, Subset, TensorDataset, WeightedRandomSampler, randomSplit } from '@kindling/data';

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
