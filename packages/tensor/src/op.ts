import { autocastInputs, withoutAutocast, _setAutocastCast } from './autocast.js';
import { type Attrs, getBackend } from './backend.js';
import type { DType } from './dtype.js';
import { canCast, dtypeName, isFloatingPoint } from './dtype.js';
import { registry } from './registry.js';
import { broadcastShapes, formatShape } from './shape.js';
import { Tensor } from './tensor.js';

export interface OutputSpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** Elementwise ops carry their scalar formula, so code-generating backends need no kernel per op. */
export interface ElementwiseSpec {
  /** Output dtype rule: 'same' = promoted inputs, 'float' = promoted then int→default float, 'bool'. */
  readonly output: 'same' | 'float' | 'bool';
  /** Expression on numbers `a`, `b`, `c` (the compute dtype's values, as JS numbers). */
  readonly expr: string;
  /** The same for int64 (BigInt operands); absent: the op refuses int64. */
  readonly bigExpr?: string;
  /** Expression for the integer dtypes when it differs from `expr` (result wrapped by the store). */
  readonly intExpr?: string;
  /** Expression for bool inputs (0/1 numbers); absent: bool inputs compute as integers. */
  readonly boolExpr?: string;
  /**
   * Dtypes the op refuses, with PyTorch's message name for the kernel. `operands` are the operands'
   * own dtypes (a JS scalar's is bool, int64 or float64), for rules about an operand rather than the
   * computation (bool subtraction).
   */
  readonly refuse?: (compute: DType, operands: readonly DType[]) => string | undefined;
  /**
   * The integer formula can raise mid-loop (ZeroDivisionError): a backend writing in place must not
   * leave the elements before the failure changed, as a refused op changes nothing.
   */
  readonly intMayThrow?: boolean;
}

export interface OpDef {
  readonly name: string;
  /** Validate the inputs (PyTorch-like errors) and give the results' shapes and dtypes; null when they depend on the data. */
  infer(inputs: readonly Tensor[], attrs: Attrs): OutputSpec[] | null;
  /** The op in terms of other ops, used where a backend has no kernel for it. */
  decompose?(inputs: readonly Tensor[], attrs: Attrs): Tensor[];
  /** A view op: the result shares storage and is computed from metadata alone, on every backend. */
  view?(input: Tensor, attrs: Attrs): Tensor;
  readonly elementwise?: ElementwiseSpec;
  /** Outputs never need gradients (comparisons, argmax, ...). */
  readonly nondifferentiable?: boolean;
  /** Writing into an output of any dtype is allowed (copy_), not only one the result casts to. */
  readonly anyOutputDtype?: boolean;
}

export class OpError extends Error {
  override name = 'OpError';
}
export class DtypeError extends TypeError {
  override name = 'DtypeError';
}

export function registerOp(def: OpDef): OpDef {
  registry.ops.set(def.name, def);
  return def;
}

export function getOp(name: string): OpDef {
  const def = registry.ops.get(name);
  if (!def) throw new OpError(`Unknown op '${name}'`);
  return def;
}

function commonDevice(name: string, inputs: readonly Tensor[]) {
  const first = inputs[0]!.device;
  for (const t of inputs) {
    t._checkAlive();
    if (!t.device.equals(first)) {
      throw new OpError(
        `Expected all tensors to be on the same device, but found at least two devices, ${first} and ${t.device}! (when checking arguments for ${name})`,
      );
    }
  }
  return first;
}

/** Checks that `out` can receive a result of `spec`, as PyTorch's in-place and out= rules demand. */
function checkOut(def: OpDef, out: Tensor, spec: OutputSpec): void {
  const name = def.name;
  // A stride-0 dim makes several elements one memory location: the result would depend on write order.
  // (fill writes one value everywhere, so PyTorch allows it.)
  if (name !== 'fill' && out.shape.some((s, i) => s > 1 && out._strides[i] === 0)) {
    throw new OpError(
      'unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.',
    );
  }
  const shape = def.name === 'copy' ? broadcastShapes(out.shape, spec.shape) : spec.shape;
  if (out.shape.length !== shape.length || out.shape.some((s, i) => s !== shape[i])) {
    throw new OpError(`${name}: output with shape ${formatShape(out.shape)} doesn't match the broadcast shape ${formatShape(shape)}`);
  }
  if (!def.anyOutputDtype && !canCast(spec.dtype, out.dtype)) {
    throw new DtypeError(`${name}: result type ${dtypeLabel(spec.dtype)} can't be cast to the desired output type ${dtypeLabel(out.dtype)}`);
  }
}

