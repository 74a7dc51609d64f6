// The TypeScript side of the cuda backend (src/backend.ts) on any machine: the backend is built over
// an emulated addon that keeps "device" memory in host buffers and runs each kernel call with the
// addon's semantics (strided operands in elements, broadcasting by stride 0, casts on store;
// reductions over kept/reduced dims; row-major softmax; GEMM executed as cuBLAS would execute the
// plan the real addon's gemmPlan makes). So operand strides, view offsets, keepdim, broadcasting,
// fill values and the row-major to column-major GEMM mapping are checked against the cpu backend.
// What it cannot check is the CUDA code itself: test/device.test.ts does, where there is a GPU.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@kindling/backend-cpu';
import '@kindling/autograd';
import * as torch from '@kindling/tensor';
import { type CudaAddon, DTYPE_CODE, OP_CODE, createCudaBackend, cudaStatus, nativeAddon } from '@kindling/backend-cuda';

const CODE_DTYPE = Object.fromEntries(Object.entries(DTYPE_CODE).map(([k, v]) => [v, k])) as Record<number, torch.DType>;
const OP_NAME = Object.fromEntries(Object.entries(OP_CODE).map(([k, v]) => [v, k])) as Record<number, string>;
const SIZE: Record<string, number> = { float32: 4, float64: 8, int32: 4, int64: 8, bool: 1, int8: 1, uint8: 1, int16: 2, float16: 2, bfloat16: 2 };

const UNARY: Record<string, (a: number) => number> = {
  copy: (a) => a, neg: (a) => -a, abs: Math.abs, exp: Math.exp, log: Math.log, sqrt: Math.sqrt, rsqrt: (a) => 1 / Math.sqrt(a),
  tanh: Math.tanh, sigmoid: (a) => 1 / (1 + Math.exp(-a)), relu: (a) => (a > 0 ? a : a !== a ? a : 0), reciprocal: (a) => 1 / a,
  sign: Math.sign, isnan: (a) => Number(a !== a), isfinite: (a) => Number(Number.isFinite(a)), logical_not: (a) => Number(a === 0),
  floor: Math.floor, ceil: Math.ceil, trunc: Math.trunc, sin: Math.sin, cos: Math.cos,
};
const BINARY: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b, pow: (a, b) => a ** b,
  maximum: (a, b) => (a !== a || b !== b ? NaN : Math.max(a, b)), minimum: (a, b) => (a !== a || b !== b ? NaN : Math.min(a, b)),
  eq: (a, b) => Number(a === b), ne: (a, b) => Number(a !== b), lt: (a, b) => Number(a < b), le: (a, b) => Number(a <= b),
  gt: (a, b) => Number(a > b), ge: (a, b) => Number(a >= b),
};

