// Bad input gets a clear, PyTorch-like error and changes nothing (DESIGN §4): one group of tests per
// class of misuse. Every check asserts the message AND that the inputs kept their values, shapes,
// dtypes and version counters. Messages are PyTorch 1.13's unless noted.
import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import { memoryStats } from '@kindling/backend-cpu';
import type { Backend, Storage, Tensor } from '@kindling/tensor';

interface Snapshot {
  values: unknown;
  shape: number[];
  dtype: string;
  version: number;
}
function snapshot(t: Tensor): Snapshot {
  return { values: t.tolist(), shape: [...t.shape], dtype: t.dtype, version: t._version };
}

/** `fn` throws an error matching `message`, and every tensor in `inputs` is exactly as it was. */
function expectRefused(fn: () => unknown, message: RegExp, ...inputs: Tensor[]): Error {
  const before = inputs.map(snapshot);
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `expected an error matching ${message}`).toBeInstanceOf(Error);
  expect((thrown as Error).message).toMatch(message);
  inputs.forEach((t, i) => expect(snapshot(t), `input ${i} changed`).toEqual(before[i]));
  return thrown as Error;
}

describe('broadcasting mismatch', () => {
  it('out of place: names both sizes and the dimension; inputs unchanged', () => {
    const a = torch.ones(3);
    const b = torch.ones(4);
    expectRefused(() => a.add(b), /^The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 0$/, a, b);
    expectRefused(() => torch.mul(a, b), /The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 0/, a, b);
    expectRefused(() => a.lt(b), /The size of tensor a \(3\) must match the size of tensor b \(4\)/, a, b);
  });

  it('the dimension named is the dimension of the broadcast result (PyTorch: [2, 3] + [4] fails at dimension 1)', () => {
    const a = torch.ones(2, 3);
    const b = torch.ones(4);
    expectRefused(() => a.add(b), /^The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 1$/, a, b);
  });

  it('in place: a.add_(b) with a mismatch leaves a untouched (values and version)', () => {
    const a = torch.tensor([1.0, 2.0, 3.0], { dtype: torch.float32 });
    const b = torch.tensor([10.0, 20.0, 30.0, 40.0], { dtype: torch.float32 });
    expectRefused(() => a.add_(b), /The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 0/, a, b);
    expectRefused(() => a.mul_(b), /must match the size of tensor b \(4\)/, a, b);
    expectRefused(() => a.copy_(b), /The size of tensor a \(3\) must match the size of tensor b \(4\) at non-singleton dimension 0/, a, b);
    // a proper add_ afterwards still works, so no state was corrupted
    a.add_(1);
    expect(a.tolist()).toEqual([2, 3, 4]);
  });

  it('in place: the result may not be larger than self', () => {
    const a = torch.ones(3);
    const b = torch.ones(2, 3);
    expectRefused(() => a.add_(b), /output with shape \[3\] doesn't match the broadcast shape \[2, 3\]/, a, b);
  });

  it('expand to an incompatible size', () => {
    const a = torch.ones(3);
    expectRefused(
      () => a.expand(2, 4),
      /The expanded size of the tensor \(4\) must match the existing size \(3\) at non-singleton dimension 1\.\s+Target sizes: \[2, 4\]\.\s+Tensor sizes: \[3\]/,
      a,
    );
  });
});

describe('matrix product shape mismatch', () => {
  it('mm / matmul: mat1 and mat2 shapes cannot be multiplied (3x4 and 5x6)', () => {
    const a = torch.ones(3, 4);
    const b = torch.ones(5, 6);
    expectRefused(() => a.matmul(b), /^mat1 and mat2 shapes cannot be multiplied \(3x4 and 5x6\)$/, a, b);
    expectRefused(() => torch.mm(a, b), /^mat1 and mat2 shapes cannot be multiplied \(3x4 and 5x6\)$/, a, b);
  });

  it('batched, vector and rank errors', () => {
    const a = torch.ones(2, 3, 4);
    const b = torch.ones(2, 5, 6);
    expectRefused(() => a.matmul(b), /Expected size for first two dimensions of batch2 tensor to be: \[2, 4\] but got: \[2, 5\]\./, a, b);
    expectRefused(() => torch.bmm(torch.ones(3, 4), torch.ones(4, 5)), /batch1 must be a 3D tensor/);
    const u = torch.ones(3);
    const v = torch.ones(4);
    expectRefused(
      () => u.dot(v),
      /inconsistent tensor size, expected tensor \[3\] and src \[4\] to have the same number of elements, but got 3 and 4 elements respectively/,
      u,
      v,
    );
    expectRefused(() => torch.ones(3).matmul(torch.tensor(1.5)), /both arguments to matmul need to be at least 1D, but they are 1D and 0D/);
    expectRefused(() => torch.ones(2, 3).mv(v), /size mismatch/);
  });

  it('mixed dtypes are refused, not silently promoted', () => {
    const a = torch.ones(2, 2);
    const b = torch.ones(2, 2, { dtype: torch.int64 });
    // PyTorch 1.13: "expected scalar type Float but found Long"; PyTorch 2: "expected mat1 and mat2 to have the same dtype"
    expectRefused(() => a.mm(b), /expected scalar type Float but found Long|expected mat1 and mat2 to have the same dtype/, a, b);
  });
});

describe('op on a dtype it does not support', () => {
  it('neg / neg_ of a bool tensor', () => {
    const m = torch.tensor([true, false]);
    const msg = /^Negation, the `-` operator, on a bool tensor is not supported\. If you are trying to invert a mask, use the `~` or `logical_not\(\)` operator instead\.$/;
    expectRefused(() => m.neg(), msg, m);
    expectRefused(() => m.neg_(), msg, m);
    expectRefused(() => m.sub(torch.tensor([true, true])), /Subtraction, the `-` operator, with two bool tensors is not supported\. Use the `\^` or `logical_xor\(\)` operator instead\./, m);
  });

  it('frac of int64, abs of bool, bitwise ops on floats', () => {
    const i = torch.tensor([1, 2]);
    expectRefused(() => i.frac(), /"frac_cpu" not implemented for 'Long'/, i);
    expectRefused(() => i.frac_(), /"frac_cpu" not implemented for 'Long'/, i);
    const m = torch.tensor([true]);
    expectRefused(() => m.abs(), /"abs_cpu" not implemented for 'Bool'/, m);
    const f = torch.ones(2);
    expectRefused(() => f.bitwiseAnd(f), /"bitwise_and_cpu" not implemented for 'Float'/, f);
    expectRefused(() => f.bitwiseNot(), /"bitwise_not_cpu" not implemented for 'Float'/, f);
  });

  it('inverse / det of an integer tensor', () => {
    const i = torch.tensor([[1, 2], [3, 4]]);
    expectRefused(() => i.inverse(), /linalg\.inv: Expected a floating point or complex tensor as input\. Got Long/, i);
    expectRefused(() => torch.det(i), /linalg\.det: Expected a floating point or complex tensor as input\. Got Long/, i);
    const r = torch.ones(2, 3);
    expectRefused(() => r.inverse(), /linalg\.inv: A must be batches of square matrices, but they are 2 by 3 matrices/, r);
  });

  it('mean / std / var of an integer or bool tensor', () => {
    const i = torch.tensor([1, 2]);
    expectRefused(() => i.mean(), /mean\(\): could not infer output dtype\. Input dtype must be either a floating point or complex dtype\. Got: Long/, i);
    expectRefused(() => torch.tensor([true]).mean(), /mean\(\): could not infer output dtype.*Got: Bool/);
    expectRefused(() => i.std(), /std and var only support floating point and complex dtypes/, i);
    expectRefused(() => i.var(), /std and var only support floating point and complex dtypes/, i);
  });

  it('requires_grad on an integer tensor', () => {
    expectRefused(() => torch.tensor([1, 2], { requiresGrad: true }), /Only Tensors of floating point and complex dtype can require gradients/);
    expectRefused(() => torch.ones(2, { dtype: torch.int64, requiresGrad: true }), /Only Tensors of floating point and complex dtype can require gradients/);
  });

  it('a value out of range for the requested integer dtype', () => {
    // PyTorch 1.13: torch.tensor([300], dtype=torch.int8) -> "value cannot be converted to type int8 without overflow"
    expectRefused(() => torch.tensor([300], { dtype: torch.int8 }), /value cannot be converted to type int8 without overflow/);
  });

  it('an unknown dtype name (a JS caller without types) gets a clear error, not an internal one', () => {
    expectRefused(() => torch.zeros(2, { dtype: 'float33' as never }), /float33/);
  });
});

describe('dimension out of range', () => {
  const msg2 = /^Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)$/;
  it('every dim-taking op names the valid range and the bad dim', () => {
    const x = torch.ones(2, 3);
    expectRefused(() => x.sum(2), msg2, x);
    expectRefused(() => x.mean(2), msg2, x);
    expectRefused(() => x.max(2), msg2, x);
    expectRefused(() => x.argmax(2), msg2, x);
    expectRefused(() => x.cumsum(2), msg2, x);
    expectRefused(() => x.softmax(2), msg2, x);
    expectRefused(() => x.sort(2), msg2, x);
    expectRefused(() => x.squeeze(2), msg2, x);
    expectRefused(() => x.transpose(0, 2), msg2, x);
    expectRefused(() => x.permute(0, 2), msg2, x);
    expectRefused(() => x.flatten(0, 2), msg2, x);
    expectRefused(() => x.size(2), msg2, x);
    expectRefused(() => x.sum(-3), /^Dimension out of range \(expected to be in range of \[-2, 1\], but got -3\)$/, x);
    // unsqueeze may insert at ndim, so its range is one wider
    expectRefused(() => x.unsqueeze(3), /^Dimension out of range \(expected to be in range of \[-3, 2\], but got 3\)$/, x);
  });

  it('the error is an IndexError, as in PyTorch', () => {
    const e = expectRefused(() => torch.ones(2, 3).sum(2), msg2);
    expect(e).toBeInstanceOf(torch.IndexError);
    expect(e.name).toBe('IndexError');
  });

  it('rank errors of the transposes', () => {
    expectRefused(() => torch.ones(2, 3, 4).t(), /t\(\) expects a tensor with <= 2 dimensions, but self is 3D/);
    expectRefused(() => torch.ones(3).mT, /tensor\.mT is only supported on matrices or batches of matrices\. Got 1-D tensor\./);
  });
});

