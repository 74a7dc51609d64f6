import { scalarLib } from '@kindling/tensor';
import { coalesce, type Operand } from '../layout.js';

/**
 * Reductions walk, for each output element, the "inner" index space of the reduced dims.
 * `step` updates `acc` from the element `a` (and its position `j` along the inner space).
 */
export interface ReduceCode {
  readonly load: string;
  readonly init: string;
  readonly step: string;
  readonly store: string;
}

type ReduceFn = (out: Operand, inp: Operand, outer: readonly number[], innerShape: readonly number[], innerStrides: readonly number[], L: typeof scalarLib) => void;
const cache = new Map<string, ReduceFn>();

function compile(code: ReduceCode): ReduceFn {
  const key = `${code.load}|${code.init}|${code.step}|${code.store}`;
  let fn = cache.get(key);
  if (fn) return fn;
  const body = `
    const o = out.arr, A = inp.arr, oS = out.strides, aS = inp.strides;
    const nd = outer.length, ind = innerShape.length;
    const n0 = innerShape[ind - 1], s0 = innerStrides[ind - 1];
    let innerOuter = 1;
    for (let d = 0; d < ind - 1; d++) innerOuter *= innerShape[d];
    let total = 1;
    for (let d = 0; d < nd; d++) total *= outer[d];
    const idx = new Array(nd).fill(0), jdx = new Array(ind).fill(0);
    let po = out.offset, pa = inp.offset;
    for (let r = 0; r < total; r++) {
      let acc = ${code.init};
      let j = 0;
      let pb = pa;
      for (let q = 0; q < innerOuter; q++) {
        let p = pb;
        for (let i = 0; i < n0; i++, j++) {
          const a = ${code.load.replace('X', 'A[p]')};
          ${code.step}
          p += s0;
        }
        for (let d = ind - 2; d >= 0; d--) {
          pb += innerStrides[d];
          if (++jdx[d] < innerShape[d]) break;
          pb -= innerStrides[d] * innerShape[d];
          jdx[d] = 0;
        }
      }
      const V = acc;
      o[po] = ${code.store};
      for (let d = nd - 1; d >= 0; d--) {
        po += oS[d]; pa += aS[d];
        if (++idx[d] < outer[d]) break;
        po -= oS[d] * outer[d]; pa -= aS[d] * outer[d];
        idx[d] = 0;
      }
    }`;
  fn = new Function('out', 'inp', 'outer', 'innerShape', 'innerStrides', 'L', body) as ReduceFn;
  cache.set(key, fn);
  return fn;
}

/**
 * Reduce `inp` (full shape `shape`, strides in `inp`) over `dims` into `out` (whose strides are given
 * for the kept dims only, in order).
 */
export function runReduce(code: ReduceCode, shape: readonly number[], dims: readonly number[], out: Operand, inp: Operand): void {
  const keptShape: number[] = [];
  const keptIn: number[] = [];
  const innerShapeAll: number[] = [];
  const innerStridesAll: number[] = [];
  shape.forEach((s, d) => {
    if (dims.includes(d)) {
      innerShapeAll.push(s);
      innerStridesAll.push(inp.strides[d]!);
    } else {
      keptShape.push(s);
      keptIn.push(inp.strides[d]!);
    }
  });
  if (keptShape.some((s) => s === 0)) return;
  const outer = coalesce(keptShape, [out.strides, keptIn]);
  const inner = coalesce(innerShapeAll, [innerStridesAll]);
  const innerShape = innerShapeAll.some((s) => s === 0) ? [0] : inner.shape;
  compile(code)(
    { arr: out.arr, offset: out.offset, strides: outer.strides[0]! },
    { arr: inp.arr, offset: inp.offset, strides: outer.strides[1]! },
    outer.shape,
    innerShape,
    inner.strides[0]!,
    scalarLib,
  );
}