/** "Device" memory: buffers at fake addresses 2**32 apart; pointers carry offsets. */
function emulatedAddon(real: CudaAddon | null, deviceLog: number[] = []): CudaAddon {
  const buffers = new Map<bigint, DataView>();
  let next = 1n << 32n;
  let allocated = 0;
  const find = (ptr: bigint): [DataView, number] => {
    const base = (ptr >> 32n) << 32n;
    const buf = buffers.get(base);
    if (!buf) throw new Error(`emulated cuda: bad pointer ${ptr}`);
    return [buf, Number(ptr - base)];
  };
  const load = (ptr: bigint, dtype: number, i: number): number => {
    const [v, off] = find(ptr);
    const d = CODE_DTYPE[dtype]!;
    const at = off + i * SIZE[d]!;
    switch (d) {
      case 'float32': return v.getFloat32(at, true);
      case 'float64': return v.getFloat64(at, true);
      case 'int32': return v.getInt32(at, true);
      case 'int64': return Number(v.getBigInt64(at, true));
      case 'bool': case 'uint8': return v.getUint8(at);
      default: throw new Error(`emulated cuda: no ${d}`);
    }
  };
  const store = (ptr: bigint, dtype: number, i: number, x: number, big?: bigint): void => {
    const [v, off] = find(ptr);
    const d = CODE_DTYPE[dtype]!;
    const at = off + i * SIZE[d]!;
    switch (d) {
      case 'float32': v.setFloat32(at, x, true); break;
      case 'float64': v.setFloat64(at, x, true); break;
      case 'int32': v.setInt32(at, Math.trunc(x), true); break;
      case 'int64': v.setBigInt64(at, big ?? BigInt(Math.trunc(x)), true); break;
      case 'bool': v.setUint8(at, x !== 0 ? 1 : 0); break;
      case 'uint8': v.setUint8(at, Math.trunc(x) & 255); break;
      default: throw new Error(`emulated cuda: no ${d}`);
    }
  };
  /** Every index of `shape`, with the element offset of each strided operand. */
  function* walk(shape: readonly number[], strides: readonly (readonly number[])[]): Generator<number[]> {
    const n = shape.reduce((a, b) => a * b, 1);
    for (let i = 0; i < n; i++) {
      let rem = i;
      const offs = strides.map(() => 0);
      for (let d = shape.length - 1; d >= 0; d--) {
        const idx = rem % shape[d]!;
        rem = Math.floor(rem / shape[d]!);
        strides.forEach((s, k) => (offs[k]! += idx * s[d]!));
      }
      yield offs;
    }
  }
  const fake: Partial<CudaAddon> = {
    abiVersion: 1,
    malloc(_d, n) {
      const p = next;
      next += 1n << 32n;
      buffers.set(p, new DataView(new ArrayBuffer(n)));
      allocated += n;
      return p;
    },
    free(_d, p) {
      allocated -= buffers.get(p)!.byteLength;
      buffers.delete(p);
    },
    memoryStats: () => ({ 'allocated_bytes.all.current': allocated }),
    setDevice: (d) => void deviceLog.push(d),
    writeHost(ptr, off, src) {
      const [v, o] = find(ptr);
      new Uint8Array(v.buffer).set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength), o + off);
    },
    readHost(ptr, off, n) {
      const [v, o] = find(ptr);
      return new Uint8Array(v.buffer).slice(o + off, o + off + n);
    },
    elementwise(op, shape, out, inputs, scalar, iscalar) {
      const name = OP_NAME[op]!;
      for (const offs of walk(shape, [out.strides, ...inputs.map((t) => t.strides)])) {
        const args = inputs.map((t, k) => load(t.ptr, t.dtype, offs[k + 1]!));
        let r: number;
        if (name === 'fill') r = scalar!;
        else if (name === 'where') r = args[0] ? args[1]! : args[2]!;
        else if (name === 'clamp') r = Math.min(Math.max(args[0]!, args[1]!), args[2]!);
        else if (UNARY[name]) r = UNARY[name](args[0]!);
        else if (BINARY[name]) r = BINARY[name](args[0]!, args[1]!);
        else throw new Error(`emulated cuda: no op ${name}`);
        store(out.ptr, out.dtype, offs[0]!, r, name === 'fill' ? iscalar : undefined);
      }
    },
    reduce(op, oshape, rshape, out, input) {
      const [init, f] = [[0, (a: number, b: number) => a + b], [1, (a: number, b: number) => a * b], [-Infinity, Math.max], [Infinity, Math.min]][op] as [number, (a: number, b: number) => number];
      for (const [o, ib] of walk(oshape, [out.strides, input.ostrides])) {
        let acc = init;
        for (const [r] of walk(rshape, [input.rstrides])) acc = f(acc, load(input.ptr, input.dtype, ib! + r!));
        store(out.ptr, out.dtype, o!, acc);
      }
    },
    softmax(log, dtype, inp, out, outer, dim, inner) {
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const at = (j: number) => o * dim * inner + j * inner + i;
          let mx = -Infinity;
          for (let j = 0; j < dim; j++) mx = Math.max(mx, load(inp, dtype, at(j)));
          let s = 0;
          for (let j = 0; j < dim; j++) s += Math.exp(load(inp, dtype, at(j)) - mx);
          for (let j = 0; j < dim; j++) {
            const v = load(inp, dtype, at(j)) - mx;
            store(out, dtype, at(j), log ? v - Math.log(s) : Math.exp(v) / s);
          }
        }
      }
    },
    gemm(dtype, batch, n, m, k, a, as, b, bs, c, cs) {
      const plan = real!.gemmPlan(batch, n, m, k, as, bs, cs);
      if (!plan.ok) throw new Error(`emulated cuda: the layout ${JSON.stringify([as, bs, cs])} would take the fallback kernel`);
      // cublasGemmStridedBatchedEx(transb, transa, M = m, N = n, K = k, B, ldb, A, lda, C, ldc), column-major.
      const x = (t: 'N' | 'T', ld: number, i: number, p: number) => (t === 'N' ? i + p * ld : p + i * ld);
      for (let bi = 0; bi < batch; bi++) {
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let acc = 0;
            for (let p = 0; p < k; p++) {
              acc += load(b, dtype, bi * bs[0]! + x(plan.transb, plan.ldb, i, p)) * load(a, dtype, bi * as[0]! + x(plan.transa, plan.lda, p, j));
            }
            store(c, dtype, bi * cs[0]! + i + j * plan.ldc, acc);
          }
        }
      }
    },
  };
  return fake as CudaAddon;
}

