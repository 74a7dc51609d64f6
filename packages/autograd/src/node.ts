import type { GradFn, Tensor } from '@kindling/tensor';

export type Grad = Tensor | null;
export type Edge = readonly [Node | null, number];
export type TensorHook = (grad: Tensor) => Tensor | void;

export const FREED_MESSAGE =
  'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.';

/** A tensor kept for backward, with the version it had, so later in-place changes are caught. */
export class SavedTensor {
  readonly version: number;
  constructor(
    private tensor: Tensor | null,
    readonly outputOf: string,
    readonly outputNr: number,
  ) {
    this.version = tensor?._version ?? 0;
  }
  unpack(): Tensor {
    const t = this.tensor;
    if (!t) throw new Error(FREED_MESSAGE);
    if (t._version !== this.version) {
      throw new Error(
        `one of the variables needed for gradient computation has been modified by an inplace operation: [${legacyName(t)} [${t.shape.join(', ')}]], which is output ${this.outputNr} of ${this.outputOf}, is at version ${t._version}; expected version ${this.version} instead. Hint: the backtrace further above can point to the operation that failed to compute its gradient.`,
      );
    }
    return t;
  }
  release(): void {
    this.tensor = null;
  }
}

function legacyName(t: Tensor): string {
  const names: Record<string, string> = {
    float32: 'FloatTensor', float64: 'DoubleTensor', float16: 'HalfTensor', bfloat16: 'BFloat16Tensor',
    int64: 'LongTensor', int32: 'IntTensor', int16: 'ShortTensor', int8: 'CharTensor', uint8: 'ByteTensor', bool: 'BoolTensor',
  };
  return `torch.${names[t.dtype]}`;
}

/**
 * A node of the backward graph: the derivative of one op application. `apply` maps gradients of
 * its outputs to gradients of its inputs, which flow along `nextFunctions`.
 */
export class Node implements GradFn {
  nextFunctions: Edge[];
  /** Hooks on the gradient of each output (registerHook / retainGrad on non-leaf tensors). */
  readonly outputHooks = new Map<number, TensorHook[]>();
  released = false;
  constructor(
    readonly name: string,
    nextFunctions: Edge[],
    readonly numOutputs: number,
    private backwardFn: ((grads: Grad[]) => Grad[]) | null,
    private readonly saved: readonly SavedTensor[] = [],
  ) {
    this.nextFunctions = nextFunctions;
  }
  apply(grads: Grad[]): Grad[] {
    if (this.released || !this.backwardFn) throw new Error(FREED_MESSAGE);
    return this.backwardFn(grads);
  }
  /** Free saved tensors (no retain_graph): a second backward through this node is an error. */
  release(): void {
    if (this.saved.length === 0) return;
    this.released = true;
    for (const s of this.saved) s.release();
    this.backwardFn = null;
  }
  toString(): string {
    return `<${this.name}>`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `<${this.name} object>`;
  }
}

/** The sink of a leaf tensor: accumulates incoming gradient into `variable.grad`. */
export class AccumulateGrad extends Node {
  readonly hooks: TensorHook[] = [];
  constructor(readonly variable: Tensor) {
    super('AccumulateGrad', [], 1, null);
  }
  override apply(): Grad[] {
    throw new Error('AccumulateGrad is applied by the engine');
  }
  override release(): void {}
}

/** Per-tensor autograd bookkeeping kept in `tensor._autograd`. */
export interface TensorMeta {
  outputNr: number;
  retainsGrad: boolean;
  accumulate: AccumulateGrad | null;
  hooks: TensorHook[];
  inference: boolean;
}

export function meta(t: Tensor): TensorMeta {
  let m = t._autograd as TensorMeta | null;
  if (!m) {
    m = { outputNr: 0, retainsGrad: false, accumulate: null, hooks: [], inference: false };
    t._autograd = m;
  }
  return m;
}

/** The graph edge a tensor contributes: its grad_fn output, or its leaf accumulator. */
export function gradEdge(t: Tensor): Edge {
  if (!t.requiresGrad) return [null, 0];
  if (t.gradFn) return [t.gradFn as Node, meta(t).outputNr];
  const m = meta(t);
  m.accumulate ??= new AccumulateGrad(t);
  return [m.accumulate, 0];
}
