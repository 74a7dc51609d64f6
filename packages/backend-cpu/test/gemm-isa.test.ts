// The native GEMM on every instruction-set path this CPU has (avx512, avx2, portable), called directly
// on typed arrays and checked against a float64 reference: edge tiles (sizes that are not multiples of
// any micro-tile), products deeper than one k block and taller than one row block, transposed and
// strided operands, a batch with a broadcast weight, a column-major result, on one and several threads.
// Skipped, with the reason in its name, when the addon is not built.
import { afterAll, describe, expect, it } from 'vitest';
import { nativeAddon, nativeUnavailableReason } from '../src/native/addon.js';

const native = nativeAddon;
const title = native ? 'native gemm on each instruction-set path' : `native gemm (skipped: ${nativeUnavailableReason})`;
/** The paths this machine can run, best first. */
const isas = native ? ['avx512', 'avx2', 'portable'].filter((isa) => native.setIsa(isa) === isa) : [];
const threadsBefore = native ? native.getNumThreads() : 1;
if (native) native.setIsa(native.bestIsa());

afterAll(() => {
  if (!native) return;
  native.setIsa(native.bestIsa());
  native.setNumThreads(threadsBefore);
});

type Floats = Float32Array | Float64Array;

/** A deterministic fill in [-1, 1). */
function fill<T extends Floats>(arr: T, seed: number): T {
  let s = seed >>> 0 || 1;
  for (let i = 0; i < arr.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    arr[i] = s / 2 ** 31 - 1;
  }
  return arr;
}

interface Layout {
  /** A stored as [k, n] (A is its transpose). */
  at?: boolean;
  /** B stored as [m, k]. */
  bt?: boolean;
  /** C stored column-major. */
  ct?: boolean;
  /** Extra elements at the end of each stored row (a sliced operand). */
  pad?: number;
  batch?: number;
  /** One A for the whole batch (batch stride 0). */
  broadcastA?: boolean;
}

/** C = A·B through the addon, checked elementwise against float64 sums within the FMA rounding bound. */
function check(dtype: 'float32' | 'float64', n: number, m: number, k: number, layout: Layout = {}): void {
  const { at = false, bt = false, ct = false, pad = 0, batch = 1, broadcastA = false } = layout;
  const Arr = dtype === 'float32' ? Float32Array : Float64Array;
  const eps = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
  // Row strides with padding; an operand's stored shape is [rows, cols + pad].
  const [aRows, aCols] = at ? [k, n] : [n, k];
  const [bRows, bCols] = bt ? [m, k] : [k, m];
  const aLd = aCols + pad;
  const bLd = bCols + pad;
  const aBs = broadcastA ? 0 : aRows * aLd;
  const bBs = bRows * bLd;
  const cBs = n * m;
  const A = fill(new Arr(Math.max(1, (broadcastA ? 1 : batch) * aRows * aLd)), 1 + n + 7 * k);
  const B = fill(new Arr(Math.max(1, batch * bRows * bLd)), 2 + m + 13 * k);
  const C = new Arr(Math.max(1, batch * cBs)).fill(Number.NaN);
  const [aRs, aCs] = at ? [1, aLd] : [aLd, 1];
  const [bRs, bCs] = bt ? [1, bLd] : [bLd, 1];
  const [cRs, cCs] = ct ? [1, n] : [m, 1];
  native!.gemm(A, 0, aBs, aRs, aCs, B, 0, bBs, bRs, bCs, C, 0, cBs, cRs, cCs, batch, n, m, k);
  const what = `${dtype} ${native!.isa()} [${n}×${k}]·[${k}×${m}] ${JSON.stringify(layout)} on ${native!.getNumThreads()} thread(s)`;
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let sum = 0;
        let abs = 0;
        for (let p = 0; p < k; p++) {
          const x = A[t * aBs + i * aRs + p * aCs]! * B[t * bBs + p * bRs + j * bCs]!;
          sum += x;
          abs += Math.abs(x);
        }
        const got = C[t * cBs + i * cRs + j * cCs]!;
        const tol = 2 * (k + 2) * eps * abs + 1e-30;
        if (!(Math.abs(got - sum) <= tol)) expect.fail(`${what}: C[${t}][${i}][${j}] = ${got}, expected ${sum} (tolerance ${tol})`);
      }
    }
  }
}

const EDGE = [1, 13, 31, 33, 100, 257];

describe.skipIf(!native)(title, () => {
  it('runs on a known path', () => {
    expect(isas.length).toBeGreaterThan(0);
    expect(isas).toContain('portable');
    expect(isas[0]).toBe(native!.bestIsa());
  });

  for (const isa of isas) {
    describe(`${isa} path`, () => {
      const use = (threads = 1) => {
        expect(native!.setIsa(isa)).toBe(isa);
        native!.setNumThreads(threads);
      };

      for (const dtype of ['float32', 'float64'] as const) {
        it(`${dtype}: m, n, k each of ${EDGE.join(', ')}`, () => {
          use();
          for (const n of EDGE) for (const m of EDGE) for (const k of [1, 31, 257]) check(dtype, n, m, k);
          for (const k of [13, 33, 100]) check(dtype, 33, 100, k);
        });

        it(`${dtype}: transposed and sliced operands, column-major result`, () => {
          use();
          for (const [n, m, k] of [[13, 31, 33], [100, 33, 257], [257, 13, 100], [31, 257, 13], [1, 100, 257]] as const) {
            for (const layout of [{ at: true }, { bt: true }, { at: true, bt: true }, { pad: 3 }, { at: true, pad: 5 }, { bt: true, pad: 1 }, { ct: true }, { ct: true, at: true, bt: true }]) {
              check(dtype, n, m, k, layout);
            }
          }
        });

        it(`${dtype}: batched, with a weight broadcast over the batch (a convolution)`, () => {
          use();
          check(dtype, 33, 100, 27, { batch: 5, broadcastA: true });
          check(dtype, 64, 257, 27, { batch: 3, broadcastA: true });
          check(dtype, 13, 64, 300, { batch: 4, broadcastA: true, pad: 2 });
          check(dtype, 31, 33, 13, { batch: 3 });
          check(dtype, 100, 31, 33, { batch: 3, broadcastA: true, at: true });
          check(dtype, 33, 13, 31, { batch: 2, broadcastA: true, ct: true });
        });

        it(`${dtype}: deeper than a k block, taller than a row block, wider than a column block`, () => {
          use();
          check(dtype, 300, 40, 1100);
          check(dtype, 29, 27, 2100, { bt: true });
          check(dtype, 40, 29, 1500, { at: true });
          check(dtype, 7, 4200, 9);
          // Rows of B 512 elements apart (the kernel packs such a B instead of reading it in place).
          check(dtype, 20, 509, 40, { pad: 3 });
        });

        it(`${dtype}: on several threads`, () => {
          use(3);
          check(dtype, 257, 100, 300);
          check(dtype, 100, 257, 33, { batch: 9, broadcastA: true });
          check(dtype, 13, 31, 700, { batch: 2, at: true, bt: true });
        });
      }
    });
  }
});
