import { isFloatingPoint, type Tensor } from '@kindling/tensor';
import { noGrad } from './grad-mode.js';
import { isGradEnabled } from './grad-mode.js';
import { type Grad, gradEdge, meta, Node, SavedTensor } from './node.js';

/** The `ctx` of a custom Function: what forward leaves for backward. */
export class FunctionCtx {
  private saved: SavedTensor[] = [];
  /** Which inputs (in call order) need a gradient. */
  needsInputGrad: boolean[] = [];
  /** Anything else forward wants to keep (non-tensor state). */
  [key: string]: unknown;
  saveForBackward(...tensors: (Tensor | null)[]): void {
    this.saved = tensors.map((t) => new SavedTensor(t, 'custom Function', 0));
  }
  get savedTensors(): Tensor[] {
    return this.saved.map((s) => s.unpack());
  }
  /** @internal What the node frees after backward (no retainGraph): a second backward is then an error. */
  get _saved(): readonly SavedTensor[] {
    return this.saved;
  }
}

type Out = Tensor | Tensor[];

/**
 * A custom differentiable operation, as `torch.autograd.Function`: subclass with static
 * `forward(ctx, ...args)` and `backward(ctx, ...gradOutputs)`, then call `MyFn.apply(...args)`.
 */
export class Function {
  static forward(_ctx: FunctionCtx, ..._args: unknown[]): Out {
    throw new Error('You must implement the forward function for custom autograd.Function.');
  }
  static backward(_ctx: FunctionCtx, ..._grads: (Tensor | null)[]): (Tensor | null) | (Tensor | null)[] {
    throw new Error('You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.');
  }
  static apply<T extends typeof Function>(this: T, ...args: unknown[]): Out {
    const ctx = new FunctionCtx();
    const tensorArgs = args.map((a) => (isTensorLike(a) ? (a as Tensor) : null));
    ctx.needsInputGrad = tensorArgs.map((t) => !!t?.requiresGrad);
    const raw = noGrad(() => this.forward(ctx, ...args));
    if (!isGradEnabled() || !ctx.needsInputGrad.some(Boolean)) return raw;
    // An input returned as is becomes a new alias of it: the node must not rewrite the input's own history.
    const alias = (o: Tensor) => (tensorArgs.includes(o) ? o._view(o.shape, o._strides) : o);
    const result = Array.isArray(raw) ? raw.map(alias) : alias(raw);
    const outs = Array.isArray(result) ? result : [result];
    const inputs = tensorArgs.filter((t): t is Tensor => t !== null);
    const positions = tensorArgs.map((t, i) => (t ? i : -1)).filter((i) => i >= 0);
    const node = new Node(`${this.name}Backward`, inputs.map((t) => gradEdge(t)), outs.length, backwardOf(this, ctx, positions), ctx._saved);
    for (let k = 0; k < outs.length; k++) {
      const o = outs[k]!;
      if (!isFloatingPoint(o.dtype)) continue;
      o.requiresGrad = true;
      o.gradFn = node;
      meta(o).outputNr = k;
    }
    return result;
  }
}

/**
 * The node's backward, made outside apply() so that its closure does not share apply()'s scope (and
 * keep the arguments alive as long as the graph).
 */
function backwardOf(fn: typeof Function, ctx: FunctionCtx, positions: readonly number[]): (grads: Grad[]) => Grad[] {
  return (grads) => {
    const r = fn.backward(ctx, ...grads);
    const list = Array.isArray(r) ? r : [r];
    // backward returns one gradient per forward argument; keep those of the tensor arguments.
    return positions.map((p) => list[p] ?? null);
  };
}

function isTensorLike(a: unknown): boolean {
  return typeof a === 'object' && a !== null && 'dtype' in a && 'shape' in a && typeof (a as { dispose?: unknown }).dispose === 'function';
}
