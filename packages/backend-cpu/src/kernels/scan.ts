import { isFloatingPoint, type Tensor } from '@kindling/tensor';
import { loadExpr, storeExpr, type Domain } from '../codegen.js';
import { operand, storageArray } from '../layout.js';
import { registerCpuKernel } from '../backend.js';
import { scalarLib } from '@kindling/tensor';

/** Visit every 1-D line of `t` along `dim`: callback gets (input offset, output offset). */
export function forEachLine(shape: readonly number[], dim: number, inStrides: readonly number[], outStrides: readonly number[], inOff: number, outOff: number, fn: (pi: number, po: number) => void): void {
  const dims = shape.map((_, i) => i).filter((i) => i !== dim);
  const total = dims.reduce((n, d) => n * shape[d]!, 1);
  if (total === 0 || shape[dim] === 0) return;
  const idx = new Array<number>(dims.length).fill(0);
  let pi = inOff;
  let po = outOff;
  for (let r = 0; r < total; r++) {
    fn(pi, po);
    for (let k = dims.length - 1; k >= 0; k--) {
      const d = dims[k]!;
      pi += inStrides[d]!;
      po += outStrides[d]!;
      if (++idx[k]! < shape[d]!) break;
      pi -= inStrides[d]! * shape[d]!;
      po -= outStrides[d]! * shape[d]!;
      idx[k] = 0;
    }
  }
}

type ScanFn = (A: ArrayLike<unknown>, O: unknown[] | ArrayLike<unknown>, pi: number, po: number, n: number, si: number, so: number, L: typeof scalarLib) => void;
const cache = new Map<string, ScanFn>();

function scanFn(load: string, step: string, init: string, store: string): ScanFn {
  const key = `${load}|${step}|${init}|${store}`;
  let fn = cache.get(key);
  if (!fn) {
    fn = new Function('A', 'O', 'pi', 'po', 'n', 'si', 'so', 'L', `
      let acc = ${init};
      for (let i = 0; i < n; i++) {
        const a = ${load.replace('X', 'A[pi + i * si]')};
        ${step}
        const V = acc;
        O[po + i * so] = ${store};
      }`) as ScanFn;
    cache.set(key, fn);
  }
  return fn;
}

for (const kind of ['cumsum', 'cumprod'] as const) {
  registerCpuKernel(kind, (inputs, outputs, attrs) => {
    const t = inputs[0]!;
    const out = outputs[0] as Tensor;
    if (t.ndim === 0) {
      out.copy_(t);
      return;
    }
    const dim = attrs['dim'] as number;
    const floating = isFloatingPoint(t.dtype);
    const domain: Domain = floating ? 'num' : 'big';
    const load = loadExpr(t.dtype, domain === 'big' ? 'int64' : t.dtype, domain);
    const op = kind === 'cumsum' ? '+' : '*';
    const step = domain === 'big' ? `acc = BigInt.asIntN(64, acc ${op} a);` : `acc = acc ${op} a;`;
    const init = kind === 'cumsum' ? (domain === 'big' ? '0n' : '0') : domain === 'big' ? '1n' : '1';
    const fn = scanFn(load, step, init, storeExpr(out.dtype, domain));
    const A = storageArray(t);
    const O = storageArray(out);
    const ot = operand(out);
    const n = t.shape[dim]!;
    forEachLine(t.shape, dim, t._strides, ot.strides, t._offset, ot.offset, (pi, po) =>
      fn(A as ArrayLike<unknown>, O as ArrayLike<unknown>, pi, po, n, t._strides[dim]!, ot.strides[dim]!, scalarLib),
    );
  });
}