describe('device whose backend is not installed', () => {
  it('creating on cuda / webgpu names the package to install', () => {
    expectRefused(() => torch.zeros(2, { device: 'cuda' }), /@kindling\/backend-cuda/);
    expectRefused(() => torch.ones(2, 2, { device: 'cuda:1' }), /@kindling\/backend-cuda/);
    expectRefused(() => torch.tensor([1, 2], { device: 'webgpu' }), /@kindling\/backend-webgpu/);
  });

  it('moving a tensor there fails and leaves it usable', () => {
    const x = torch.tensor([1.0, 2.0], { dtype: torch.float32 });
    expectRefused(() => x.to('cuda'), /@kindling\/backend-cuda/, x);
    expectRefused(() => x.cuda(), /@kindling\/backend-cuda/, x);
    expectRefused(() => x.to({ device: 'cuda', dtype: torch.float64 }), /@kindling\/backend-cuda/, x);
    expect(x.add(1).tolist()).toEqual([2, 3]);
  });

  it('an unknown or malformed device string', () => {
    expectRefused(() => torch.zeros(2, { device: 'tpu' }), /tpu/);
    expectRefused(() => torch.zeros(2, { device: 'CUDA!' }), /device string: CUDA!/);
  });
});

describe('in-place op whose result type cannot be stored in self', () => {
  it("int tensor .add_(1.5): result type Float can't be cast to the desired output type Long", () => {
    const i = torch.tensor([1, 2]);
    expectRefused(() => i.add_(1.5), /result type Float can't be cast to the desired output type Long/, i);
    const f = torch.tensor([0.5, 0.5]);
    expectRefused(() => i.add_(f), /result type Float can't be cast to the desired output type Long/, i, f);
    expectRefused(() => i.div_(2), /result type Float can't be cast to the desired output type Long/, i);
    expectRefused(() => i.sqrt_(), /result type Float can't be cast to the desired output type Long/, i);
    expectRefused(() => i.mul_(NaN), /result type Float can't be cast to the desired output type Long/, i);
  });

  it("bool tensor .mul_(2): result type Long can't be cast to the desired output type Bool", () => {
    const m = torch.tensor([true, false]);
    expectRefused(() => m.mul_(2), /result type Long can't be cast to the desired output type Bool/, m);
  });

  it('copy_ is the exception: it casts to any dtype', () => {
    const i = torch.tensor([1, 2]);
    i.copy_(torch.tensor([3.7, -1.2]));
    expect(i.tolist()).toEqual([3, -1]);
  });
});

describe('ragged or invalid nested arrays in torch.tensor', () => {
  it('a row of the wrong length', () => {
    expectRefused(() => torch.tensor([[1, 2], [3]]), /^expected sequence of length 2 at dim 1 \(got 1\)$/);
    expectRefused(() => torch.tensor([[[1, 2], [3, 4]], [[5, 6], [7]]]), /^expected sequence of length 2 at dim 2 \(got 1\)$/);
  });

  it('a scalar where a sequence belongs, and the reverse', () => {
    expectRefused(() => torch.tensor([[1, 2], 3] as never), /expected sequence of length 2 at dim 1|not a sequence/);
    expectRefused(() => torch.tensor([1, [2, 3]] as never), /expected a scalar at dim 1|cannot be interpreted as an integer/);
  });

  it('values that are not numbers', () => {
    expectRefused(() => torch.tensor([1, 'a'] as never), /Could not infer dtype of str/);
    expectRefused(() => torch.tensor([1, null] as never), /Could not infer dtype of null/);
    expectRefused(() => torch.tensor([1, undefined] as never), /Could not infer dtype of undefined/);
  });

  it('negative or fractional sizes', () => {
    expectRefused(() => torch.zeros(-1), /Trying to create tensor with negative dimension -1: \[-1\]|negative dimension.*-1.*\[-1\]/);
    expectRefused(() => torch.zeros(2, -3), /negative dimension.*-3.*\[2, -3\]/);
    expectRefused(() => torch.zeros(2.5), /2\.5/);
    expectRefused(() => torch.arange(0, 10, 0), /step must be nonzero/);
    expectRefused(() => torch.linspace(0, 1, -1), /number of steps must be non-negative/);
  });
});

describe('view of incompatible size or strides', () => {
  it('view on a transposed tensor: use .reshape(...) instead', () => {
    const x = torch.arange(6).reshape(2, 3);
    const t = x.t();
    expectRefused(
      () => t.view(6),
      /^view size is not compatible with input tensor's size and stride \(at least one dimension spans across two contiguous subspaces\)\. Use \.reshape\(\.\.\.\) instead\.$/,
      x,
      t,
    );
    // reshape copies instead, and the values are the transpose's
    expect(t.reshape(6).tolist()).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('wrong number of elements, two inferred dims', () => {
    const x = torch.ones(6);
    expectRefused(() => x.view(4), /^shape '\[4\]' is invalid for input of size 6$/, x);
    expectRefused(() => x.reshape(4, -1), /^shape '\[4, -1\]' is invalid for input of size 6$/, x);
    expectRefused(() => x.view(-1, -1), /only one dimension can be inferred/, x);
  });

  it('numpy() of a non-contiguous or grad-requiring tensor', () => {
    const x = torch.ones(2, 3);
    expectRefused(() => x.t().numpy(), /contiguous/, x);
    expectRefused(() => torch.ones(2, { requiresGrad: true }).numpy(), /Can't call numpy\(\) on Tensor that requires grad\. Use tensor\.detach\(\)\.numpy\(\) instead\./);
  });
});

describe('integer division by zero', () => {
  it('floor_divide, remainder and div with rounding raise ZeroDivisionError', () => {
    const i = torch.tensor([1, 2]);
    expectRefused(() => i.floorDivide(0), /ZeroDivisionError/, i);
    expectRefused(() => i.remainder(0), /ZeroDivisionError/, i);
    expectRefused(() => i.div(0, { roundingMode: 'floor' }), /ZeroDivisionError/, i);
    const z = torch.tensor([0, 1]);
    expectRefused(() => i.div(z, { roundingMode: 'trunc' }), /ZeroDivisionError/, i, z);
  });

  it('in place, a zero in the middle of the divisor leaves self entirely unchanged (no partial writes)', () => {
    const d = torch.tensor([2, 0, 2]);
    const a = torch.tensor([4, 6, 8]);
    expectRefused(() => a.floorDivide_(d), /ZeroDivisionError/, a, d);
    const b = torch.tensor([4, 6, 8]);
    expectRefused(() => b.remainder_(d), /ZeroDivisionError/, b, d);
    const c = torch.tensor([4, 6, 8]);
    expectRefused(() => c.div_(d, { roundingMode: 'trunc' }), /ZeroDivisionError/, c, d);
    const e = torch.tensor([4, 6, 8]);
    expectRefused(() => e.div_(d, { roundingMode: 'floor' }), /ZeroDivisionError/, e, d);
  });

  it('true division and float division by zero are not errors (PyTorch 1.13: inf / nan)', () => {
    expect(torch.tensor([1, 2]).div(0).tolist()).toEqual([Infinity, Infinity]);
    expect(torch.tensor([0.0, -1.0], { dtype: torch.float32 }).floorDivide(0).tolist()).toEqual([NaN, -Infinity]);
  });
});

describe('item() and scalar conversion', () => {
  it('item() on a multi-element or empty tensor', () => {
    const x = torch.ones(2);
    // PyTorch 1.13: "only one element tensors can be converted to Python scalars"; PyTorch 2: "a Tensor with 2 elements cannot be converted to Scalar"
    expectRefused(() => x.item(), /a Tensor with 2 elements cannot be converted to Scalar|only one element tensors can be converted/, x);
    expectRefused(() => torch.ones(0).item(), /a Tensor with 0 elements cannot be converted to Scalar|only one element tensors can be converted/);
  });
});

describe('other misuse', () => {
  it('a disposed tensor cannot be used, and says why', () => {
    const x = torch.ones(2);
    x.dispose();
    expectRefused(() => x.add(1), /Tensor is disposed/);
    expectRefused(() => x.tolist(), /Tensor is disposed/);
    expectRefused(() => torch.ones(2).add(x), /Tensor is disposed/);
  });

  it('fill_ with a non-scalar tensor, clamp without bounds, bad legacy type names', () => {
    const x = torch.ones(3);
    expectRefused(() => x.fill_(torch.ones(2)), /fill_ only supports 0-dimension value tensor but got tensor with 1 dimensions\./, x);
    expectRefused(() => x.clamp(), /torch\.clamp: At least one of 'min' or 'max' must not be None/, x);
    expectRefused(() => x.type('torch.FooTensor'), /invalid type: 'torch\.FooTensor'/, x);
    expectRefused(() => torch.diag(torch.ones(2, 2, 2)), /matrix or a vector expected|Supports 1D or 2D tensors/);
  });

  it('isclose / allclose of different dtypes', () => {
    const a = torch.ones(2);
    const b = torch.ones(2, { dtype: torch.float64 });
    // PyTorch 1.13: "Float did not match Double"
    expectRefused(() => torch.isclose(a, b), /Float did not match Double|float32 did not match float64/, a, b);
  });

  it('a keyword argument given as an option the method does not take is honoured or refused, never silently ignored', () => {
    // x.sum(dim=0) in Python; a JS caller may well write x.sum({ dim: 0 }). Reducing over every dim instead is wrong.
    const x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], { dtype: torch.float32 });
    let result: Tensor | undefined;
    let error: unknown;
    try {
      result = x.sum({ dim: 0 } as never);
    } catch (e) {
      error = e;
    }
    if (error === undefined) expect(result!.tolist()).toEqual([5, 7, 9]);
    else expect((error as Error).message).toMatch(/dim/);
  });

  it('a failed op allocates no output that outlives it', () => {
    const a = torch.ones(64, 64);
    const b = torch.ones(32, 32);
    const before = memoryStats().allocated;
    for (let i = 0; i < 50; i++) expect(() => a.matmul(b)).toThrow(/cannot be multiplied/);
    for (let i = 0; i < 50; i++) expect(() => a.add_(b)).toThrow(/must match/);
    expect(memoryStats().allocated).toBe(before);
  });
});

describe('a device that cannot be read synchronously (a fake async-only backend)', () => {
  // cpu always reads synchronously, so the sync-read error is exercised on a minimal fake device
  // with no readSync and no kernels.
  interface FakeStorage extends Storage {
    bytes: Uint8Array;
  }
  const fake: Backend = {
    type: 'asyncfake',
    deviceCount: () => 1,
    allocate: (_device, nbytes): FakeStorage => ({ nbytes, device: 0, bytes: new Uint8Array(nbytes) }),
    free: () => {},
    write: (s, off, src) => (s as FakeStorage).bytes.set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength), off),
    read: async (s, off, n) => (s as FakeStorage).bytes.slice(off, off + n),
    kernels: {},
  };
  if (!torch.hasBackend('asyncfake')) torch.registerBackend('asyncfake', fake);

  it('tolist / item / dataSync say to await, and the async forms work', async () => {
    const t = torch.tensor([1.5, 2.5], { dtype: torch.float32, device: 'asyncfake' });
    const sync = /Cannot read a asyncfake tensor synchronously.*await t\.data\(\)/;
    expectRefused(() => t.tolist(), sync);
    expectRefused(() => t.dataSync(), sync);
    expectRefused(() => torch.tensor([1], { device: 'asyncfake' }).item(), sync);
    expect(await t.tolistAsync()).toEqual([1.5, 2.5]);
    expect([...((await t.data()) as Float32Array)]).toEqual([1.5, 2.5]);
    expect(await torch.tensor([7], { device: 'asyncfake' }).itemAsync()).toBe(7);
  });

  it('an op the device has no kernel or decomposition for names the op and the device', async () => {
    const t = torch.tensor([1.5, 2.5], { dtype: torch.float32, device: 'asyncfake' });
    expect(() => t.neg()).toThrow(/Could not run 'neg' on device 'asyncfake'/);
    expect(await t.tolistAsync()).toEqual([1.5, 2.5]);
  });

  it('mixing devices in one op', async () => {
    const t = torch.tensor([1.5, 2.5], { dtype: torch.float32, device: 'asyncfake' });
    const c = torch.tensor([1.0, 1.0], { dtype: torch.float32 });
    expectRefused(
      () => c.add(t),
      /Expected all tensors to be on the same device, but found at least two devices, cpu and asyncfake!/,
      c,
    );
    expect(await t.tolistAsync()).toEqual([1.5, 2.5]);
  });

  it('copying to cpu synchronously is refused, and the remedy the message names exists', () => {
    const t = torch.tensor([1.5, 2.5], { dtype: torch.float32, device: 'asyncfake' });
    const e = expectRefused(() => t.to('cpu'), /synchronously/);
    const remedy = /t\.(\w+)\(/.exec(e.message.replace(/.*use\s*/s, ''));
    if (remedy) expect(typeof (t as unknown as Record<string, unknown>)[remedy[1]!], `t.${remedy[1]} named by the error`).toBe('function');
  });
});
