import { type Tensor, onesLike } from '@kindling/tensor';
import { enableGrad, noGrad } from './grad-mode.js';
import { AccumulateGrad, type Edge, type Grad, gradEdge, meta, Node } from './node.js';

export interface BackwardOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
}

function addGrads(a: Grad, b: Grad): Grad {
  if (!a) return b;
  if (!b) return a;
  return a.add(b);
}

function runHooks(hooks: readonly ((g: Tensor) => Tensor | void)[] | undefined, g: Tensor): Tensor {
  let cur = g;
  for (const h of hooks ?? []) {
    const r = h(cur);
    if (r) cur = r;
  }
  return cur;
}

/** Leaf accumulation: `.grad` gets a fresh dense tensor, then is added to in place (or out of place when building a graph). */
function accumulate(acc: AccumulateGrad, g: Tensor, createGraph: boolean): void {
  const v = acc.variable;
  let grad = runHooks(meta(v).hooks, g);
  if (grad.dtype !== v.dtype) grad = grad.to(v.dtype);
  if (!v.grad) {
    v.grad = createGraph ? grad : grad.isContiguous() && !grad._base && grad.requiresGrad === false ? grad : noGrad(() => grad.clone());
    if (!createGraph && v.grad.requiresGrad) v.grad = v.grad.detach();
  } else if (createGraph) {
    v.grad = v.grad.add(grad);
  } else {
    noGrad(() => v.grad!.add_(grad));
  }
}

/**
 * Run the backward graph from `roots` (with their output gradients). Grads reaching `capture`
 * edges are returned instead of accumulated (autograd.grad); otherwise leaves accumulate.
 */
export function runBackward(
  roots: readonly Tensor[],
  rootGrads: readonly Tensor[],
  opts: BackwardOptions & { capture?: readonly Edge[] },
): Grad[] {
  const createGraph = opts.createGraph ?? false;
  const retainGraph = opts.retainGraph ?? createGraph;
  const capture = opts.capture;
  const captured: Grad[] = capture ? capture.map(() => null) : [];
  const captureIndex = (node: Node, nr: number) => (capture ? capture.findIndex(([n, i]) => n === node && i === nr) : -1);

  // Count, for every node, how many edges lead into it, so it runs once all its grads are in.
  const deps = new Map<Node, number>();
  const stack: Node[] = [];
  const rootEdges = roots.map((t) => gradEdge(t));
  for (const [n] of rootEdges) if (n && !deps.has(n)) (deps.set(n, 0), stack.push(n));
  while (stack.length) {
    const n = stack.pop()!;
    for (const [next] of n.nextFunctions) {
      if (!next) continue;
      if (!deps.has(next)) {
        deps.set(next, 0);
        stack.push(next);
      }
      deps.set(next, deps.get(next)! + 1);
    }
  }

  const pending = new Map<Node, Grad[]>();
  // Slots holding a sum the engine made itself: nothing else refers to that tensor, so (without a
  // graph to build) further grads are added into it in place rather than into a new tensor each time
  // (a sequence model's per-step slices of one input add up to it once per step). A grad that merely
  // arrived is never written to: a formula may have handed the same tensor to several inputs.
  const ownedSlots = new Map<Node, boolean[]>();
  const give = (node: Node, nr: number, g: Grad) => {
    let arr = pending.get(node);
    let owned = ownedSlots.get(node);
    if (!arr || !owned) {
      pending.set(node, (arr = new Array<Grad>(node.numOutputs).fill(null)));
      ownedSlots.set(node, (owned = new Array<boolean>(node.numOutputs).fill(false)));
    }
    const cur = arr[nr]!;
    if (cur && g && owned[nr] && !createGraph && cur.dtype === g.dtype && cur.shape.join() === g.shape.join()) {
      cur.add_(g);
      return;
    }
    arr[nr] = addGrads(cur, g);
    owned[nr] = !!(cur && g);
  };
  rootEdges.forEach(([n, nr], i) => n && give(n, nr, rootGrads[i]!));

  const ready: Node[] = [...new Set(rootEdges.map(([n]) => n).filter((n): n is Node => !!n && deps.get(n) === 0))];
  const run = () => {
    while (ready.length) {
      const node = ready.pop()!;
      let grads = pending.get(node) ?? [];
      pending.delete(node);
      ownedSlots.delete(node);
      grads = grads.map((g, nr) => {
        if (!g) return g;
        const ci = captureIndex(node, nr);
        const hooked = runHooks(node.outputHooks.get(nr), g);
        if (ci >= 0) captured[ci] = addGrads(captured[ci]!, hooked);
        return hooked;
      });
      if (node instanceof AccumulateGrad) {
        const g = grads[0];
        if (g && captureIndex(node, 0) < 0 && !capture) accumulate(node, g, createGraph);
        continue;
      }
      const inputGrads = grads.some((g) => g) ? node.apply(grads) : node.nextFunctions.map(() => null);
      if (!retainGraph) node.release();
      node.nextFunctions.forEach(([next, nr], i) => {
        if (!next) return;
        const g = inputGrads[i] ?? null;
        if (g) give(next, nr, g);
        const left = deps.get(next)! - 1;
        deps.set(next, left);
        if (left === 0) ready.push(next);
      });
    }
  };
  if (createGraph) enableGrad(run);
  else noGrad(run);
  return captured;
}

