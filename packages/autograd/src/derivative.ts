import type { Attrs, DType, Tensor } from '@kindling/tensor';

/** What a derivative formula sees: the saved tensors, the op's attributes and its inputs' metadata. */
export interface BackwardContext {
  /** Saved inputs by position (only those listed in `save.inputs`). */
  input(i: number): Tensor;
  /** Saved outputs by position (only those listed in `save.outputs`). */
  output(i: number): Tensor;
  readonly attrs: Attrs;
  readonly inputShapes: readonly (readonly number[])[];
  readonly inputDtypes: readonly DType[];
  readonly needsInputGrad: readonly boolean[];
}

export interface Derivative {
  /** PyTorch's node name (`MulBackward0`); default: the op name in CamelCase + `Backward0`. */
  name?: string | ((inputs: readonly Tensor[], attrs: Attrs, outputs: readonly Tensor[]) => string);
  /** Which tensors the formula needs later; only these are kept alive and version-checked. */
  save?: { inputs?: readonly number[] | ((count: number) => number[]); outputs?: readonly number[] };
  /** Gradients of the inputs from gradients of the outputs (null for outputs that got none). */
  backward(ctx: BackwardContext, grads: readonly (Tensor | null)[]): readonly (Tensor | null | undefined)[];
}

const derivatives = new Map<string, Derivative>();

export function defineDerivative(op: string, d: Derivative): void {
  derivatives.set(op, d);
}
export function getDerivative(op: string): Derivative | undefined {
  return derivatives.get(op);
}
export function hasDerivative(op: string): boolean {
  return derivatives.has(op);
}

/** PyTorch's codegen title-cases each `_`-separated part, so a letter after a digit is capitalised too: log1p → Log1PBackward0. */
export function defaultNodeName(op: string): string {
  return op.replace(/(^|_|[0-9])([a-z])/g, (_, p: string, c: string) => (p === '_' ? '' : p) + c.toUpperCase()) + 'Backward0';
}
