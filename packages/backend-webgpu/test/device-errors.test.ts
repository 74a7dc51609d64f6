// The device error flag: errors a kernel finds while it runs (an index out of range, an integer division
// by zero, a singular matrix) are raised at the next read with PyTorch's message, as the cpu backend
// raises them at the call; the flag is cleared once raised, and in-place ops with a bad index change nothing.
import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';
import { synchronize } from '@kindling/backend-webgpu';
import { openTestDevice } from './gpu-setup.js';

const ready = await openTestDevice();

const gpu = (t: torch.Tensor) => t.to('webgpu');

/** The error the cpu backend raises for `f` (the reference for the message and class). */
function cpuError(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the cpu call to raise');
}

/** Runs `f` on webgpu: the call itself returns; reading its result raises the cpu backend's error. */
async function expectRaisedAtRead(f: (dev: 'cpu' | 'webgpu') => torch.Tensor): Promise<void> {
  const expected = cpuError(() => f('cpu'));
  const out = f('webgpu');
  const err = await out.data().then(() => null, (e: unknown) => e as Error);
  expect(err).toBeInstanceOf(Error);
  expect(err!.message).toBe(expected.message);
  expect(err!.name).toBe(expected.name);
  expect(err!.constructor).toBe(expected.constructor);
  // Reported once: the flag is cleared, and the device works.
  await expect(out.data()).resolves.toBeDefined();
  expect(await gpu(torch.tensor([1, 2, 3])).add(1).tolistAsync()).toEqual([2, 3, 4]);
}

