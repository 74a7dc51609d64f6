// CPU kernels of the sliding-window primitives (im2col, col2im) that convolution, pooling and
// F.unfold/F.fold are built on. Inputs may be strided; spatial ranks 1–3 run as 3-D with unit dims.
//
// Columns use F.unfold's layout [N, C·∏k, L]: each (channel, tap) row is read from (or added into) the
// input at a fixed offset with the stride, so the inner loops are sequential; the positions where a tap
// falls into the padding are found once per tap. The loops are compiled once per pair of array types,
// so each copy sees a single typed-array type.
import { type Attrs, type Tensor, cast, fromArray } from '@kindling/tensor';
import { storageArray } from '../layout.js';
import { registerCpuKernel } from '../backend.js';

type Floats = Float32Array | Float64Array;

interface Geometry {
  /** Per (padded-to-3) spatial dim: kernel, output size, input size. */
  k: [number, number, number];
  o: [number, number, number];
  i: [number, number, number];
  /** For dim d, window position p and kernel tap j: the input index, or −1 in the padding. */
  map: [Int32Array, Int32Array, Int32Array];
  dil: [number, number, number];
  stride: [number, number, number];
  pad: [number, number, number];
  /** For each tap j of the last dim: the window positions [lo, hi) where it lands inside the input. */
  lo2: Int32Array;
  hi2: Int32Array;
}

function geometry(attrs: Attrs, inSize: readonly number[], outSize: readonly number[]): Geometry {
  const d = outSize.length;
  const lift = (v: readonly number[], fill: number) => [...new Array<number>(3 - d).fill(fill), ...v] as [number, number, number];
  const k = lift(attrs['kernel'] as number[], 1);
  const s = lift(attrs['stride'] as number[], 1);
  const p = lift(attrs['padding'] as number[], 0);
  const dl = lift(attrs['dilation'] as number[], 1);
  const o = lift(outSize, 1);
  const i = lift(inSize, 1);
  const map = [0, 1, 2].map((dim) => {
    const m = new Int32Array(o[dim]! * k[dim]!);
    for (let pos = 0; pos < o[dim]!; pos++) {
      for (let j = 0; j < k[dim]!; j++) {
        const idx = pos * s[dim]! - p[dim]! + j * dl[dim]!;
        m[pos * k[dim]! + j] = idx >= 0 && idx < i[dim]! ? idx : -1;
      }
    }
    return m;
  }) as Geometry['map'];
  const lo2 = new Int32Array(k[2]);
  const hi2 = new Int32Array(k[2]);
  for (let j = 0; j < k[2]; j++) {
    // p·s − pad + j·d ∈ [0, i)  ⇔  p ∈ [ceil((pad − j·d)/s), ceil((i + pad − j·d)/s))
    const off = p[2] - j * dl[2];
    lo2[j] = Math.min(o[2], Math.max(0, Math.ceil(off / s[2])));
    hi2[j] = Math.max(lo2[j]!, Math.min(o[2], Math.ceil((i[2] + off) / s[2])));
  }
  return { k, o, i, map, dil: dl, stride: s, pad: p, lo2, hi2 };
}

/**
 * The im2col loop, in F.unfold's layout: for each sample and row (c, j0, j1, j2), the values of that tap
 * at every window position (p0, p1, p2), contiguous. `lo2`/`hi2` bound the positions p2 whose tap j2
 * lands inside the input (outside them the row holds padValue).
 */
function im2colLoop(
  X: Floats, xoff: number, sN: number, sC: number, x0: number, x1: number, x2: number, N: number, C: number,
  k0: number, k1: number, k2: number, o0: number, o1: number, o2: number,
  m0: Int32Array, m1: Int32Array, lo2: Int32Array, hi2: Int32Array, s2: number, pad2: number, d2: number,
  O: Floats, w: number, padValue: number,
): void {
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const bc = xoff + n * sN + c * sC;
      for (let j0 = 0; j0 < k0; j0++) {
        for (let j1 = 0; j1 < k1; j1++) {
          for (let j2 = 0; j2 < k2; j2++) {
            const lo = lo2[j2]!;
            const hi = hi2[j2]!;
            const step = s2 * x2;
            const first = (j2 * d2 - pad2) * x2;
            for (let p0 = 0; p0 < o0; p0++) {
              const i0 = m0[p0 * k0 + j0]!;
              for (let p1 = 0; p1 < o1; p1++) {
                const i1 = m1[p1 * k1 + j1]!;
                if (i0 < 0 || i1 < 0) {
                  for (let p2 = 0; p2 < o2; p2++) O[w++] = padValue;
                  continue;
                }
                const b = bc + i0 * x0 + i1 * x1 + first;
                let p2 = 0;
                for (; p2 < lo; p2++) O[w++] = padValue;
                for (; p2 < hi; p2++) O[w++] = X[b + p2 * step]!;
                for (; p2 < o2; p2++) O[w++] = padValue;
              }
            }
          }
        }
      }
    }
  }
}

