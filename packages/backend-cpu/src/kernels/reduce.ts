import type { Attrs, DType, Tensor } from '@kindling/tensor';
import { isFloatingPoint } from '@kindling/tensor';
import { loadExpr, storeExpr, type Domain } from '../codegen.js';
import { operand, type Operand } from '../layout.js';
import { registerCpuKernel } from '../backend.js';
import { runReduce, type ReduceCode } from './reduce-codegen.js';

/** The output operand with strides for the kept dims only (keepdim's size-1 dims dropped). */
function keptOperand(out: Tensor, inputNdim: number, dims: readonly number[], keepdim: boolean): Operand {
  const op = operand(out);
  if (!keepdim) return op;
  const strides: number[] = [];
  for (let d = 0; d < inputNdim; d++) if (!dims.includes(d)) strides.push(op.strides[d]!);
  return { ...op, strides };
}

/** Per-kind accumulation code. */
function reduceCode(kind: string, input: DType, output: DType, innerCount: number): ReduceCode {
  const floating = isFloatingPoint(input);
  // Integer sums stay exact in doubles while |sum| < 2^53; beyond that count, or for int64, use BigInt.
  const big = !floating && (input === 'int64' || kind === 'prod' || (kind === 'sum' && innerCount > 1 << 21));
  const domain: Domain = (kind === 'sum' || kind === 'prod') && big ? 'big' : input === 'int64' && kind !== 'all' && kind !== 'any' ? 'big' : 'num';
  const load = loadExpr(input, domain === 'big' ? 'int64' : input, domain);
  const zero = domain === 'big' ? '0n' : '0';
  const one = domain === 'big' ? '1n' : '1';
  switch (kind) {
    case 'sum':
      return { load, init: zero, step: domain === 'big' ? 'acc = BigInt.asIntN(64, acc + a);' : 'acc += a;', store: storeExpr(output, domain) };
    case 'prod':
      return { load, init: one, step: domain === 'big' ? 'acc = BigInt.asIntN(64, acc * a);' : 'acc *= a;', store: storeExpr(output, domain) };
    case 'amax':
      return {
        load,
        init: domain === 'big' ? '-(2n ** 63n)' : '-Infinity',
        // A NaN, once met, stays: nothing compares greater than it.
        step: floating ? 'if (a > acc || a !== a) acc = a;' : 'if (a > acc) acc = a;',
        store: storeExpr(output, domain),
      };
    case 'amin':
      return {
        load,
        init: domain === 'big' ? '2n ** 63n - 1n' : 'Infinity',
        step: floating ? 'if (a < acc || a !== a) acc = a;' : 'if (a < acc) acc = a;',
        store: storeExpr(output, domain),
      };
    case 'all':
      return { load: loadExpr(input, input, input === 'int64' ? 'big' : 'num'), init: 'true', step: `if (a == 0) acc = false;`, store: '(V) ? 1 : 0' };
    case 'any':
      return { load: loadExpr(input, input, input === 'int64' ? 'big' : 'num'), init: 'false', step: `if (a != 0) acc = true;`, store: '(V) ? 1 : 0' };
  }
  throw new Error(`unknown reduction ${kind}`);
}

for (const kind of ['sum', 'prod', 'amax', 'amin', 'all', 'any']) {
  registerCpuKernel(kind, (inputs, outputs, attrs: Attrs) => {
    const t = inputs[0]!;
    const out = outputs[0]!;
    const dims = attrs['dims'] as number[];
    const keepdim = attrs['keepdim'] as boolean;
    const inner = dims.reduce((n, d) => n * t.shape[d]!, 1);
    runReduce(reduceCode(kind, t.dtype, out.dtype, inner), t.shape, dims, keptOperand(out, t.ndim, dims, keepdim), operand(t));
  });
}

/** max/min along one dim with the index of the first extreme; a NaN wins at its first position. */
for (const [name, cmp] of [['max_dim', '>'], ['min_dim', '<']] as const) {
  registerCpuKernel(name, (inputs, outputs, attrs) => {
    const t = inputs[0]!;
    const [values, indices] = outputs as [Tensor, Tensor];
    const dim = attrs['dim'] as number;
    const keepdim = attrs['keepdim'] as boolean;
    if (t.ndim === 0) {
      values.copy_(t);
      indices.fill_(0);
      return;
    }
    const floating = isFloatingPoint(t.dtype);
    const domain: Domain = t.dtype === 'int64' ? 'big' : 'num';
    const load = loadExpr(t.dtype, t.dtype, domain);
    // Values and indices are written by two passes of the same scan, one storing each.
    const scan = (store: 'value' | 'index') => ({
      load,
      init: domain === 'big' ? 'null' : 'NaN',
      step: `if (j === 0) { acc = a; k = 0; } else if (${floating ? 'acc === acc && (a !== a || a ' + cmp + ' acc)' : 'a ' + cmp + ' acc'}) { acc = a; k = j; }`,
      store: store === 'value' ? storeExpr(values.dtype, domain) : 'BigInt(k)',
    });
    for (const which of ['value', 'index'] as const) {
      const code = scan(which);
      runReduce(
        // The scan also keeps the position `k` of the extreme beside the accumulator.
        { ...code, init: `${code.init}; let k = 0` },
        t.shape,
        [dim],
        keptOperand(which === 'value' ? values : indices, t.ndim, [dim], keepdim),
        operand(t),
      );
    }
  });
}
