// The cuda device against the cpu, on a machine with a GPU: transfers, elementwise with broadcasting
// and casts, reductions, softmax, bmm in every float dtype (cuBLAS) and integers (fallback kernel),
// memory statistics, events, autocast and a training step. Skipped, with the reason, without CUDA.
// Tolerances per dtype: float32 rtol 1.3e-6 atol 1e-5 (TF32 off), float64 1e-7/1e-7, float16 1e-3/1e-5,
// bfloat16 1.6e-2/1e-5 (torch.testing's defaults); float32 matmul results, summed in another order
// by cuBLAS, are compared with rtol 1e-5 atol 1e-5.
import { describe, expect, it } from 'vitest';
import '@kindling/backend-cpu';
import * as torch from '@kindling/tensor';
import { Event, cudaStatus, setAllowTF32 } from '@kindling/backend-cuda';

const status = cudaStatus();
const TOL: Record<string, [number, number]> = {
  float32: [1.3e-6, 1e-5], float64: [1e-7, 1e-7], float16: [1e-3, 1e-5], bfloat16: [1.6e-2, 1e-5],
};

function expectLike(actual: torch.Tensor, expected: torch.Tensor, tol?: [number, number]): void {
  expect(actual.device.type).toBe('cuda');
  expect(actual.dtype).toBe(expected.dtype);
  expect(actual.shape).toEqual(expected.shape);
  const got = actual.cpu();
  if (!torch.isFloatingPoint(expected.dtype)) {
    expect(got.tolist()).toEqual(expected.tolist());
    return;
  }
  const [rtol, atol] = tol ?? TOL[expected.dtype]!;
  const a = Array.from(got.to('float64').reshape(-1).dataSync() as Float64Array);
  const e = Array.from(expected.to('float64').reshape(-1).dataSync() as Float64Array);
  const bad = a.flatMap((v, i) => (Object.is(v, e[i]) || Math.abs(v - e[i]!) <= atol + rtol * Math.abs(e[i]!) || (Number.isNaN(v) && Number.isNaN(e[i])) ? [] : [`[${i}] ${v} vs ${e[i]}`]));
  expect(bad).toEqual([]);
}