/** `tensor.backward(gradient, { retainGraph, createGraph, inputs })`. */
export function backward(t: Tensor, gradient?: Tensor | null, opts?: BackwardOptions & { inputs?: readonly Tensor[] }): void {
  if (!t.requiresGrad) {
    throw new Error('element 0 of tensors does not require grad and does not have a grad_fn');
  }
  let g = gradient ?? null;
  if (!g) {
    if (t.numel() !== 1) throw new Error('grad can be implicitly created only for scalar outputs');
    g = onesLike(t);
  } else if (g.shape.join() !== t.shape.join()) {
    throw new Error(`Mismatch in shape: grad_output[0] has a shape of [${g.shape.join(', ')}] and output[0] has a shape of [${t.shape.join(', ')}].`);
  }
  if (opts?.inputs) {
    const grads = runBackward([t], [g], { ...opts, capture: opts.inputs.map((x) => gradEdge(x)) });
    opts.inputs.forEach((x, i) => {
      const gi = grads[i];
      if (!gi) return;
      x.grad = x.grad ? (opts.createGraph ? x.grad.add(gi) : noGrad(() => x.grad!.add_(gi))) : gi;
    });
    return;
  }
  runBackward([t], [g], opts ?? {});
}

export interface GradOptions extends BackwardOptions {
  gradOutputs?: readonly (Tensor | null)[] | Tensor | null;
  allowUnused?: boolean;
}

/** `torch.autograd.grad(outputs, inputs, { gradOutputs, retainGraph, createGraph, allowUnused })`. */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], opts?: GradOptions): (Tensor | null)[] {
  const outs = Array.isArray(outputs) ? (outputs as Tensor[]) : [outputs as Tensor];
  const ins = Array.isArray(inputs) ? (inputs as Tensor[]) : [inputs as Tensor];
  const go = opts?.gradOutputs;
  const gradOuts = (Array.isArray(go) ? go : [go ?? null]) as (Tensor | null)[];
  ins.forEach((x, i) => {
    if (!x.requiresGrad) throw new Error(`One of the differentiated Tensors (input ${i}) does not require grad`);
  });
  const rootGrads = outs.map((o, i) => {
    if (!o.requiresGrad) throw new Error(`element ${i} of tensors does not require grad and does not have a grad_fn`);
    const g = gradOuts[i] ?? null;
    if (g) return g;
    if (o.numel() !== 1) throw new Error('grad can be implicitly created only for scalar outputs');
    return onesLike(o);
  });
  const result = runBackward(outs, rootGrads, { ...opts, capture: ins.map((x) => gradEdge(x)) });
  result.forEach((g, i) => {
    if (!g && !opts?.allowUnused) {
      throw new Error(`One of the differentiated Tensors (input ${i}) appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.`);
    }
  });
  return result;
}
