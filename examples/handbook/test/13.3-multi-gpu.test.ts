// Handbook 13.3 多 GPU 训练 (multi-GPU training): the section's code block in TypeScript, as far as it
// can run here.
//
// Why most of it is checks of absence: Kindling has no multi-process training (no torch.distributed,
// no NCCL, no DataParallel/DistributedDataParallel) — a Node process drives at most the GPUs of its
// own machine through @kindling/backend-cuda, and CI has no GPU. What does run everywhere is the
// handbook's guard (`if device_count() > 1`), which skips DataParallel here as it does in PyTorch on
// a one-GPU machine, and the data side: DistributedSampler gives each process (rank) its own shard.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';
import { DataLoader, DistributedSampler, TensorDataset } from '@kindling/data';

describe('13.3 multi-GPU training', () => {
  test('DataParallel (简单): skipped by the device_count() > 1 guard; not provided', () => {
    let model: nn.Module = new nn.Linear(4, 2);
    let wrapped = false;
    if (torch.cuda.deviceCount() > 1) wrapped = true; // model = nn.DataParallel(model)
    expect(wrapped).toBe(false);
    model = model.to(torch.cuda.isAvailable() ? 'cuda' : 'cpu');
    expect('DataParallel' in nn).toBe(false);
    expect(model).toBeInstanceOf(nn.Linear);
  });

  test('DistributedDataParallel (推荐): torch.distributed and DDP are not part of Kindling', () => {
    expect('distributed' in torch).toBe(false); // dist.init_process_group(backend='nccl') has no counterpart
    expect('parallel' in nn).toBe(false); // torch.nn.parallel.DistributedDataParallel neither
    if (!torch.cuda.isAvailable()) expect(() => torch.cuda.setDevice(0)).toThrow(/CUDA is not available/);
  });

  test('数据加载器需要使用 DistributedSampler: each rank gets its own shard of the dataset', () => {
    const dataset = new TensorDataset(torch.arange(10));
    // int(os.environ['LOCAL_RANK']) for a world of 2 processes, written out for both ranks:
    const shards = [0, 1].map((rank) => {
      const sampler = new DistributedSampler(dataset, { numReplicas: 2, rank, shuffle: false });
      const dataloader = new DataLoader(dataset, { sampler, batchSize: 5 });
      return [...dataloader].flatMap(([x]) => x!.tolist() as number[]);
    });
    expect(shards).toEqual([[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]]);
  });
});
