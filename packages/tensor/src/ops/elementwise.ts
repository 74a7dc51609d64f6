import { type Attrs } from '../backend.js';
import { type DType, getDefaultDtype, isFloatingPoint, resultType } from '../dtype.js';
import type { Scalar } from '../elements.js';
import { DtypeError, dtypeLabel, dispatch1, type OpDef, registerOp } from '../op.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import { scalarTensor, unpackScalar } from './scalar.js';
import { ELEMENTWISE, ELEMENTWISE_BY_NAME, type ElementwiseEntry } from './elementwise-table.js';

export type TensorOrScalar = Tensor | Scalar;

/** The dtype an elementwise op computes in and the dtype it returns, from its (already wrapped) inputs. */
export function elementwiseDtypes(entry: ElementwiseEntry, inputs: readonly { dtype: DType; ndim: number }[]): { compute: DType; output: DType } {
  const operands = entry.name === 'where' ? inputs.slice(1) : inputs;
  let compute = resultType(...operands.map((t) => ({ dtype: t.dtype, dim: t.ndim })));
  if (entry.output === 'float' && !isFloatingPoint(compute)) compute = getDefaultDtype();
  return { compute, output: entry.output === 'bool' ? 'bool' : compute };
}

function elementwiseOp(entry: ElementwiseEntry): OpDef {
  return {
    name: entry.name,
    elementwise: entry,
    nondifferentiable: entry.output === 'bool' || ['floor_divide', 'div_trunc', 'bitwise_and', 'bitwise_or', 'bitwise_xor', 'bitwise_not'].includes(entry.name),
    infer(inputs) {
      if (inputs.length !== entry.arity) throw new Error(`${entry.name}: expected ${entry.arity} inputs, got ${inputs.length}`);
      if (entry.name === 'where' && inputs[0]!.dtype !== 'bool' && inputs[0]!.dtype !== 'uint8') {
        throw new DtypeError(`where expected condition to be a boolean tensor, but got a tensor with dtype ${dtypeLabel(inputs[0]!.dtype)}`);
      }
      const shape = broadcastShapes(...inputs.map((t) => t.shape));
      const { compute, output } = elementwiseDtypes(entry, inputs);
      const refusal = entry.refuse?.(compute, inputs.map((t) => t.dtype));
      if (refusal) throw new DtypeError(refusal);
      if (compute === 'int64' && entry.bigExpr === undefined) {
        throw new DtypeError(`"${entry.name}" not implemented for 'Long'`);
      }
      return [{ shape, dtype: output }];
    },
  };
}


for (const entry of ELEMENTWISE) registerOp(elementwiseOp(entry));

/** The dtype PyTorch gives a Python scalar operand before promotion (a "wrapped number"). */
function scalarDtype(s: Scalar): DType {
  return typeof s === 'boolean' ? 'bool' : typeof s === 'bigint' || Number.isInteger(s) ? 'int64' : 'float64';
}

/**
 * Wrap JS scalars as zero-dim tensors of the dtype the op computes in, on the tensors' device; refuse
 * what the op refuses for these operands (a bool scalar counts as bool, though it is wrapped otherwise).
 */
export function wrapOperands(name: string, operands: readonly TensorOrScalar[]): Tensor[] {
  const like = operands.find((o): o is Tensor => o instanceof Tensor);
  if (!like) throw new TypeError(`${name}(): expected at least one argument to be a Tensor`);
  const entry = ELEMENTWISE_BY_NAME.get(name);
  const promoteOver = entry?.name === 'where' ? operands.slice(1) : operands;
  let dtype: DType | undefined;
  for (const o of operands) {
    if (o instanceof Tensor) continue;
    unpackScalar(o);
    dtype ??= resultType(...promoteOver.map((p) => (p instanceof Tensor ? { dtype: p.dtype, dim: p.ndim } : p)));
  }
  if (dtype === undefined) return operands as Tensor[];
  // An op with a floating result (div, exp) computes a scalar in the float dtype, not the integer one.
  if (entry?.output === 'float' && !isFloatingPoint(dtype)) dtype = getDefaultDtype();
  const refusal = entry?.refuse?.(dtype, operands.map((o) => (o instanceof Tensor ? o.dtype : scalarDtype(o))));
  if (refusal) throw new DtypeError(refusal);
  return operands.map((o, i) => {
    if (o instanceof Tensor) return o;
    const d = entry?.name === 'where' && i === 0 ? 'bool' : dtype!;
    return scalarTensor(o, d, like.device);
  });
}

/** Run an elementwise op on tensors or scalars; with `out`, in place. */
export function elementwise(name: string, operands: readonly TensorOrScalar[], out?: Tensor, attrs: Attrs = {}): Tensor {
  return dispatch1(name, wrapOperands(name, operands), attrs, out);
}

/** The Tensor method name of an op: snake_case → camelCase. */
export function methodName(op: string): string {
  return op.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

// Tensor methods for every table entry: x.exp(), x.add(y), x.add_(y), x.logicalAnd(y), ...
for (const entry of ELEMENTWISE) {
  if (entry.name === 'where' || entry.name === 'clamp' || entry.name === 'div_trunc') continue;
  const method = entry.method ?? methodName(entry.name);
  const proto = Tensor.prototype as unknown as Record<string, unknown>;
  if (!(method in proto)) {
    proto[method] = function (this: Tensor, ...rest: TensorOrScalar[]) {
      return elementwise(entry.name, [this, ...rest.slice(0, entry.arity - 1)]);
    };
  }
  if (entry.inplace && !(`${method}_` in proto)) {
    proto[`${method}_`] = function (this: Tensor, ...rest: TensorOrScalar[]) {
      elementwise(entry.name, [this, ...rest.slice(0, entry.arity - 1)], this);
      return this;
    };
  }
}