describe.runIf(ready)('webgpu device errors', () => {
  const x = torch.arange(12, { dtype: 'float32' }).reshape(3, 4);
  const on = (t: torch.Tensor, dev: string) => t.to(dev);

  it('gather, index_select, take and subscripts out of range raise IndexError at the read', async () => {
    await expectRaisedAtRead((d) => on(x, d).gather(1, on(torch.tensor([[0], [5], [1]]), d)));
    await expectRaisedAtRead((d) => on(x, d).gather(0, on(torch.tensor([[-1, 0]]), d)));
    await expectRaisedAtRead((d) => on(x, d).indexSelect(0, on(torch.tensor([0, 3]), d)));
    await expectRaisedAtRead((d) => on(x, d).take(on(torch.tensor([12]), d)));
    await expectRaisedAtRead((d) => on(x, d).take(on(torch.tensor([-13]), d)));
    await expectRaisedAtRead((d) => on(x, d).index(on(torch.tensor([1, -4]), d)));
    await expectRaisedAtRead((d) => on(x, d).index(':', on(torch.tensor([4]), d)));
    // Nothing to read (the other dims are empty): the indices are still checked.
    await expectRaisedAtRead((d) => on(torch.zeros(3, 0), d).index(on(torch.tensor([7]), d)));
  });

  it('valid and negative (counted from the end) indices are unaffected', async () => {
    const idx = torch.tensor([2, -1, 0]);
    expect(await gpu(x).index(gpu(idx)).tolistAsync()).toEqual(x.index(idx).tolist());
    expect(await gpu(x).take(gpu(torch.tensor([-1, 0, 11]))).tolistAsync()).toEqual([11, 0, 11]);
    expect(await gpu(x).gather(1, gpu(torch.tensor([[3], [0], [1]]))).tolistAsync()).toEqual([[3], [4], [9]]);
  });

  it('in-place index ops with an index out of range raise at the read and leave the tensor unchanged', async () => {
    const cases: [string, (t: torch.Tensor, d: string) => unknown][] = [
      ['index_put_', (t, d) => t.indexPut_([on(torch.tensor([0, 3]), d)], on(torch.ones(4), d))],
      ['index_put_ accumulate', (t, d) => t.indexPut_([on(torch.tensor([1, -4]), d)], on(torch.ones(4), d), { accumulate: true })],
      ['index_fill_', (t, d) => t.indexFill_(1, on(torch.tensor([0, 4]), d), 9)],
      ['index_copy_', (t, d) => t.indexCopy_(0, on(torch.tensor([3]), d), on(torch.ones(1, 4), d))],
      ['index_add_', (t, d) => t.indexAdd_(0, on(torch.tensor([0, -1]), d), on(torch.ones(2, 4), d))],
      ['scatter_', (t, d) => t.scatter_(1, on(torch.tensor([[0, 4]]), d), on(torch.ones(1, 2), d))],
      ['scatter_add_', (t, d) => t.scatterAdd_(0, on(torch.tensor([[0, 3, 0, 0]]), d), on(torch.ones(1, 4), d))],
    ];
    for (const [name, f] of cases) {
      const expected = cpuError(() => f(x.clone(), 'cpu'));
      const t = gpu(x);
      expect(() => f(t, 'webgpu'), name).not.toThrow();
      const err = await t.data().then(() => null, (e: unknown) => e as Error);
      expect(err?.message, name).toBe(expected.message);
      expect(await t.tolistAsync(), name).toEqual(x.tolist());
    }
  });

  it('in-place index ops with valid indices write as on cpu', async () => {
    const t = gpu(x);
    t.indexFill_(1, gpu(torch.tensor([0, -1])), 9);
    t.indexPut_([gpu(torch.tensor([2]))], gpu(torch.tensor([1, 2, 3, 4], { dtype: 'float32' })));
    t.scatter_(1, gpu(torch.tensor([[1], [2]])), gpu(torch.tensor([[7], [8]], { dtype: 'float32' })));
    const c = x.clone();
    c.indexFill_(1, torch.tensor([0, -1]), 9);
    c.indexPut_([torch.tensor([2])], torch.tensor([1, 2, 3, 4], { dtype: 'float32' }));
    c.scatter_(1, torch.tensor([[1], [2]]), torch.tensor([[7], [8]], { dtype: 'float32' }));
    expect(await t.tolistAsync()).toEqual(c.tolist());
  });

  it('integer division by zero raises ZeroDivisionError at the read; in place it leaves the tensor unchanged', async () => {
    for (const dtype of ['int32', 'int64', 'uint8', 'int16'] as const) {
      const a = torch.tensor([7, 5, 0, 3], { dtype });
      const b = torch.tensor([2, 0, 1, 3], { dtype });
      await expectRaisedAtRead((d) => torch.floorDivide(on(a, d), on(b, d)));
      await expectRaisedAtRead((d) => torch.remainder(on(a, d), 0));
      await expectRaisedAtRead((d) => torch.fmod(on(a, d), on(b, d)));
      await expectRaisedAtRead((d) => torch.div(on(a, d), on(b, d), { roundingMode: 'trunc' }));
      const t = gpu(a);
      t.floorDivide_(0);
      await expect(t.data()).rejects.toThrow('ZeroDivisionError');
      expect(await t.tolistAsync()).toEqual(a.tolist());
      // Nonzero divisors, and float division by zero, are unaffected.
      expect(await torch.remainder(gpu(a), gpu(torch.tensor([2, 3, 4, 5], { dtype }))).tolistAsync())
        .toEqual(torch.remainder(a, torch.tensor([2, 3, 4, 5], { dtype })).tolist());
    }
    expect(await torch.floorDivide(gpu(torch.tensor([1, -1], { dtype: 'float32' })), 0).tolistAsync()).toEqual([Infinity, -Infinity]);
  });

  it('the inverse of a singular matrix raises linalg.inv\'s error at the read', async () => {
    await expectRaisedAtRead((d) => torch.inverse(on(torch.tensor([[1, 2], [2, 4]], { dtype: 'float32' }), d)));
    await expectRaisedAtRead((d) => torch.inverse(on(torch.tensor([[[1, 0], [0, 1]], [[0, 0], [0, 0]]], { dtype: 'float32' }), d)));
    const a = torch.tensor([[2, 1], [1, 3]], { dtype: 'float32' });
    const inv = (await torch.inverse(gpu(a)).tolistAsync()) as number[][];
    const ref = torch.inverse(a).tolist() as number[][];
    inv.flat().forEach((v, k) => expect(v).toBeCloseTo(ref.flat()[k]!, 5));
  });

  it('the first error is the one reported; any read reports it, and synchronize() too', async () => {
    const bad = gpu(x).gather(1, gpu(torch.tensor([[9]])));
    const worse = gpu(x).indexSelect(0, gpu(torch.tensor([5])));
    const fine = gpu(x).add(1);
    await expect(fine.data()).rejects.toThrow('index 9 is out of bounds for dimension 1 with size 4');
    expect(await fine.tolistAsync()).toEqual(x.add(1).tolist());
    await expect(Promise.all([bad.data(), worse.data()])).resolves.toHaveLength(2);
    gpu(x).take(gpu(torch.tensor([100])));
    await expect(synchronize()).rejects.toThrow('out of range: tried to access index 100 on a tensor of 12 elements.');
    await expect(synchronize()).resolves.toBeUndefined();
  });
});
