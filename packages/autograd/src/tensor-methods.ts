import { Tensor } from '@kindling/tensor';
import { backward, type BackwardOptions } from './engine.js';
import { meta, Node, type TensorHook } from './node.js';

// The method types are declared by @kindling/tensor; importing this module installs them.
type Proto = Record<string, unknown>;
const P = Tensor.prototype as unknown as Proto;

P['backward'] = function (this: Tensor, gradient?: Tensor | null, opts?: BackwardOptions & { inputs?: readonly Tensor[] }) {
  backward(this, gradient, opts);
};
P['requiresGrad_'] = function (this: Tensor, requiresGrad = true) {
  if (!requiresGrad && this.gradFn) {
    throw new Error("you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
  }
  if (requiresGrad && !(this.dtype.startsWith('float') || this.dtype === 'bfloat16')) {
    throw new Error('only Tensors of floating point dtype can require gradients');
  }
  this.requiresGrad = requiresGrad;
  return this;
};
P['retainGrad'] = function (this: Tensor) {
  if (!this.requiresGrad) throw new Error("can't retain_grad on Tensor that has requires_grad=False");
  if (!this.gradFn) return; // leaves keep their grad anyway
  const m = meta(this);
  if (m.retainsGrad) return;
  m.retainsGrad = true;
  const node = this.gradFn as Node;
  // A weak reference: retaining a grad must not keep the tensor alive through its own graph.
  const ref = new WeakRef(this);
  const hooks = node.outputHooks.get(m.outputNr) ?? [];
  hooks.push((g) => {
    const t = ref.deref();
    if (t) t.grad = t.grad ? t.grad.add(g) : g.detach().clone();
  });
  node.outputHooks.set(m.outputNr, hooks);
};
Object.defineProperty(Tensor.prototype, 'retainsGrad', {
  get(this: Tensor) {
    return !!(this._autograd as { retainsGrad?: boolean } | null)?.retainsGrad;
  },
  configurable: true,
});
P['detach_'] = function (this: Tensor) {
  this.gradFn = null;
  this.requiresGrad = false;
  return this;
};
P['registerHook'] = function (this: Tensor, hook: TensorHook) {
  if (!this.requiresGrad) throw new Error("cannot register a hook on a tensor that doesn't require gradient");
  const list = this.gradFn ? ((this.gradFn as Node).outputHooks.get(meta(this).outputNr) ?? []) : meta(this).hooks;
  if (this.gradFn) (this.gradFn as Node).outputHooks.set(meta(this).outputNr, list);
  list.push(hook);
  return {
    remove() {
      const i = list.indexOf(hook);
      if (i >= 0) list.splice(i, 1);
    },
  };
};
P['isInference'] = function (this: Tensor) {
  return !!(this._autograd as { inference?: boolean } | null)?.inference;
};
