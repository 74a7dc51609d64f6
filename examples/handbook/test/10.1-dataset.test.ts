// Handbook 10.1 Dataset (Dataset): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';
import type { Tensor } from 'kindling';
import { Dataset } from '@kindling/data';

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
