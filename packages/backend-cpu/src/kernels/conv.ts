// CPU kernels of the sliding-window primitives (im2col, col2im) that convolution, pooling and
// F.unfold/F.fold are built on. Inputs may be strided; spatial ranks 1–3 run as 3-D with unit dims.
import { type Attrs, type Tensor, cast, fromArray } from '@kindling/tensor';
import { storageArray } from '../layout.js';
import { registerCpuKernel } from '../backend.js';

type Floats = Float32Array | Float64Array;

interface Geometry {
  /** Per (padded-to-3) spatial dim: kernel, output size, input size. */
  k: number[];
  o: number[];
  i: number[];
  /** For dim d, window position p and kernel tap j: the input index, or −1 in the padding. */
  map: Int32Array[];
}

function geometry(attrs: Attrs, inSize: readonly number[], outSize: readonly number[]): Geometry {
  const d = outSize.length;
  const lift = (v: readonly number[], fill: number) => [...new Array<number>(3 - d).fill(fill), ...v];
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
  });
  return { k, o, i, map };
}

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
  const X = src.arr;
  const xs = [...new Array<number>(3 - nd).fill(0), ...src.strides.slice(2)];
  const [sN, sC] = [src.strides[0]!, src.strides[1]!];
  const [N, C] = [x.shape[0]!, x.shape[1]!];
  const [k0, k1, k2] = g.k as [number, number, number];
  const [o0, o1, o2] = g.o as [number, number, number];
  const [m0, m1, m2] = g.map as [Int32Array, Int32Array, Int32Array];
  const [x0, x1, x2] = xs as [number, number, number];
  const direct = out.dtype === 'float32' || out.dtype === 'float64';
  const O: Floats = direct ? (storageArray(out) as Floats) : new Float64Array(out.numel());
  let w = direct ? out._offset : 0;
  for (let n = 0; n < N; n++) {
    const bn = src.off + n * sN;
    for (let p0 = 0; p0 < o0; p0++) {
      for (let p1 = 0; p1 < o1; p1++) {
        for (let p2 = 0; p2 < o2; p2++) {
          for (let c = 0; c < C; c++) {
            const bc = bn + c * sC;
            for (let j0 = 0; j0 < k0; j0++) {
              const i0 = m0[p0 * k0 + j0]!;
              for (let j1 = 0; j1 < k1; j1++) {
                const i1 = m1[p1 * k1 + j1]!;
                if (i0 < 0 || i1 < 0) {
                  for (let j2 = 0; j2 < k2; j2++) O[w++] = padValue;
                  continue;
                }
                const b01 = bc + i0 * x0 + i1 * x1;
                const mb = p2 * k2;
                for (let j2 = 0; j2 < k2; j2++) {
                  const i2 = m2[mb + j2]!;
                  O[w++] = i2 < 0 ? padValue : X[b01 + i2 * x2]!;
                }
              }
            }
          }
        }
      }
    }
  }
  if (!direct) out.copy_(fromArray(O as Float64Array, out.shape));
});

registerCpuKernel('col2im', (inputs, outputs, attrs) => {
  const out = outputs[0]!;
  const cols = inputs[0]!.contiguous();
  const inSize = attrs['inSize'] as number[];
  const outSize = attrs['outSize'] as number[];
  const g = geometry(attrs, inSize, outSize);
  const src = readable(cols);
  const S = src.arr;
  const [N, C] = [out.shape[0]!, out.shape[1]!];
  const [k0, k1, k2] = g.k as [number, number, number];
  const [o0, o1, o2] = g.o as [number, number, number];
  const [i0n, i1n, i2n] = g.i as [number, number, number];
  const [m0, m1, m2] = g.map as [Int32Array, Int32Array, Int32Array];
  const plane = i0n * i1n * i2n;
  // Sums in doubles, rounded once at the end.
  const acc = new Float64Array(N * C * plane);
  let r = src.off;
  for (let n = 0; n < N; n++) {
    for (let p0 = 0; p0 < o0; p0++) {
      for (let p1 = 0; p1 < o1; p1++) {
        for (let p2 = 0; p2 < o2; p2++) {
          for (let c = 0; c < C; c++) {
            const bc = (n * C + c) * plane;
            for (let j0 = 0; j0 < k0; j0++) {
              const a0 = m0[p0 * k0 + j0]!;
              for (let j1 = 0; j1 < k1; j1++) {
                const a1 = m1[p1 * k1 + j1]!;
                if (a0 < 0 || a1 < 0) {
                  r += k2;
                  continue;
                }
                const b01 = bc + (a0 * i1n + a1) * i2n;
                const mb = p2 * k2;
                for (let j2 = 0; j2 < k2; j2++, r++) {
                  const a2 = m2[mb + j2]!;
                  if (a2 >= 0) acc[b01 + a2] += S[r]!;
                }
              }
            }
          }
        }
      }
    }
  }
  if ((out.dtype === 'float32' || out.dtype === 'float64') && out.isContiguous()) {
    (storageArray(out) as Floats).set(acc, out._offset);
  } else {
    out.copy_(fromArray(acc, out.shape));
  }
});