function sameLayout(a: Tensor, b: Tensor): boolean {
  return a._offset === b._offset && a.ndim === b.ndim && a._strides.every((s, i) => s === b._strides[i]);
}

/** PyTorch's ScalarType names used in its messages ("Float", "Long"). */
export function dtypeLabel(d: DType): string {
  const names: Record<DType, string> = {
    float32: 'Float', float64: 'Double', float16: 'Half', bfloat16: 'BFloat16', int8: 'Char', uint8: 'Byte',
    int16: 'Short', int32: 'Int', int64: 'Long', bool: 'Bool',
  };
  return names[d];
}

/**
 * Run an op: the device's kernel if it has one, else the op's decomposition, else a clear error.
 * With `out`, the (single) result is written into it in place.
 */
export function dispatch(name: string, inputs: readonly Tensor[], attrs: Attrs = {}, out?: Tensor): Tensor[] {
  const def = getOp(name);
  if (inputs.length === 0) throw new OpError(`${name}: expected at least one tensor input`);
  const device = commonDevice(name, inputs);
  // Autocast (autocast.ts): a listed op runs on cast inputs, and its own body without autocast.
  if (!out && !def.view) {
    const cast = autocastInputs(name, inputs, autocastCast, attrs['dtype'] !== undefined && attrs['dtype'] !== null);
    if (cast) return withoutAutocast(() => dispatch(name, cast, attrs));
  }
  const ag = registry.autograd;
  const record = ag !== null && !def.nondifferentiable && ag.isRecording() && inputs.some((t) => t.requiresGrad);

  if (def.view) {
    const result = def.view(inputs[0]!, attrs);
    if (record) ag.record(def, inputs, attrs, [result]);
    return [result];
  }

  const specs = def.infer(inputs, attrs);
  if (out) {
    out._checkAlive();
    if (!specs || specs.length !== 1) throw new OpError(`${name}: does not support an output argument`);
    checkOut(def, out, specs[0]!);
    if (!out.device.equals(device)) {
      throw new OpError(`${name}: expected the output on ${device}, got ${out.device}`);
    }
    ag?.beforeInplace?.(out, def, inputs);
  }

  const backend = getBackend(device.type);
  const kernel = backend.kernels[name];
  if (out && kernel) {
    // An input that views out's memory in another layout would read elements already written.
    inputs = inputs.map((t) => (t !== out && t._ref === out._ref && !sameLayout(t, out) ? dispatch1('copy', [t]) : t));
  }
  let results: Tensor[];
  if (kernel) {
    const outputs = out ? [out] : specs ? specs.map((s) => Tensor._empty(s.shape, s.dtype, device)) : [];
    // Kernels may call other ops on their inputs; those are implementation, not graph.
    const returned = record ? ag.pause(() => kernel(inputs, outputs, attrs)) : kernel(inputs, outputs, attrs);
    results = returned ?? outputs;
  } else if (def.decompose) {
    const run = () => def.decompose!(inputs, attrs);
    // With a derivative of its own, the op is recorded as one node; its pieces are not.
    const decomposed = record && ag.hasDerivative(name) ? withoutRecording(run) : run();
    if (out) {
      dispatch('copy', [decomposed[0]!], {}, out);
      results = [out];
    } else results = decomposed;
    if (!(record && ag.hasDerivative(name))) {
      if (out) out._ref.version++;
      return results;
    }
  } else {
    throw new OpError(
      `Could not run '${name}' on device '${device.type}': the backend has no kernel for it and it has no decomposition.`,
    );
  }
  if (out) out._ref.version++;
  if (record) ag.record(def, inputs, attrs, results);
  else if (ag?.isInference?.()) ag.markInference?.(results);
  return results;
}

/** Autocast's cast: a differentiable copy into a new tensor of `dtype` (what `t.to(dtype)` does). */
function autocastCast(t: Tensor, dtype: DType): Tensor {
  const o = Tensor._empty(t.shape, dtype, t.device);
  dispatch('copy', [t], {}, o);
  return o;
}
_setAutocastCast(autocastCast);

/** Run `fn` with autograd recording off (decompositions of ops that have their own derivative). */
export function withoutRecording<T>(fn: () => T): T {
  const ag = registry.autograd;
  return ag ? ag.pause(fn) : fn();
}

export function dispatch1(name: string, inputs: readonly Tensor[], attrs: Attrs = {}, out?: Tensor): Tensor {
  return dispatch(name, inputs, attrs, out)[0]!;
}

export function requireFloat(name: string, t: Tensor): void {
  if (!isFloatingPoint(t.dtype)) {
    throw new DtypeError(`${name}(): expected a floating point tensor, but got ${dtypeName(t.dtype)}`);
  }
}
