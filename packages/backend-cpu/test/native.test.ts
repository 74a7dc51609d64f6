// The native addon's kernels against the TypeScript kernels they replace, on random inputs: odd
// sizes, transposed, broadcast and sliced operands, and special values. Each case runs the op once
// with the native fast paths on and once with them off (the TypeScript kernels), on every
// instruction-set path this CPU has, and compares. Skipped, with the reason in its name, when the
// addon is not built (a browser-like install, a failed build, or KINDLING_NO_NATIVE=1).
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import type { Tensor } from '@kindling/tensor';
import { backendInfo, getNumThreads, setNumThreads } from '@kindling/backend-cpu';
import { nativeAddon, nativeUnavailableReason } from '../src/native/addon.js';
import { setNativeKernelsEnabled } from '../src/native/kernels.js';

const native = nativeAddon;
const title = native ? 'native kernels' : `native kernels (skipped: ${nativeUnavailableReason})`;
const isas = native ? (native.bestIsa() === 'portable' ? ['portable'] : [native.bestIsa(), 'portable']) : [];

/** Run `f` on the TypeScript kernels. */
function js<T>(f: () => T): T {
  setNativeKernelsEnabled(false);
  try {
    return f();
  } finally {
    setNativeKernelsEnabled(true);
  }
}

function values(t: Tensor): Float64Array {
  return Float64Array.from(t.contiguous().dataSync() as ArrayLike<number>);
}

/** |native - js| ≤ tol(i) elementwise, NaN where the other is NaN, same shape and dtype. */
function expectClose(nat: Tensor, ref: Tensor, tol: (i: number, r: number) => number, what: string): void {
  expect(nat.shape, what).toEqual(ref.shape);
  expect(nat.dtype, what).toBe(ref.dtype);
  const a = values(nat);
  const b = values(ref);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(y) || Number.isNaN(x)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) expect.fail(`${what}: element ${i} is ${x}, the TypeScript kernel's ${y}`);
      continue;
    }
    if (x === y) continue;
    if (!(Math.abs(x - y) <= tol(i, y))) expect.fail(`${what}: element ${i} is ${x}, the TypeScript kernel's ${y} (tolerance ${tol(i, y)})`);
  }
}

function expectSame(nat: Tensor, ref: Tensor, what: string): void {
  expectClose(nat, ref, () => 0, what);
}

const F32_EPS = 2 ** -23;
/** The spacing of float32 subnormals: below 2^-126, relative error is not the measure. */
const SUBNORMAL_ULP = 2 ** -149;

afterAll(() => {
  if (native) native.setIsa(native.bestIsa());
});