/** The col2im loop: each column row (c, j0, j1, j2) added into the plane of channel c of A [C, i0, i1, i2] (one sample). */
function col2imLoop(
  S: Floats, r: number, C: number, i1n: number, i2n: number,
  k0: number, k1: number, k2: number, o0: number, o1: number, o2: number,
  m0: Int32Array, m1: Int32Array, lo2: Int32Array, hi2: Int32Array, s2: number, pad2: number, d2: number, plane: number, A: Float64Array,
): void {
  for (let c = 0; c < C; c++) {
    const bc = c * plane;
    for (let j0 = 0; j0 < k0; j0++) {
      for (let j1 = 0; j1 < k1; j1++) {
        for (let j2 = 0; j2 < k2; j2++) {
          const lo = lo2[j2]!;
          const hi = hi2[j2]!;
          const first = j2 * d2 - pad2;
          for (let p0 = 0; p0 < o0; p0++) {
            const a0 = m0[p0 * k0 + j0]!;
            for (let p1 = 0; p1 < o1; p1++, r += o2) {
              const a1 = m1[p1 * k1 + j1]!;
              if (a0 < 0 || a1 < 0) continue;
              const b = bc + (a0 * i1n + a1) * i2n + first;
              for (let p2 = lo; p2 < hi; p2++) A[b + p2 * s2] += S[r + p2]!;
            }
          }
        }
      }
    }
  }
}

/** A copy of `fn` per key, so that each sees one typed-array type (monomorphic element access). */
function specialized<F extends (...a: never[]) => void>(fn: F): (key: string) => F {
  const copies = new Map<string, F>();
  return (key) => {
    let f = copies.get(key);
    if (!f) {
      try {
        f = new Function(`return (${fn.toString()})`)() as F;
      } catch {
        f = fn; // no eval (strict CSP): share the one copy
      }
      copies.set(key, f);
    }
    return f;
  };
}
const im2colFor = specialized(im2colLoop);
const col2imFor = specialized(col2imLoop);
const kind = (a: Floats) => (a instanceof Float32Array ? 'f32' : 'f64');

/** Storage array and element offset/strides of `t` for reading as float32/float64 (casting other dtypes). */
function readable(t: Tensor): { arr: Floats; off: number; strides: readonly number[] } {
  const c = t.dtype === 'float32' || t.dtype === 'float64' ? t : cast(t, 'float64');
  return { arr: storageArray(c) as Floats, off: c._offset, strides: c._strides };
}

registerCpuKernel('im2col', (inputs, outputs, attrs) => {
  const x = inputs[0]!;
  const out = outputs[0]!;
  if (out.numel() === 0) return;
  const outSize = attrs['outSize'] as number[];
  const nd = outSize.length;
  const g = geometry(attrs, x.shape.slice(2), outSize);
  const padValue = (attrs['padValue'] as number | undefined) ?? 0;
  const src = readable(x);
  const [x0, x1, x2] = [...new Array<number>(3 - nd).fill(0), ...src.strides.slice(2)] as [number, number, number];
  const [N, C] = [x.shape[0]!, x.shape[1]!];
  const direct = (out.dtype === 'float32' || out.dtype === 'float64') && out.isContiguous();
  const O: Floats = direct ? (storageArray(out) as Floats) : new Float64Array(out.numel());
  im2colFor(kind(src.arr) + kind(O))(
    src.arr, src.off, src.strides[0]!, src.strides[1]!, x0, x1, x2, N, C, ...g.k, ...g.o, g.map[0], g.map[1], g.lo2, g.hi2,
    g.stride[2], g.pad[2], g.dil[2], O, direct ? out._offset : 0, padValue,
  );
  if (!direct) out.copy_(fromArray(O as Float64Array, out.shape));
});