const real = nativeAddon;

describe.skipIf(cudaStatus().available || !real)('the cuda backend over an emulated addon (no GPU needed)', () => {
  const deviceLog: number[] = [];
  const backend = real ? createCudaBackend(emulatedAddon(real, deviceLog), 2) : null;
  beforeAll(() => torch.registerBackend('cuda', backend!));
  afterAll(() => {
    torch.registry.backends.delete('cuda');
  });
  const same = (a: torch.Tensor, b: torch.Tensor, tol = 1e-6) => {
    expect(a.device.type).toBe('cuda');
    expect(a.dtype).toBe(b.dtype);
    expect(a.shape).toEqual(b.shape);
    const x = a.cpu().to('float64').reshape(-1).tolist() as number[];
    const y = b.to('float64').reshape(-1).tolist() as number[];
    x.forEach((v, i) => expect(Math.abs(v - y[i]!), `[${i}] ${v} vs ${y[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(y[i]!))));
  };

  it('moves tensors and views to and from the device', () => {
    const x = torch.arange(24, { dtype: 'float32' }).reshape([2, 3, 4]);
    expect(x.cuda().cpu().tolist()).toEqual(x.tolist());
    const v = x.permute([2, 0, 1]).index(':', 1); // strided, offset view
    expect(v.cuda().cpu().tolist()).toEqual(v.tolist());
    expect(torch.tensor([2n ** 62n + 1n], { dtype: 'int64' }).cuda().cpu().tolist()).toEqual([2n ** 62n + 1n]);
  });

  it('broadcasts, reads strided views and casts mixed dtypes like the cpu', () => {
    torch.manualSeed(0);
    const a = torch.randn(4, 1, 5);
    const b = torch.randn(3, 5);
    const c = torch.randn(5, 3).T;
    same(a.cuda().add(b.cuda()), a.add(b));
    same(b.cuda().mul(c.cuda()).sub(1), b.mul(c).sub(1));
    same(a.cuda().relu().exp(), a.relu().exp());
    const i = torch.tensor([[1, 2, 3, 4, 5]], { dtype: 'int32' });
    same(i.cuda().add(b.cuda()), i.add(b));
    same(torch.where(b.cuda().gt(0), b.cuda(), c.cuda()), torch.where(b.gt(0), b, c));
    // In place through a view writes the base.
    const base = torch.zeros([3, 4]).cuda();
    base.index(':', '1:3').add_(torch.ones([3, 2]).cuda());
    expect(base.cpu().tolist()).toEqual([[0, 1, 1, 0], [0, 1, 1, 0], [0, 1, 1, 0]]);
  });

  it('fills, including int64 beyond 2**53', () => {
    expect(torch.full([2, 2], 2.5, { device: 'cuda' }).cpu().tolist()).toEqual([[2.5, 2.5], [2.5, 2.5]]);
    const big = torch.zeros([3], { dtype: 'int64', device: 'cuda' });
    big.fill_(2n ** 62n + 3n);
    expect(big.cpu().tolist()).toEqual([2n ** 62n + 3n, 2n ** 62n + 3n, 2n ** 62n + 3n]);
  });

  it('reduces over dims, with and without keepdim, on strided input', () => {
    torch.manualSeed(1);
    const x = torch.randn(4, 6, 5);
    const t = x.permute([1, 2, 0]); // non-contiguous
    for (const f of [
      (u: torch.Tensor) => u.sum(), (u: torch.Tensor) => u.sum(1), (u: torch.Tensor) => u.sum([0, 2], { keepdim: true }),
      (u: torch.Tensor) => u.amax(-1), (u: torch.Tensor) => u.amin(0, { keepdim: true }), (u: torch.Tensor) => u.mean(1),
    ]) {
      same(f(x.cuda()), f(x), 1e-5);
      same(f(t.cuda()), f(t), 1e-5);
    }
  });

  it('computes softmax on any dim, also of a non-contiguous input', () => {
    const x = torch.randn(3, 4, 5);
    for (const d of [0, 1, 2]) {
      same(torch.softmax(x.cuda(), d), torch.softmax(x, d), 1e-6);
      same(torch.logSoftmax(x.transpose(0, 2).cuda(), d), torch.logSoftmax(x.transpose(0, 2), d), 1e-6);
    }
  });

  it('maps row-major bmm onto column-major cuBLAS for every layout: contiguous, transposed, broadcast batch, vectors', () => {
    const a = torch.randn(3, 5, 4);
    const b = torch.randn(3, 4, 6);
    same(torch.bmm(a.cuda(), b.cuda()), torch.bmm(a, b), 1e-5);
    same(torch.bmm(a.mT.contiguous().mT.cuda(), b.cuda()), torch.bmm(a, b), 1e-5);
    const at = a.cuda().mT.contiguous().mT; // column-major on the device
    const bt = b.cuda().mT.contiguous().mT;
    same(torch.bmm(at, bt), torch.bmm(a, b), 1e-5);
    same(a.cuda().matmul(b.index(0).cuda()), a.matmul(b.index(0)), 1e-5); // a 2-D right operand, broadcast over the batch
    const v = torch.randn(4);
    same(a.index(0).cuda().matmul(v.cuda()), a.index(0).matmul(v), 1e-5); // matrix @ vector
    const row = torch.randn(1, 4);
    same(row.cuda().matmul(b.index(1).cuda()), row.matmul(b.index(1)), 1e-5);
    const col = torch.randn(5, 1);
    const r3 = torch.randn(1, 3);
    same(col.cuda().matmul(r3.cuda()), col.matmul(r3), 1e-6); // an outer product: k = 1
  });

  it('launches an op on cuda:1 on device 1 and returns to the current device', () => {
    const x = torch.ones([3]).to('cuda:1');
    deviceLog.length = 0;
    const y = x.add(x);
    expect(y.device.toString()).toBe('cuda:1');
    expect(deviceLog).toEqual([1, 0]);
    deviceLog.length = 0;
    torch.ones([3]).cuda().mul(2);
    expect(deviceLog).toEqual([]);
    expect(y.cpu().tolist()).toEqual([2, 2, 2]);
  });

  it('takes a training step on cuda equal to the cpu one', () => {
    torch.manualSeed(3);
    const w = torch.randn(3, 4);
    const x = torch.randn(8, 4);
    const y = torch.randn(8, 3);
    const step = (dev: string) => {
      const p = w.to(dev).requiresGrad_();
      const loss = x.to(dev).matmul(p.T).sub(y.to(dev)).pow(2).mean();
      loss.backward();
      return [loss, p.grad!] as const;
    };
    const [lc, gc] = step('cpu');
    const [lg, gg] = step('cuda');
    same(lg, lc, 1e-5);
    same(gg, gc, 1e-5);
  });
});
