// Handbook 10.4 自定义 collate_fn (custom collate_fn): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';
import type { Tensor } from 'kindling';
import { DataLoader } from '@kindling/data';

const { padSequence } = nn.utils.rnn;

describe('10.4 custom collate_fn', () => {
  /** 处理变长序列: batch is [(x1, y1), (x2, y2), ...]. */
  function customCollateFn(batch: [Tensor, number][]): [Tensor, Tensor, Tensor] {
    const sequences = batch.map((item) => item[0]);
    const labels = torch.tensor(batch.map((item) => item[1]));
    const sequencesPadded = padSequence(sequences, { batchFirst: true, paddingValue: 0 }); // 填充到相同长度
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