registerCpuKernel('col2im', (inputs, outputs, attrs) => {
  const out = outputs[0]!;
  const cols = inputs[0]!.contiguous();
  const inSize = attrs['inSize'] as number[];
  const outSize = attrs['outSize'] as number[];
  const g = geometry(attrs, inSize, outSize);
  const src = readable(cols);
  const [N, C] = [out.shape[0]!, out.shape[1]!];
  const [i0n, i1n, i2n] = g.i;
  const plane = i0n * i1n * i2n;
  const perSample = C * g.k[0] * g.k[1] * g.k[2] * g.o[0] * g.o[1] * g.o[2];
  // Sums in doubles, one sample at a time, rounded once when written out.
  const acc = new Float64Array(C * plane);
  const direct = (out.dtype === 'float32' || out.dtype === 'float64') && out.isContiguous();
  const O = direct ? (storageArray(out) as Floats) : new Float64Array(out.numel());
  const loop = col2imFor(kind(src.arr));
  for (let n = 0; n < N; n++) {
    if (n > 0) acc.fill(0);
    if (perSample > 0) {
      loop(src.arr, src.off + n * perSample, C, i1n, i2n, ...g.k, ...g.o, g.map[0], g.map[1], g.lo2, g.hi2, g.stride[2], g.pad[2], g.dil[2], plane, acc);
    }
    O.set(acc, (direct ? out._offset : 0) + n * C * plane);
  }
  if (!direct) out.copy_(fromArray(O as Float64Array, out.shape));
});

/** The max_pool loop over planes (n, c) and windows; indices are written as int32 pairs (little-endian int64). */
function maxPoolLoop(
  X: Floats, xoff: number, sN: number, sC: number, x0: number, x1: number, x2: number, N: number, C: number,
  k0: number, k1: number, k2: number, o0: number, o1: number, o2: number, i1n: number, i2n: number,
  m0: Int32Array, m1: Int32Array, m2: Int32Array, V: Floats, voff: number, I: Int32Array, ioff: number,
): void {
  let w = 0;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const bc = xoff + n * sN + c * sC;
      for (let p0 = 0; p0 < o0; p0++) {
        for (let p1 = 0; p1 < o1; p1++) {
          for (let p2 = 0; p2 < o2; p2++, w++) {
            let best = -Infinity;
            let arg = -1;
            for (let j0 = 0; j0 < k0; j0++) {
              const a0 = m0[p0 * k0 + j0]!;
              if (a0 < 0) continue;
              for (let j1 = 0; j1 < k1; j1++) {
                const a1 = m1[p1 * k1 + j1]!;
                if (a1 < 0) continue;
                const b01 = bc + a0 * x0 + a1 * x1;
                const f01 = (a0 * i1n + a1) * i2n;
                for (let j2 = 0; j2 < k2; j2++) {
                  const a2 = m2[p2 * k2 + j2]!;
                  if (a2 < 0) continue;
                  const v = X[b01 + a2 * x2]!;
                  if (arg < 0) arg = f01 + a2;
                  if (v > best || v !== v) {
                    best = v;
                    arg = f01 + a2;
                  }
                }
              }
            }
            V[voff + w] = best;
            I[ioff + 2 * w] = arg;
            I[ioff + 2 * w + 1] = 0;
          }
        }
      }
    }
  }
}
const maxPoolFor = specialized(maxPoolLoop);
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

registerCpuKernel('max_pool', (inputs, outputs, attrs) => {
  const x = inputs[0]!;
  const [vals, idx] = outputs as [Tensor, Tensor];
  if (vals.numel() === 0) return;
  const outSize = attrs['outSize'] as number[];
  const nd = outSize.length;
  const g = geometry(attrs, x.shape.slice(2), outSize);
  const src = readable(x);
  const [x0, x1, x2] = [...new Array<number>(3 - nd).fill(0), ...src.strides.slice(2)] as [number, number, number];
  const [N, C] = [x.shape[0]!, x.shape[1]!];
  const direct = (vals.dtype === 'float32' || vals.dtype === 'float64') && vals.isContiguous();
  const V: Floats = direct ? (storageArray(vals) as Floats) : new Float64Array(vals.numel());
  const big = storageArray(idx) as BigInt64Array;
  const fast = LITTLE_ENDIAN && idx.isContiguous();
  const I = fast ? new Int32Array(big.buffer, big.byteOffset, big.length * 2) : new Int32Array(idx.numel() * 2);
  maxPoolFor(kind(src.arr) + kind(V))(
    src.arr, src.off, src.strides[0]!, src.strides[1]!, x0, x1, x2, N, C, ...g.k, ...g.o, g.i[1], g.i[2], ...g.map,
    V, direct ? vals._offset : 0, I, fast ? 2 * idx._offset : 0,
  );
  if (!direct) vals.copy_(fromArray(V as Float64Array, vals.shape));
  if (!fast) {
    const b = new BigInt64Array(idx.numel());
    for (let i = 0; i < b.length; i++) b[i] = BigInt(I[2 * i]!);
    idx.copy_(fromArray(b, idx.shape));
  }
});