describe.skipIf(!native)(title, () => {
  it('reports itself through backendInfo', () => {
    const info = backendInfo();
    expect(info.native).toBe(true);
    expect(['avx512', 'avx2', 'portable']).toContain(info.isa);
    expect(info.reason).toBeNull();
    expect(info.nativeOps).toContain('bmm');
    expect(info.threads).toBeGreaterThanOrEqual(1);
  });

  it('setNumThreads / getNumThreads', () => {
    const before = getNumThreads();
    setNumThreads(3);
    expect(getNumThreads()).toBe(3);
    setNumThreads(before);
    expect(getNumThreads()).toBe(before);
    expect(() => setNumThreads(0)).toThrow(RangeError);
    expect(() => setNumThreads(1.5)).toThrow(RangeError);
  });

  it('refuses indices outside the arrays it is given', () => {
    const a = new Float32Array(6);
    const c = new Float32Array(4);
    // A 2×3 · 3×2 product reading B from a 5-element array: out of bounds.
    expect(() => native!.gemm(a, 0, 0, 3, 1, new Float32Array(5), 0, 0, 2, 1, c, 0, 0, 2, 1, 1, 2, 2, 3)).toThrow(RangeError);
    expect(() => native!.gemm(a, 0, 0, 3, 1, a, 0, 0, 2, 1, new Float64Array(4), 0, 0, 2, 1, 1, 2, 2, 3)).toThrow(TypeError);
    expect(() => native!.exp(a, 2, c, 0, 5)).toThrow(RangeError);
    expect(() => native!.sum(a, 0, c, 0, 1, 7, 1)).toThrow(RangeError);
  });

  for (const isa of isas) {
    describe(`${isa} path`, () => {
      const use = () => expect(native!.setIsa(isa)).toBe(isa);

      describe('matmul (bmm)', () => {
        const shapes: [number, number, number][] = [
          [1, 1, 1], [1, 7, 1], [7, 13, 5], [6, 16, 256], [33, 65, 300], [100, 37, 513], [130, 17, 1], [5, 300, 2],
        ];
        for (const dtype of ['float32', 'float64'] as const) {
          it(`${dtype}: odd sizes, within the FMA rounding bound`, () => {
            use();
            torch.manualSeed(1);
            for (const [n, k, m] of shapes) {
              const a = torch.randn([n, k], { dtype });
              const b = torch.randn([k, m], { dtype });
              checkMatmul(a, b, `${dtype} [${n},${k}]·[${k},${m}]`);
            }
          });
          it(`${dtype}: transposed, sliced and batched (broadcast) operands, no copies needed`, () => {
            use();
            torch.manualSeed(2);
            const a = torch.randn([4, 23, 31], { dtype });
            const b = torch.randn([4, 31, 19], { dtype });
            checkMatmul(a, b, 'batched');
            checkMatmul(b.mT, a.mT, 'both transposed');
            checkMatmul(a, torch.randn([19, 31], { dtype }).mT, 'x · Wᵀ');
            checkMatmul(a, b.select(0, 0), 'batch broadcast (stride 0)');
            checkMatmul(a.index(':', '::2'), b.index(':', ':', '1::3'), 'strided slices');
            checkMatmul(a.index(':', ':', '::2'), b.index(':', '::2'), 'strided along k');
            // k = 0: zeros, whatever the output buffer held.
            checkMatmul(torch.randn([5, 0], { dtype }), torch.randn([0, 4], { dtype }), 'k = 0');
          });
        }
        for (const dtype of ['float32', 'float64'] as const) {
          it(`${dtype}: bmm_sum adds the batch's products into one result, strided operands too`, () => {
            use();
            torch.manualSeed(14);
            const cases: [number, number, number, number][] = [[1, 3, 4, 5], [7, 13, 29, 6], [16, 64, 27, 100], [3, 40, 300, 33], [0, 4, 5, 6]];
            for (const [bs, n, k, m] of cases) {
              const a = torch.randn([bs, n, k], { dtype });
              const b = torch.randn([bs, m, k], { dtype }).mT; // k-contiguous, as a convolution's columns
              const what = `${dtype} ${bs}×[${n},${k}]·[${k},${m}]`;
              const got = torch.dispatch1('bmm_sum', [a, b]);
              const ref = js(() => torch.dispatch1('bmm_sum', [a, b]));
              const mag = values(js(() => torch.dispatch1('bmm_sum', [a.abs(), b.abs()])));
              const eps = dtype === 'float32' ? F32_EPS : 2 ** -52;
              expectClose(got, ref, (i) => 2 * (bs * k + 2) * eps * mag[i]! + Number.MIN_VALUE, what);
            }
          });
        }
        it('is the same on any number of threads', () => {
          use();
          torch.manualSeed(3);
          const a = torch.randn([300, 257]);
          const b = torch.randn([257, 301]);
          const before = getNumThreads();
          try {
            setNumThreads(1);
            const one = a.matmul(b);
            setNumThreads(3);
            expectSame(a.matmul(b), one, '3 threads vs 1');
          } finally {
            setNumThreads(before);
          }
        });
        it('leaves other dtypes to the TypeScript kernel', () => {
          use();
          const a = torch.tensor([[1, 2], [3, 4]]);
          expect(a.matmul(a).tolist()).toEqual([[7, 10], [15, 22]]);
          const h = torch.tensor([[1, 2], [3, 4]], { dtype: 'float16' });
          expect(h.matmul(h).tolist()).toEqual([[7, 10], [15, 22]]);
        });
      });

      describe('elementwise float32', () => {
        const ops = ['add', 'sub', 'mul', 'div'] as const;
        const run = (op: (typeof ops)[number], x: Tensor, y: Tensor | number) => (x as unknown as Record<string, (y: Tensor | number) => Tensor>)[op]!(y);
        it('add/sub/mul/div: exactly the TypeScript results, contiguous and broadcast', () => {
          use();
          torch.manualSeed(4);
          for (const n of [1, 7, 8, 9, 1000, 100_003]) {
            const a = torch.randn([n]);
            const b = torch.randn([n]);
            for (const op of ops) expectSame(run(op, a, b), js(() => run(op, a, b)), `${op} [${n}]`);
          }
          const x = torch.randn([37, 129]);
          const cases: [string, Tensor | number][] = [
            ['row broadcast', torch.randn([129])],
            ['column broadcast', torch.randn([37, 1])],
            ['python scalar', 2.5],
            ['0-dim float64', torch.tensor(0.1, { dtype: 'float64' })],
            ['0-dim int64', torch.tensor(3)],
            ['transposed (falls back)', torch.randn([129, 37]).mT],
          ];
          for (const [what, y] of cases) {
            for (const op of ops) {
              expectSame(run(op, x, y), js(() => run(op, x, y)), `${op} ${what}`);
              if (typeof y !== 'number') expectSame(run(op, y as Tensor, x), js(() => run(op, y as Tensor, x)), `${op} ${what}, swapped`);
            }
          }
          // Big enough for several threads, with a broadcast row.
          const big = torch.randn([300, 1000]);
          const row = torch.randn([1000]);
          for (const op of ops) expectSame(run(op, big, row), js(() => run(op, big, row)), `${op} [300,1000]`);
          // Outer dims looped over native calls: a per-channel bias on [N, C, H, W], a sliced batch.
          const act = torch.randn([3, 5, 7, 11]);
          const bias = torch.randn([5]).view(1, 5, 1, 1);
          const sliced = torch.randn([4, 5, 7, 12]).index('0:4:2', ':', ':', '1:');
          const plane = torch.randn([5, 1, 11]);
          for (const op of ops) {
            expectSame(run(op, act, bias), js(() => run(op, act, bias)), `${op} per-channel bias`);
            expectSame(run(op, bias, act), js(() => run(op, bias, act)), `${op} per-channel bias, swapped`);
            expectSame(run(op, sliced, plane), js(() => run(op, sliced, plane)), `${op} sliced`);
          }
        });
        it('add/mul on results larger than the caches (streaming stores), aligned or not: exactly the TypeScript results', { timeout: 60_000 }, () => {
          use();
          const n = 8_400_003; // > 32 MiB of float32
          // Inputs from a formula (randn of this size costs seconds on the TypeScript kernels).
          const a = torch.fromArray(Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 500 - 1), [n]);
          const b = torch.fromArray(Float32Array.from({ length: n }, (_, i) => ((i * 104729) % 997) / 300 - 1.5), [n]);
          expectSame(a.add(b), js(() => a.add(b)), 'add, fresh result');
          const base = torch.zeros([n + 1]);
          const view = base.narrow(0, 1, n); // 4 bytes past an aligned start
          view.copy_(a);
          view.mul_(b);
          expectSame(view, js(() => a.mul(b)), 'mul in place into an unaligned view');
          expect((base.dataSync() as Float32Array)[0]).toBe(0);
        });
        it('pow(x, 2), relu, comparisons and where: exactly the TypeScript results', () => {
          use();
          torch.manualSeed(6);
          const special = torch.tensor([0, -0, 1, -1, Infinity, -Infinity, NaN, 1e-45, 3e38, -3e38, 1e-20, 7]);
          const act = torch.randn([3, 5, 7, 11]);
          const shapes: [string, Tensor][] = [['special', special], ['[3,5,7,11]', act], ['transposed', torch.randn([9, 13]).mT], ['big', torch.randn([300, 1000])]];
          for (const [what, x] of shapes) {
            expectSame(x.pow(2), js(() => x.pow(2)), `pow 2 ${what}`);
            expectSame(x.pow(1), js(() => x.pow(1)), `pow 1 ${what}`);
            expectSame(x.pow(3), js(() => x.pow(3)), `pow 3 ${what} (falls back)`);
            expectSame(x.pow(torch.tensor(2, { dtype: 'float32' })), js(() => x.pow(torch.tensor(2, { dtype: 'float32' }))), `pow 0-dim 2 ${what}`);
            expectSame(x.relu(), js(() => x.relu()), `relu ${what}`);
            for (const op of ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const) {
              const cmp = (y: Tensor | number) => (x as unknown as Record<string, (y: Tensor | number) => Tensor>)[op]!(y);
              for (const y of [0, -1, x, torch.zeros([x.shape.at(-1)!])]) expectSame(cmp(y), js(() => cmp(y)), `${op} ${what}`);
            }
            const mask = x.gt(0);
            const zero = torch.tensor(0, { dtype: 'float32' });
            const other = torch.randn(x.shape);
            expectSame(torch.where(mask, x, zero), js(() => torch.where(mask, x, zero)), `where(mask, x, 0) ${what}`);
            expectSame(torch.where(mask, zero, other), js(() => torch.where(mask, zero, other)), `where(mask, 0, y) ${what}`);
            expectSame(torch.where(mask, x, other), js(() => torch.where(mask, x, other)), `where(mask, x, y) ${what}`);
          }
          // A per-channel mask and a 0-dim condition (outer dims looped; all-broadcast operands).
          const chan = torch.randn([5]).view(1, 5, 1, 1).gt(0);
          const g = torch.randn([3, 5, 7, 11]);
          expectSame(torch.where(chan, g, act), js(() => torch.where(chan, g, act)), 'where per-channel mask');
          const yes = torch.tensor(true);
          expectSame(torch.where(yes, torch.tensor(0.5), g), js(() => torch.where(yes, torch.tensor(0.5), g)), 'where 0-dim condition');
          expect(special.relu().tolist()).toEqual([0, 0, 1, 0, Infinity, 0, NaN, 1e-45, 3e38, 0, 1e-20, 7].map((v) => Math.fround(v)));
          expect(Object.is((special.relu().tolist() as number[])[1], 0)).toBe(true); // relu(-0) is +0
        });
        it('copy: every dtype, bit for bit, through transposes, slices, broadcasts and into views', () => {
          use();
          torch.manualSeed(8);
          const dtypes = ['float32', 'float64', 'float16', 'bfloat16', 'int8', 'uint8', 'int16', 'int32', 'int64', 'bool'] as const;
          const bits = (t: Tensor) => Array.from(t.contiguous().dataSync() as ArrayLike<number | bigint>, (v) => String(v));
          for (const dtype of dtypes) {
            const base = torch.randn([6, 7, 9]).mul(100).to(dtype);
            const views: [string, Tensor][] = [
              ['permute', base.permute(2, 0, 1)],
              ['slice', base.index('1:5', ':', '::2')],
              ['broadcast', base.index(0).expand(4, 7, 9)],
              ['transpose', base.mT],
            ];
            for (const [what, v] of views) {
              const nat = v.contiguous();
              const ref = js(() => v.contiguous());
              expect(bits(nat), `${dtype} ${what}`).toEqual(bits(ref));
            }
            const target = torch.zeros([9, 7, 6], { dtype });
            const viewOfTarget = target.permute(2, 1, 0);
            viewOfTarget.copy_(base);
            expect(bits(viewOfTarget), `${dtype} copy_ into a view`).toEqual(bits(base));
          }
          // NaN payloads and −0 survive (bytes are moved, not values).
          const odd = torch.tensor([NaN, -0, Infinity, -Infinity, 1e-45, 3.4e38]).expand(20, 6).mT;
          expect(bits(odd.contiguous())).toEqual(bits(js(() => odd.contiguous())));
          expect(Object.is((odd.contiguous().tolist() as number[][])[1]![0], -0)).toBe(true);
        });
        it('scatter and scatter_add (float32, int64 indices): exactly the TypeScript results; out of range changes nothing', () => {
          use();
          torch.manualSeed(9);
          for (const dim of [0, 1, 2]) {
            const self = torch.randn([4, 6, 5]);
            const shape = [4, 6, 5];
            shape[dim] = 3;
            const index = torch.randint(0, [4, 6, 5][dim]!, shape);
            const src = torch.randn([5, 7, 6]).index(':4', ':6', ':5').index(...[0, 1, 2].map((d) => (d === dim ? ':3' : ':')));
            expectSame(self.scatter(dim, index, src), js(() => self.scatter(dim, index, src)), `scatter dim ${dim}`);
            expectSame(self.scatterAdd(dim, index, src), js(() => self.scatterAdd(dim, index, src)), `scatter_add dim ${dim}`);
            const t = self.mT; // a strided output
            const tIndex = torch.randint(0, t.shape[dim]!, shape.map((s, d) => Math.min(s, t.shape[d]!)));
            const tSrc = torch.randn(tIndex.shape);
            expectSame(t.scatterAdd(dim, tIndex, tSrc), js(() => t.scatterAdd(dim, tIndex, tSrc)), `scatter_add strided dim ${dim}`);
          }
          const x = torch.zeros([3, 4]);
          const before = x.clone();
          expect(() => x.scatterAdd_(1, torch.tensor([[0, 1], [2, 4], [1, 1]]), torch.ones([3, 2]))).toThrow(/out of bounds|out of range/);
          expectSame(x, before, 'unchanged after a refused scatter_add_');
        });
        it('in place, and special values', () => {
          use();
          const special = torch.tensor([0, -0, 1, -1, Infinity, -Infinity, NaN, 1e-45, 3e38, -3e38, 1e-38, 7]);
          const other = torch.tensor([0, 0, -0, 3, Infinity, Infinity, 1, 1e-45, 3e38, 10, 1e38, NaN]);
          for (const op of ops) expectSame(run(op, special, other), js(() => run(op, special, other)), `${op} special`);
          const a = torch.randn([1001]);
          const b = torch.randn([1001]);
          const expected = js(() => a.add(b));
          a.add_(b);
          expectSame(a, expected, 'add_');
        });
        it('other dtypes and mixed dtypes fall back', () => {
          use();
          const i = torch.tensor([1, 2, 3], { dtype: 'int32' });
          expect(i.add(i).tolist()).toEqual([2, 4, 6]);
          const f = torch.tensor([1.5, 2.5, 3.5]);
          const d = torch.tensor([1, 2, 3], { dtype: 'float64' });
          expect(f.add(d).dtype).toBe('float64');
          expect(f.add(d).tolist()).toEqual([2.5, 4.5, 6.5]);
          expect(f.add(i).tolist()).toEqual([2.5, 4.5, 6.5]);
        });
        it("threshold_backward (relu's gradient): exactly the TypeScript results; a NaN result passes the gradient", () => {
          use();
          torch.manualSeed(15);
          const g = torch.randn([1003]);
          const r = torch.cat([torch.randn([1000]).relu(), torch.tensor([NaN, 0, -0])]);
          const got = torch.dispatch1('threshold_backward', [g, r], { threshold: 0 });
          expectSame(got, js(() => torch.dispatch1('threshold_backward', [g, r], { threshold: 0 })), 'threshold 0');
          expectSame(torch.dispatch1('threshold_backward', [g, r], { threshold: 0.5 }), js(() => torch.dispatch1('threshold_backward', [g, r], { threshold: 0.5 })), 'threshold 0.5');
          expect(Array.from(got.dataSync() as Float32Array).slice(1000)).toEqual([(g.dataSync() as Float32Array)[1000], 0, 0]);
        });
        it('neg, abs, sqrt, rsqrt: exactly the TypeScript results, special values included', () => {
          use();
          torch.manualSeed(11);
          const x = torch.cat([torch.randn([1001]).mul(100), torch.tensor([0, -0, Infinity, -Infinity, NaN, 1e-40, -1e-40, 3.4e38])]);
          const pos = x.abs();
          for (const name of ['neg', 'abs', 'sqrt', 'rsqrt'] as const) {
            expectSame(x[name](), js(() => x[name]()), `${name} (any sign)`);
            expectSame(pos[name](), js(() => pos[name]()), `${name} (non-negative)`);
          }
          const t = torch.randn([20, 30]).mT;
          expectSame(t.sqrt(), js(() => t.sqrt()), 'strided (falls back)');
        });
        it('exp: within 2 ulp of Math.exp, special values exact', () => {
          use();
          torch.manualSeed(5);
          const x = torch.randn([100_003]).mul(30);
          const nat = x.exp();
          const ref = js(() => x.exp());
          expectClose(nat, ref, (_, r) => 2 * F32_EPS * Math.abs(r) + SUBNORMAL_ULP, 'exp');
          const edge = torch.tensor([NaN, Infinity, -Infinity, 0, -0, 88.7, 88.72, 89, -87.3, -87.4, -100, -103.9, -104, -200, 1e-30, -1e-30]);
          expectClose(edge.exp(), js(() => edge.exp()), (_, r) => 2 * F32_EPS * Math.abs(r) + SUBNORMAL_ULP, 'exp edges');
          // Non-contiguous input: the TypeScript kernel.
          const t = torch.randn([20, 30]).mT;
          expectSame(t.exp(), js(() => t.exp()), 'exp strided');
        });
      });

      describe('sum', () => {
        for (const dtype of ['float32', 'float64'] as const) {
          it(`${dtype}: all, leading, trailing and middle dims, keepdim`, () => {
            use();
            torch.manualSeed(6);
            const x = torch.randn([5, 7, 9, 11], { dtype });
            const tol = (dtype === 'float32' ? F32_EPS : 2 ** -50) * 8;
            const check = (f: (t: Tensor) => Tensor, what: string) => {
              const ref = js(() => f(x));
              const mag = js(() => f(x.abs()));
              const m = values(mag);
              expectClose(f(x), ref, (i) => tol * m[i]! + Number.MIN_VALUE, `${dtype} ${what}`);
            };
            check((t) => t.sum(), 'all');
            check((t) => t.sum(-1), 'last');
            check((t) => t.sum(0), 'first');
            check((t) => t.sum([1, 2]), 'middle');
            check((t) => t.sum([2, 3], { keepdim: true }), 'trailing, keepdim');
            check((t) => t.sum([0, 2, 3]), 'around a kept dim (per channel)');
            check((t) => t.sum([0, 3], { keepdim: true }), 'around two kept dims, keepdim');
            check((t) => t.sum([0, 2]), 'not adjacent (falls back)');
            check((t) => t.mT.sum(-1), 'transposed (falls back)');
            const big = torch.randn([1_000_003], { dtype });
            const ref = js(() => big.sum());
            const m = values(js(() => big.abs().sum()))[0]!;
            expectClose(big.sum(), ref, () => tol * m, `${dtype} 1M elements`);
            const empty = torch.randn([3, 0, 4], { dtype });
            expectSame(empty.sum(1), js(() => empty.sum(1)), 'empty');
          });
        }
      });

      describe('softmax and log_softmax', () => {
        for (const dtype of ['float32', 'float64'] as const) {
          it(`${dtype}: last, first and middle dims`, () => {
            use();
            torch.manualSeed(7);
            const eps = dtype === 'float32' ? F32_EPS : 2 ** -52;
            const cases: [number[], number][] = [[[37, 129], -1], [[37, 129], 0], [[4, 5, 6], 1], [[1000, 7], -1], [[3, 1], -1], [[], 0], [[2, 0, 3], 1]];
            for (const [shape, dim] of cases) {
              const x = torch.randn(shape, { dtype }).mul(4);
              const what = `${dtype} [${shape}] dim ${dim}`;
              expectClose(x.softmax(dim), js(() => x.softmax(dim)), (_, r) => 8 * eps * Math.abs(r) + eps, `softmax ${what}`);
              expectClose(x.logSoftmax(dim), js(() => x.logSoftmax(dim)), (_, r) => 8 * eps * Math.abs(r) + 8 * eps, `log_softmax ${what}`);
            }
          });
        }
        it('rows with -inf, +inf and NaN behave as the decomposition', () => {
          use();
          const x = torch.tensor([
            [1, 2, -Infinity, 3, 0, 0, 0, 0, 1],
            [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity],
            [1, Infinity, 2, 3, 4, 5, 6, 7, 8],
            [1, 2, 3, NaN, 5, 6, 7, 8, 9],
          ]);
          expectClose(x.softmax(-1), js(() => x.softmax(-1)), (_, r) => 8 * F32_EPS * Math.abs(r) + F32_EPS, 'softmax specials');
          expectClose(x.logSoftmax(-1), js(() => x.logSoftmax(-1)), (_, r) => 8 * F32_EPS * Math.abs(r) + 8 * F32_EPS, 'log_softmax specials');
          expectClose(x.softmax(0), js(() => x.softmax(0)), (_, r) => 8 * F32_EPS * Math.abs(r) + F32_EPS, 'softmax specials dim 0');
        });
        it('non-contiguous input and other dtypes use the decomposition', () => {
          use();
          torch.manualSeed(8);
          // (whose pieces may themselves run natively: exp within 2 ulp)
          const x = torch.randn([30, 20]).mT;
          expectClose(x.softmax(-1), js(() => x.softmax(-1)), (_, r) => 8 * F32_EPS * Math.abs(r), 'transposed');
          const h = torch.randn([4, 6], { dtype: 'float16' });
          expectClose(h.softmax(-1), js(() => h.softmax(-1)), () => 0, 'float16');
        });
      });

      describe('sliding windows (im2col, col2im, max_pool)', () => {
        /** [input shape, kernel, stride, padding, dilation] per case: 1-, 2- and 3-d, strided, dilated, padded. */
        const cases: [number[], number[], number[], number[], number[]][] = [
          [[2, 3, 9, 9], [3, 3], [1, 1], [1, 1], [1, 1]],
          [[3, 2, 11, 7], [3, 2], [2, 3], [1, 0], [1, 2]],
          [[2, 4, 13], [5], [2], [2], [2]],
          [[1, 2, 5, 6, 7], [2, 3, 2], [1, 2, 2], [1, 1, 0], [2, 1, 1]],
          [[4, 1, 3, 3], [3, 3], [1, 1], [2, 2], [1, 1]],
          [[2, 3, 1, 1], [1, 1], [1, 1], [0, 0], [1, 1]],
        ];
        const window = (shape: number[], k: number[], s: number[], p: number[], d: number[]) => {
          const outSize = shape.slice(2).map((n, i) => Math.floor((n + 2 * p[i]! - d[i]! * (k[i]! - 1) - 1) / s[i]!) + 1);
          return { kernel: k, stride: s, padding: p, dilation: d, outSize };
        };
        it('im2col and col2im: exactly the TypeScript results, also from strided inputs', () => {
          use();
          torch.manualSeed(9);
          for (const [shape, k, s, p, d] of cases) {
            const w = window(shape, k, s, p, d);
            const x = torch.randn(shape);
            const what = `[${shape}] k${k} s${s} p${p} d${d}`;
            const cols = torch.dispatch1('im2col', [x], { ...w, padValue: 0 });
            expectSame(cols, js(() => torch.dispatch1('im2col', [x], { ...w, padValue: 0 })), `im2col ${what}`);
            const t = x.transpose(0, 1).contiguous().transpose(0, 1);
            expectSame(torch.dispatch1('im2col', [t], { ...w, padValue: -Infinity }), js(() => torch.dispatch1('im2col', [t], { ...w, padValue: -Infinity })), `im2col strided, -inf padding ${what}`);
            const g = torch.randn(cols.shape);
            const inSize = shape.slice(2);
            expectSame(torch.dispatch1('col2im', [g], { ...w, inSize }), js(() => torch.dispatch1('col2im', [g], { ...w, inSize })), `col2im ${what}`);
            const gt = g.mT.contiguous().mT;
            expectSame(torch.dispatch1('col2im', [gt], { ...w, inSize }), js(() => torch.dispatch1('col2im', [gt], { ...w, inSize })), `col2im strided ${what}`);
          }
        });
        it('max_pool: the same values and indices as the TypeScript kernel, ties, -inf and NaN included', () => {
          use();
          torch.manualSeed(10);
          for (const [shape, k, s, p, d] of cases) {
            if (p.some((q, i) => q > Math.floor(k[i]! / 2))) continue; // pooling's padding is at most half the window
            const w = window(shape, k, s, p, d);
            const x = torch.randn(shape).round(); // many ties
            const numel = x.numel();
            const flat = x.reshape([-1]);
            if (numel > 4) {
              flat.indexPut_([torch.tensor([1])], torch.tensor(NaN));
              flat.indexPut_([torch.tensor([3])], torch.tensor(-Infinity));
            }
            const what = `[${shape}] k${k} s${s} p${p} d${d}`;
            const [v, i] = torch.dispatch('max_pool', [x], w) as [Tensor, Tensor];
            const [rv, ri] = js(() => torch.dispatch('max_pool', [x], w)) as [Tensor, Tensor];
            expectSame(v, rv, `values ${what}`);
            expect(Array.from(i.dataSync() as BigInt64Array), `indices ${what}`).toEqual(Array.from(ri.dataSync() as BigInt64Array));
          }
        });
        it("max_pool_backward: exactly the decomposition's sums (overlapping windows too); a bad index changes nothing", () => {
          use();
          torch.manualSeed(16);
          for (const [shape, k, s] of [[[2, 3, 9, 9], [3, 3], [1, 1]], [[4, 2, 8, 6], [2, 2], [2, 2]], [[2, 2, 11], [3], [2]]] as const) {
            const w = window([...shape], [...k], [...s], k.map(() => 0), k.map(() => 1));
            const x = torch.randn([...shape]);
            const [v, i] = torch.dispatch('max_pool', [x], w) as [Tensor, Tensor];
            const g = torch.randn(v.shape);
            const inSize = shape.slice(2);
            expectSame(torch.dispatch1('max_pool_backward', [g, i], { inSize }), js(() => torch.dispatch1('max_pool_backward', [g, i], { inSize })), `[${shape}] k${k} s${s}`);
          }
          const bad = torch.tensor([[[0, 9]]]);
          expect(() => torch.dispatch1('max_pool_backward', [torch.ones([1, 1, 2]), bad], { inSize: [3] })).toThrow(/out of bounds|index/);
          const out = new Float32Array(3).fill(7);
          expect(native!.maxPoolBackward(Float32Array.of(1, 1), 0, BigInt64Array.of(0n, 9n), 0, out, 0, 1, 2, 3)).toBe(1);
          expect(Array.from(out)).toEqual([7, 7, 7]);
        });
        it('refuses geometry that would read or write outside the arrays', () => {
          // One sample, one channel, a 1-d input of 4 and a window of 3: 2 positions, columns [3, 2].
          const g = [1, 1, 1, 1, 3, 1, 1, 2, 1, 1, 4, 1, 1, 1, 0, 0, 0, 1, 1, 1, 4, 4, 0, 0, 1];
          const cols = new Float32Array(6);
          native!.im2col(Float32Array.of(1, 2, 3, 4), 0, cols, 0, g, 0);
          expect(Array.from(cols)).toEqual([1, 2, 2, 3, 3, 4]);
          expect(() => native!.im2col(new Float32Array(3), 0, new Float32Array(6), 0, g, 0)).toThrow(RangeError);
          expect(() => native!.im2col(new Float32Array(4), 1, new Float32Array(6), 0, g, 0)).toThrow(RangeError);
          expect(() => native!.im2col(new Float32Array(4), 0, new Float32Array(5), 0, g, 0)).toThrow(RangeError);
          expect(() => native!.im2col(new Float32Array(4), 0, new Float32Array(6), 0, g.slice(1), 0)).toThrow(RangeError);
          expect(() => native!.col2im(new Float32Array(5), 0, new Float32Array(4), 0, g)).toThrow(RangeError);
          expect(() => native!.col2im(new Float32Array(6), 0, new Float32Array(3), 0, g)).toThrow(RangeError);
          expect(() => native!.maxPool(new Float32Array(4), 0, new Float32Array(1), 0, new BigInt64Array(2), 0, g)).toThrow(RangeError);
          expect(() => native!.maxPool(new Float32Array(4), 0, new Float32Array(2), 0, new BigInt64Array(1), 0, g)).toThrow(RangeError);
        });
      });

      describe('batch norm (stats, normalise, backward)', () => {
        /** Per-element tolerance: a few float32 roundings of values of this size. */
        const near = (ref: Tensor, scale = 16) => {
          const m = values(ref.abs());
          return (i: number) => scale * F32_EPS * (m[i]! + 1);
        };
        const shapes = [[8, 3, 5, 7], [16, 4], [2, 5, 33], [3, 2, 1, 1, 4]];
        it('match the ops\' decompositions, with and without weight and bias', () => {
          use();
          torch.manualSeed(12);
          for (const shape of shapes) {
            const c = shape[1]!;
            const x = torch.randn(shape).mul(3).add(1);
            const what = `[${shape}]`;
            const [mean, variance] = torch.dispatch('batch_norm_stats', [x]) as [Tensor, Tensor];
            const [rm, rv] = js(() => torch.dispatch('batch_norm_stats', [x])) as [Tensor, Tensor];
            expectClose(mean, rm, near(rm), `mean ${what}`);
            expectClose(variance, rv, near(rv), `variance ${what}`);
            const invstd = rv.add(1e-5).rsqrt();
            const w = torch.randn([c]);
            const b = torch.randn([c]);
            const g = torch.randn(shape);
            for (const [hasW, hasB] of [[true, true], [true, false], [false, true], [false, false]] as const) {
              const ins = [x, rm, invstd, ...(hasW ? [w] : []), ...(hasB ? [b] : [])];
              const attrs = { weight: hasW, bias: hasB };
              const ref = js(() => torch.dispatch1('batch_norm_elemt', ins, attrs));
              expectClose(torch.dispatch1('batch_norm_elemt', ins, attrs), ref, near(ref), `normalise ${what} w ${hasW} b ${hasB}`);
              const bins = [g, x, rm, invstd, ...(hasW ? [w] : [])];
              const got = torch.dispatch('batch_norm_backward', bins, { weight: hasW });
              const want = js(() => torch.dispatch('batch_norm_backward', bins, { weight: hasW }));
              // dx subtracts means of g·x̂ from g: its error is relative to |g|·|w|, not to dx itself.
              const gScale = values(g.abs().mul(hasW ? w.abs().reshape([1, c, ...shape.slice(2).map(() => 1)]) : 1).mul(invstd.reshape([1, c, ...shape.slice(2).map(() => 1)])));
              expectClose(got[0]!, want[0]!, (i) => 64 * F32_EPS * (gScale[i]! + 1), `dx ${what} w ${hasW}`);
              const n = x.numel() / c;
              expectClose(got[1]!, want[1]!, () => 64 * F32_EPS * n, `dweight ${what} w ${hasW}`);
              expectClose(got[2]!, want[2]!, () => 64 * F32_EPS * n, `dbias ${what} w ${hasW}`);
            }
          }
        });
        it('strided inputs and float64 take the decomposition', () => {
          // The strided case is checked exactly: the decomposition runs on the TypeScript kernels either way.
          use();
          torch.manualSeed(13);
          const x = torch.randn([6, 4, 5]).transpose(0, 2);
          const [m] = torch.dispatch('batch_norm_stats', [x]) as [Tensor];
          expectSame(m, js(() => torch.dispatch('batch_norm_stats', [x]))[0]!, 'strided mean');
          const d = torch.randn([6, 4, 5], { dtype: 'float64' });
          // (the decomposition's own pieces may run natively: the same sums in another order)
          const rv = js(() => torch.dispatch('batch_norm_stats', [d]))[1]!;
          expectClose(torch.dispatch('batch_norm_stats', [d])[1]!, rv, (i) => 16 * 2 ** -52 * (values(rv)[i]! + 1), 'float64 variance');
        });
      });
    });
  }
});

/** a·b (matmul) natively vs the TypeScript kernel, within the bound of float rounding of k products. */
function checkMatmul(a: Tensor, b: Tensor, what: string): void {
  const nat = a.matmul(b);
  const ref = js(() => a.matmul(b));
  const k = a.shape[a.ndim - 1]!;
  const mag = values(js(() => a.abs().matmul(b.abs())));
  const eps = a.dtype === 'float32' ? F32_EPS : 2 ** -52;
  // Both sum k products, in different orders (and the native one with FMA): each is within about k·eps·Σ|a||b|.
  expectClose(nat, ref, (i) => 2 * (k + 2) * eps * mag[i]! + Number.MIN_VALUE, what);
}