describe.skipIf(!status.available)(`cuda device${status.available ? '' : ` (skipped: ${status.reason})`}`, () => {
  it('moves tensors: t.cuda(), t.to("cuda:0"), .cpu(), every dtype round-trips', () => {
    for (const dtype of ['float32', 'float64', 'float16', 'bfloat16', 'int8', 'uint8', 'int16', 'int32', 'int64', 'bool'] as const) {
      const x = torch.tensor([[1, 0, 3], [4, 5, 127]], { dtype });
      const y = x.cuda();
      expect(y.device.toString()).toBe('cuda:0');
      expect(y.cpu().tolist()).toEqual(x.tolist());
      expect(x.to('cuda:0').cpu().tolist()).toEqual(x.tolist());
    }
    const big = torch.tensor([2n ** 62n + 1n, -(2n ** 60n) - 3n], { dtype: 'int64' });
    expect(big.cuda().cpu().tolist()).toEqual(big.tolist());
  });

  it('runs elementwise ops with broadcasting, strided views and mixed dtypes as the cpu does', () => {
    torch.manualSeed(0);
    const a = torch.randn(4, 1, 5);
    const b = torch.randn(3, 5);
    const c = torch.randn(5, 4).T; // non-contiguous
    for (const f of [
      (x: torch.Tensor, y: torch.Tensor) => x.add(y), (x: torch.Tensor, y: torch.Tensor) => x.mul(y).sub(2), (x: torch.Tensor, y: torch.Tensor) => x.div(y),
      (x: torch.Tensor, y: torch.Tensor) => x.maximum(y), (x: torch.Tensor, y: torch.Tensor) => x.gt(y), (x: torch.Tensor, y: torch.Tensor) => x.pow(2).add(y.abs().sqrt()),
      (x: torch.Tensor) => x.exp().log1p().tanh().sigmoid(), (x: torch.Tensor) => x.relu().neg().floor(),
    ]) {
      expectLike(f(a.cuda(), b.cuda()), f(a, b));
    }
    expectLike(c.cuda().mul(2).add(1), c.mul(2).add(1));
    const i = torch.tensor([[7, -3], [2, 9]], { dtype: 'int64' });
    const j = torch.tensor([2, -4], { dtype: 'int32' });
    for (const f of [(x: torch.Tensor, y: torch.Tensor) => x.floorDivide(y), (x: torch.Tensor, y: torch.Tensor) => x.remainder(y), (x: torch.Tensor, y: torch.Tensor) => x.mul(y).add(x)]) {
      expectLike(f(i.cuda(), j.cuda()), f(i, j));
    }
    expectLike(torch.where(a.cuda().gt(0), a.cuda(), b.cuda()), torch.where(a.gt(0), a, b));
    expectLike(a.cuda().clamp(-0.5, 0.5), a.clamp(-0.5, 0.5));
    for (const d of ['float16', 'bfloat16', 'int32', 'bool', 'float64'] as const) expectLike(a.cuda().to(d), a.to(d));
    const z = torch.zeros([3, 4], { device: 'cuda' });
    z.fill_(2.5);
    expect(z.cpu().tolist()).toEqual(torch.full([3, 4], 2.5).tolist());
  });

  it('reduces: sum, prod, amax, amin, all, any, mean, over dims, keepdim, half precision', () => {
    torch.manualSeed(1);
    const x = torch.randn(4, 6, 5);
    for (const f of [
      (t: torch.Tensor) => t.sum(), (t: torch.Tensor) => t.sum(1), (t: torch.Tensor) => t.sum([0, 2], { keepdim: true }), (t: torch.Tensor) => t.amax(-1),
      (t: torch.Tensor) => t.amin(0), (t: torch.Tensor) => t.mean(1), (t: torch.Tensor) => t.gt(0).all(2), (t: torch.Tensor) => t.gt(2).any(),
      (t: torch.Tensor) => t.mul(0.1).add(1).prod(1),
    ]) {
      expectLike(f(x.cuda()), f(x), [1e-5, 1e-5]);
    }
    expectLike(x.cuda().to('bfloat16').sum(1), x.to('bfloat16').sum(1));
  });

  it('computes softmax and log_softmax on any dim', () => {
    const x = torch.randn(3, 7, 4);
    for (const dim of [0, 1, 2]) {
      expectLike(torch.softmax(x.cuda(), dim), torch.softmax(x, dim));
      expectLike(torch.logSoftmax(x.cuda(), dim), torch.logSoftmax(x, dim));
    }
  });

  it('multiplies matrices through cuBLAS (float32, float64, float16, bfloat16, TF32) and integers through its own kernel', () => {
    const a = torch.randn(3, 33, 17);
    const b = torch.randn(3, 17, 9);
    expectLike(torch.bmm(a.cuda(), b.cuda()), torch.bmm(a, b), [1e-5, 1e-5]);
    expectLike(a.cuda().matmul(b.cuda().mT.contiguous().mT), a.matmul(b), [1e-5, 1e-5]);
    expectLike(torch.bmm(a.cuda().double(), b.cuda().double()), torch.bmm(a.double(), b.double()));
    for (const d of ['float16', 'bfloat16'] as const) {
      const ref = torch.bmm(a.to(d).float(), b.to(d).float()).to(d); // float32 accumulation, one rounding
      expectLike(torch.bmm(a.cuda().to(d), b.cuda().to(d)), ref);
    }
    setAllowTF32(true);
    try {
      expectLike(torch.bmm(a.cuda(), b.cuda()), torch.bmm(a, b), [5e-3, 5e-3]);
    } finally {
      setAllowTF32(false);
    }
    const ia = torch.randint(-5, 5, [2, 4, 3]);
    const ib = torch.randint(-5, 5, [2, 3, 6]);
    expectLike(torch.bmm(ia.cuda(), ib.cuda()), torch.bmm(ia, ib));
  });

  it('keeps memory statistics: allocation, caching, emptyCache, peaks', () => {
    const backend = torch.getBackend('cuda') as unknown as {
      memoryStats(d: number): Record<string, number>; emptyCache(): void; resetPeakMemoryStats(d: number): void; synchronize(d: number): void;
    };
    backend.emptyCache();
    const before = backend.memoryStats(0)['allocated_bytes.all.current']!;
    const t = torch.empty([1024, 1024], { device: 'cuda' }); // 4 MiB
    let s = backend.memoryStats(0);
    expect(s['allocated_bytes.all.current']! - before).toBe(4 * 1024 * 1024);
    t.dispose();
    s = backend.memoryStats(0);
    expect(s['allocated_bytes.all.current']).toBe(before);
    expect(s['reserved_bytes.all.current']!).toBeGreaterThanOrEqual(4 * 1024 * 1024);
    backend.synchronize(0);
    backend.emptyCache();
    expect(backend.memoryStats(0)['reserved_bytes.all.current']!).toBeLessThan(s['reserved_bytes.all.current']!);
  });

  it('times work with events', () => {
    const start = new Event({ enableTiming: true });
    const end = new Event({ enableTiming: true });
    const a = torch.randn(512, 512).cuda();
    start.record();
    for (let i = 0; i < 5; i++) a.matmul(a);
    end.record();
    end.synchronize();
    expect(start.elapsedTime(end)).toBeGreaterThan(0);
  });

  it('runs a cuda autocast region in float16 and trains a layer on cuda like on cpu', () => {
    const w = torch.randn(8, 4).requiresGrad_();
    const x = torch.randn(16, 4);
    const wc = w.detach().cuda().requiresGrad_();
    const y = torch.autocast({ deviceType: 'cuda' }, () => x.cuda().matmul(wc.T));
    expect(y.dtype).toBe('float16');
    const lossCpu = x.matmul(w.T).pow(2).mean();
    const lossCuda = x.cuda().matmul(wc.T).pow(2).mean();
    lossCpu.backward();
    lossCuda.backward();
    expectLike(lossCuda, lossCpu, [1e-5, 1e-5]);
    expectLike(wc.grad!, w.grad!, [1e-5, 1e-5]);
  });
});
