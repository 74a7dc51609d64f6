import { type DType, type ElementwiseEntry, ELEMENTWISE, type Scalar, type Tensor, DtypeError, elementwiseDtypes, encodeElements } from '@kindling/tensor';
import { gpu, registerWebGPUKernel } from '../backend.js';
import { ErrorCode } from '../device-errors.js';
import { convert, domainOf, float64Refusal, loadNative, storeBits, storeNative, WGSL_TYPE } from '../wgsl/dtypes.js';
import type { Bindings } from './bindings.js';
import { runGrid } from './grid.js';
import { WGSL_ELEMENTWISE } from './elementwise-wgsl.js';
import { broadcastStrides } from './layout.js';

/**
 * Run a strided elementwise kernel over `out`'s shape (inputs broadcast to it): `body(bindings)` gives
 * the statements that store element e0 of the output from input elements e1, e2…
 */
export function runStrided(
  key: string, out: Tensor, inputs: readonly Tensor[], body: (b: Bindings) => string, extra: readonly number[] = [], raises?: number,
): void {
  const strides = [out._strides, ...inputs.map((t) => broadcastStrides(t, out.shape))];
  runGrid({ key, shape: out.shape, outputs: [out], inputs, strides, extra, body, ...(raises === undefined ? {} : { raises }) });
}

/**
 * Integer division and remainder by zero: PyTorch raises ZeroDivisionError. A pass over the divisor's
 * own elements (each is used once the result is not empty) records it for op `seq` before the kernel
 * runs, and the kernel then writes nothing, so an in-place `x //= 0` leaves x as it was.
 */
function checkDivisor(seq: number, divisor: Tensor, compute: DType, op: string): void {
  runGrid({
    key: `check_divisor|${divisor.dtype}|${compute}`,
    shape: divisor.shape,
    outputs: [],
    inputs: [divisor],
    strides: [divisor._strides],
    raises: seq,
    body: (b) => {
      const d = convert(loadNative(divisor.dtype, b.vars[0]!, 'e0'), divisor.dtype, compute, op);
      const zero = domainOf(compute, op) === 'l' ? `!k_i64_nz(${d})` : `(${d}) == 0`;
      return `if (${zero}) { k_raise(${ErrorCode.ZeroDivision}u, 0u, 0u, 0u, 0u, 0u, 0u); }`;
    },
  });
}

function formulaFor(entry: ElementwiseEntry, compute: DType): string {
  const f = WGSL_ELEMENTWISE[entry.name];
  const dom = domainOf(compute, entry.name);
  const expr = dom === 'f' ? f?.f : dom === 'l' ? f?.l : compute === 'bool' ? f?.b ?? f?.i : f?.i;
  if (expr === undefined) {
    throw new DtypeError(`"${entry.name}" is not implemented for dtype ${compute} on device 'webgpu'`);
  }
  return expr;
}

function elementwiseKernel(entry: ElementwiseEntry) {
  return (inputs: readonly Tensor[], outputs: readonly Tensor[]) => {
    const out = outputs[0]!;
    const { compute } = elementwiseDtypes(entry, inputs);
    for (const t of [...inputs, out]) if (t.dtype === 'float64') throw float64Refusal(entry.name);
    const expr = formulaFor(entry, compute);
    const key = `ew|${entry.name}|${inputs.map((t) => t.dtype).join(',')}|${compute}|${out.dtype}`;
    let seq: number | undefined;
    if (entry.intMayThrow && domainOf(compute, entry.name) !== 'f' && out.numel() > 0) {
      seq = gpu().nextSeq();
      checkDivisor(seq, inputs[1]!, compute, entry.name);
    }
    runStrided(key, out, inputs, (b) => {
      const names = ['a', 'b', 'c'];
      const lets = inputs.map((t, k) => {
        const raw = loadNative(t.dtype, b.vars[k + 1]!, `e${k + 1}`);
        // where's condition stays a raw integer; everything else computes in the compute dtype.
        const value = entry.name === 'where' && k === 0 ? raw : convert(raw, t.dtype, compute, entry.name);
        return `let ${names[k]} = ${value};`;
      });
      const resultType = entry.output === 'bool' ? 'bool' : WGSL_TYPE[domainOf(compute, entry.name)];
      const result = entry.output === 'bool' ? convert('select(0, 1, r)', 'bool', out.dtype, entry.name) : convert('r', compute, out.dtype, entry.name);
      return `${seq === undefined ? '' : 'if (k_failed()) { return; }\n  '}${lets.join(' ')}
  let r: ${resultType} = ${expr};
  ${storeNative(out.dtype, b.vars[0]!, 'e0', result)}`;
    }, [], seq);
  };
}

for (const entry of ELEMENTWISE) registerWebGPUKernel(entry.name, elementwiseKernel(entry));

/**
 * copy: `src` (broadcast) into `out`, cast to out's dtype. Same-dtype copies move bits, so they work
 * for float64 too; a cast to or from float64 is refused (WGSL has no f64).
 */
export function copyKernel(inputs: readonly Tensor[], outputs: readonly Tensor[]): void {
  const src = inputs[0]!;
  const out = outputs[0]!;
  if (src.dtype !== out.dtype && (src.dtype === 'float64' || out.dtype === 'float64')) throw float64Refusal('copy');
  runStrided(`copy|${src.dtype}|${out.dtype}`, out, [src], (b) => {
    const raw = loadNative(src.dtype, b.vars[1]!, 'e1');
    const value = src.dtype === out.dtype ? raw : convert(raw, src.dtype, out.dtype, 'copy');
    return storeNative(out.dtype, b.vars[0]!, 'e0', value);
  });
}
registerWebGPUKernel('copy', copyKernel);

/** fill: every element of `out` := the value, encoded once on the host as the dtype's bits. */
registerWebGPUKernel('fill', (_inputs, outputs, attrs) => {
  const out = outputs[0]!;
  const encoded = encodeElements([attrs['value'] as Scalar], out.dtype);
  const bytes = new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const words = [0, 0];
  for (let i = 0; i < bytes.length; i++) words[i >> 2]! |= bytes[i]! << ((i & 3) * 8);
  const wide = bytes.length === 8;
  runStrided(`fill|${out.dtype}`, out, [], (b) => storeBits(out.dtype, b.vars[0]!, 'e0', wide ? 'vec2<u32>(P[2], P[3])' : 'P[2]'), [words[0]! >>> 0, words[1]! >>> 0]);
});
