import { ELEMENTWISE, encodeElements, type Scalar, type ElementwiseEntry, elementwiseDtypes, type DType, Tensor, DtypeError, isFloatingPoint } from '@kindling/tensor';
import { type Domain, loadExpr, runStrided, storeExpr, stridedKernel } from '../codegen.js';
import { operand, storageArray } from '../layout.js';
import { registerCpuKernel } from '../backend.js';

function exprFor(entry: ElementwiseEntry, compute: DType): { expr: string; domain: Domain } {
  if (compute === 'int64') {
    if (entry.bigExpr === undefined) throw new DtypeError(`"${entry.name}" not implemented for 'Long'`);
    return { expr: entry.bigExpr, domain: 'big' };
  }
  if (compute === 'bool') return { expr: entry.boolExpr ?? entry.intExpr ?? entry.expr, domain: 'num' };
  const integral = !(compute.startsWith('float') || compute === 'bfloat16');
  return { expr: integral ? entry.intExpr ?? entry.expr : entry.expr, domain: 'num' };
}

function elementwiseKernel(entry: ElementwiseEntry) {
  return (inputs: readonly Tensor[], outputs: readonly Tensor[]) => {
    const out = outputs[0]!;
    const { compute } = elementwiseDtypes(entry, inputs);
    const { expr, domain } = exprFor(entry, compute);
    const loads = inputs.map((t, i) =>
      entry.name === 'where' && i === 0 ? 'X' : loadExpr(t.dtype, compute, domain),
    );
    const fn = stridedKernel(loads, expr, storeExpr(out.dtype, domain, entry.output === 'bool'));
    // An integer division that may raise writes in place only once it has succeeded everywhere.
    const scratch = entry.intMayThrow && !isFloatingPoint(compute) && inputs.some((t) => t._ref === out._ref);
    const target = scratch ? Tensor._empty(out.shape, out.dtype, out.device) : out;
    runStrided(fn, out.shape, operand(target), inputs.map((t) => operand(t, out.shape)));
    if (scratch) copyKernel([target], [out]);
  };
}

for (const entry of ELEMENTWISE) registerCpuKernel(entry.name, elementwiseKernel(entry));

/** copy: write `src` (broadcast) into `out`, casting to out's dtype, as PyTorch's copy_. */
function copyKernel(inputs: readonly Tensor[], outputs: readonly Tensor[]): void {
  const src = inputs[0]!;
  const out = outputs[0]!;
  // int64 to an integer dtype wraps in BigInt: beyond 2**53 a double would already have lost the low bits.
  const domain: Domain = src.dtype === 'int64' && !isFloatingPoint(out.dtype) ? 'big' : 'num';
  const load = domain === 'big' ? 'X' : loadExpr(src.dtype, src.dtype, 'num');
  const fn = stridedKernel([load], 'a', storeExpr(out.dtype, domain));
  runStrided(fn, out.shape, operand(out), [operand(src, out.shape)]);
}
registerCpuKernel('copy', copyKernel);

/** fill: every element of `out` := the constant, converted once on the host. */
registerCpuKernel('fill', (_inputs, outputs, attrs) => {
  const out = outputs[0]!;
  const value = encodeElements([attrs['value'] as Scalar], out.dtype)[0];
  if (out.isContiguous()) {
    // The typed array's own fill: a memset-speed loop, where zeros() of a large tensor spends its time.
    const arr = storageArray(out) as unknown as { fill(v: unknown, start: number, end: number): void };
    arr.fill(value, out._offset, out._offset + out.numel());
    return;
  }
  const fn = stridedKernel([], 'k0', 'V', 1);
  runStrided(fn, out.shape, operand(out), [], [value]);
});
