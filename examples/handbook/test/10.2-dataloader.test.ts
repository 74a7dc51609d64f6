// Handbook 10.2 DataLoader (DataLoader): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import { DataLoader, TensorDataset } from '@kindling/data';

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
