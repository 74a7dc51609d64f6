// Indexing and view misuse (chapters 3–4 of the handbook): a clear error, and nothing changed. The
// handbook's own examples run in examples/handbook.
import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';

describe('chapters 3–4: misuse gets a clear error and changes nothing', () => {
  it('an index past the end', () => {
    const x = torch.tensor([1, 2, 3]);
    expect(() => x.index(5)).toThrow('index 5 is out of bounds for dimension 0 with size 3');
    expect(() => x.index(torch.tensor([0, 5]))).toThrow('index 5 is out of bounds for dimension 0 with size 3');
    expect(() => x.indexPut_([torch.tensor([5])], 0)).toThrow('index 5 is out of bounds for dimension 0 with size 3');
    expect(() => torch.gather(x, 0, torch.tensor([3]))).toThrow('index 3 is out of bounds for dimension 0 with size 3');
    expect(() => x.scatter_(0, torch.tensor([0, -1]), 9)).toThrow('index -1 is out of bounds for dimension 0 with size 3');
    expect(() => x.indexSelect(0, torch.tensor([3]))).toThrow('index out of range in self');
    expect(() => torch.take(x, torch.tensor([3]))).toThrow('out of range: tried to access index 3 on a tensor of 3 elements.');
    expect(x.tolist()).toEqual([1, 2, 3]);
  });

  it('a mask of the wrong shape', () => {
    const x = torch.zeros(4, 5);
    expect(() => x.index(torch.tensor([true, false, true]))).toThrow(
      'The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [4, 5] at index 0',
    );
    expect(() => x.indexPut_([torch.ones(4, 4, { dtype: torch.bool })], 1)).toThrow('The shape of the mask [4, 4] at index 1');
    expect(x.sum().item()).toBe(0);
  });

  it('view on incompatible strides, and as_strided past the storage', () => {
    const x = torch.arange(12).view(3, 4);
    expect(() => x.t().view(12)).toThrow(
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
    expect(x.t().reshape(12).tolist()).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    expect(() => x.asStrided([4, 4], [4, 1])).toThrow(
      'setStorage: sizes [4, 4], strides [4, 1], storage offset 0, and itemsize 8 requiring a storage size of 128 are out of bounds for storage of size 96',
    );
  });
});
