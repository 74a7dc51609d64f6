import type { DType } from '@kindling/tensor';
import { scalarLib } from '@kindling/tensor';
import { coalesce, type Operand } from './layout.js';

/** Value domain an expression computes in: JS numbers, or BigInt for int64. */
export type Domain = 'num' | 'big';

const INT_BITS: Partial<Record<DType, number>> = { uint8: 8, int8: 8, int16: 16, int32: 32, int64: 64 };

/**
 * An integer element of `from` cast to the integer dtype `compute`, wrapping as C++ does: a zero-dim
 * operand takes part in promotion only by category, so `uint8_tensor > int32_scalar_tensor` compares
 * in uint8 and the int32 value must be wrapped first (-1 becomes 255). Null when every value fits.
 */
function wrapInt(from: DType, compute: DType): string | null {
  const bits = INT_BITS[compute];
  const fromBits = INT_BITS[from];
  if (bits === undefined || fromBits === undefined || compute === 'int64') return null;
  const unsigned = compute === 'uint8';
  if (from === 'int64') return `Number(BigInt.${unsigned ? 'asUintN' : 'asIntN'}(${bits}, X))`;
  if (unsigned) return from === 'uint8' ? null : '(X & 255)';
  if (fromBits < bits || (fromBits === bits && from !== 'uint8')) return null;
  return `(X << ${32 - bits} >> ${32 - bits})`;
}

/** How to read an element of `from` as a value of the compute dtype, in `domain`. `X` is the element. */
export function loadExpr(from: DType, compute: DType, domain: Domain): string {
  if (domain === 'big') return from === 'int64' ? 'X' : 'BigInt(X)';
  const wrapped = wrapInt(from, compute);
  if (wrapped) return wrapped;
  let v = from === 'int64' ? 'Number(X)' : from === 'float16' ? 'L.h2f(X)' : from === 'bfloat16' ? 'L.bf2f(X)' : 'X';
  // Casting into a narrower float first, as PyTorch does before computing.
  if (from !== compute) {
    if (compute === 'float32' && (from === 'int32' || from === 'int64' || from === 'float64')) v = `Math.fround(${v})`;
    else if (compute === 'float16' && from !== 'bool' && from !== 'int8' && from !== 'uint8') v = `L.rh(${v})`;
    else if (compute === 'bfloat16' && from !== 'bool' && from !== 'int8' && from !== 'uint8') v = `L.rbf(${v})`;
  }
  return v;
}

/** How to write value `V` of `domain` into an element of `to`. `boolValued`: V is a JS boolean. */
export function storeExpr(to: DType, domain: Domain, boolValued = false): string {
  if (boolValued) return to === 'bool' ? '(V) ? 1 : 0' : storeExpr(to, 'num').replace('V', '((V) ? 1 : 0)');
  switch (to) {
    case 'int64': return domain === 'big' ? 'V' : 'L.toBig(V)';
    case 'float16': return domain === 'big' ? 'L.f2h(Number(V))' : 'L.f2h(V)';
    case 'bfloat16': return domain === 'big' ? 'L.f2bf(Number(V))' : 'L.f2bf(V)';
    case 'bool': return domain === 'big' ? '(V) !== 0n ? 1 : 0' : '(V) !== 0 ? 1 : 0';
    case 'float32': case 'float64': return domain === 'big' ? 'Number(V)' : 'V';
    default: return domain === 'big' ? 'Number(BigInt.asIntN(32, V))' : 'V';
  }
}

const NAMES = ['a', 'b', 'c', 'd'];
type StridedFn = (out: Operand, ins: readonly Operand[], shape: readonly number[], consts: readonly unknown[], lib: typeof scalarLib) => void;
const cache = new Map<string, StridedFn>();

/**
 * A kernel that evaluates `expr` (over inputs a, b, c read by `loads`, and constants k0, k1…)
 * at every index of `shape`, writing through `store`. Compiled once per distinct code and cached:
 * the monomorphic loops V8 makes of it run close to native speed.
 */
export function stridedKernel(loads: readonly string[], expr: string, store: string, nconsts = 0): StridedFn {
  const key = `${loads.join(',')}|${expr}|${store}|${nconsts}`;
  let fn = cache.get(key);
  if (fn) return fn;
  const n = loads.length;
  const ins = NAMES.slice(0, n);
  const read = (i: number, idx: string) => `const ${ins[i]} = ${loads[i]!.replace('X', `${ins[i]!.toUpperCase()}[${idx}]`)};`;
  const body = `
    const o = out.arr, oS = out.strides;
    ${ins.map((x, i) => `const ${x.toUpperCase()} = ins[${i}].arr, ${x}S = ins[${i}].strides;`).join('\n')}
    ${Array.from({ length: nconsts }, (_, i) => `const k${i} = consts[${i}];`).join('\n')}
    const nd = shape.length, n0 = shape[nd - 1];
    if (nd === 1 && oS[0] === 1 ${ins.map((x) => `&& ${x}S[0] === 1`).join(' ')}) {
      const oo = out.offset ${ins.map((x, i) => `, ${x}o = ins[${i}].offset`).join('')};
      for (let i = 0; i < n0; i++) {
        ${ins.map((_, i) => read(i, `${ins[i]}o + i`)).join('\n')}
        const V = ${expr};
        o[oo + i] = ${store};
      }
      return;
    }
    const oS0 = oS[nd - 1] ${ins.map((x) => `, ${x}S0 = ${x}S[nd - 1]`).join('')};
    let outer = 1;
    for (let d = 0; d < nd - 1; d++) outer *= shape[d];
    const idx = new Array(nd).fill(0);
    let po = out.offset ${ins.map((x, i) => `, p${x} = ins[${i}].offset`).join('')};
    for (let r = 0; r < outer; r++) {
      let qo = po ${ins.map((x) => `, q${x} = p${x}`).join('')};
      for (let i = 0; i < n0; i++) {
        ${ins.map((_, i) => read(i, `q${ins[i]}`)).join('\n')}
        const V = ${expr};
        o[qo] = ${store};
        qo += oS0; ${ins.map((x) => `q${x} += ${x}S0;`).join(' ')}
      }
      for (let d = nd - 2; d >= 0; d--) {
        po += oS[d]; ${ins.map((x) => `p${x} += ${x}S[d];`).join(' ')}
        if (++idx[d] < shape[d]) break;
        po -= oS[d] * shape[d]; ${ins.map((x) => `p${x} -= ${x}S[d] * shape[d];`).join(' ')}
        idx[d] = 0;
      }
    }`;
  const inner = new Function('out', 'ins', 'shape', 'consts', 'L', body) as StridedFn;
  fn = inner;
  cache.set(key, fn);
  return fn;
}

/** Run a strided kernel over `out` (shape = out.shape) with inputs already broadcast to it. */
export function runStrided(fn: StridedFn, shape: readonly number[], out: Operand, ins: readonly Operand[], consts: readonly unknown[] = []): void {
  let n = 1;
  for (const s of shape) n *= s;
  if (n === 0) return;
  const c = coalesce(shape, [out.strides, ...ins.map((x) => x.strides)]);
  const o2: Operand = { arr: out.arr, offset: out.offset, strides: c.strides[0]! };
  const i2 = ins.map((x, k) => ({ arr: x.arr, offset: x.offset, strides: c.strides[k + 1]! }));
  fn(o2, i2, c.shape, consts, scalarLib);
}
