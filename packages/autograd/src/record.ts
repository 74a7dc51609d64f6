import { type Attrs, type OpDef, type Tensor, isFloatingPoint, registry } from '@kindling/tensor';
import { type BackwardContext, type Derivative, defaultNodeName, getDerivative, hasDerivative } from './derivative.js';
import { isGradEnabled, isInferenceModeEnabled, noGrad } from './grad-mode.js';
import { type Edge, type Grad, gradEdge, meta, Node, SavedTensor } from './node.js';

/** Inputs of in-place ops whose old values a derivative needs: cloned before the op overwrites them. */
const preInplace = new WeakMap<Tensor, Tensor>();

function checkNotInference(t: Tensor): void {
  if ((t._autograd as { inference?: boolean } | null)?.inference) {
    throw new Error('Inference tensors cannot be saved for backward. To work around you can make a clone to get a normal tensor and use it in autograd.');
  }
}

/** Build the backward node of one op application and attach it to the outputs. */
export function record(def: OpDef, inputs: readonly Tensor[], attrs: Attrs, outputs: readonly Tensor[]): void {
  const d = getDerivative(def.name);
  if (!d) {
    throw new Error(`the derivative for '${def.name}' is not implemented`);
  }
  const name = typeof d.name === 'function' ? d.name(inputs, attrs, outputs) : d.name ?? defaultNodeName(def.name);
  // For in-place ops the written tensor's grad_fn is still its old one here: the right edge.
  const edges: Edge[] = inputs.map((t) => gradEdge(t));
  const saved: SavedTensor[] = [];
  const savedInputs = new Map<number, SavedTensor>();
  const savedOutputs = new Map<number, SavedTensor>();
  const toSave = typeof d.save?.inputs === 'function' ? d.save.inputs(inputs.length) : d.save?.inputs ?? [];
  for (const i of toSave) {
    const t = preInplace.get(inputs[i]!) ?? inputs[i]!;
    checkNotInference(t);
    const s = new SavedTensor(t, t.gradFn?.name ?? 'a leaf', 0);
    saved.push(s);
    savedInputs.set(i, s);
  }
  const node = new Node(name, edges, outputs.length, null, saved);
  for (const i of d.save?.outputs ?? []) {
    const s = new SavedTensor(null, name, i);
    saved.push(s);
    savedOutputs.set(i, s);
  }
  const ctx = contextOf(name, attrs, inputs, savedInputs, savedOutputs);
  (node as unknown as { backwardFn: (g: Grad[]) => Grad[] }).backwardFn = backwardOf(d, ctx);
  for (const t of inputs) preInplace.delete(t);
  for (let k = 0; k < outputs.length; k++) {
    const out = outputs[k]!;
    if (!isFloatingPoint(out.dtype)) continue;
    out.requiresGrad = true;
    out.gradFn = node;
    meta(out).outputNr = k;
  }
  // Saved outputs point at the very tensors just returned; their version is the current one.
  for (const [i, s] of savedOutputs) {
    const fresh = new SavedTensor(outputs[i]!, name, i);
    saved[saved.indexOf(s)] = fresh;
    savedOutputs.set(i, fresh);
  }
}

// The closures a node keeps are made in these helpers, not in record(): a closure there would share
// record()'s scope, and with it `inputs` and `outputs`, keeping every tensor of the graph alive for as
// long as its node is (a kept `loss` would hold all of a step's intermediates after backward).

function contextOf(
  name: string,
  attrs: Attrs,
  inputs: readonly Tensor[],
  savedInputs: ReadonlyMap<number, SavedTensor>,
  savedOutputs: ReadonlyMap<number, SavedTensor>,
): BackwardContext {
  return {
    input: (i) => {
      const s = savedInputs.get(i);
      if (!s) throw new Error(`${name}: input ${i} was not saved for backward`);
      return s.unpack();
    },
    output: (i) => {
      const s = savedOutputs.get(i);
      if (!s) throw new Error(`${name}: output ${i} was not saved for backward`);
      return s.unpack();
    },
    attrs,
    inputShapes: inputs.map((t) => [...t.shape]),
    inputDtypes: inputs.map((t) => t.dtype),
    needsInputGrad: inputs.map((t) => t.requiresGrad),
  };
}

function backwardOf(d: Derivative, ctx: BackwardContext): (grads: Grad[]) => Grad[] {
  return (grads) =>
    d.backward(ctx, grads).map((g, i) => (g && ctx.needsInputGrad[i] ? matchInput(g, ctx.inputShapes[i]!, ctx.inputDtypes[i]!) : null));
}

/** A gradient made to fit its input: same dtype; shape must already match. */
function matchInput(g: Tensor, shape: readonly number[], dtype: string): Tensor {
  if (g.shape.length !== shape.length || g.shape.some((s, i) => s !== shape[i])) {
    throw new Error(`Function returned an invalid gradient: got shape [${g.shape.join(', ')}] but expected shape compatible with [${shape.join(', ')}]`);
  }
  return g.dtype === dtype ? g : g.to(dtype as Tensor['dtype']);
}

/** Before an op writes into `out`: PyTorch's leaf check, and snapshots of old values formulas need. */
function beforeInplace(out: Tensor, def?: OpDef, inputs?: readonly Tensor[]): void {
  if (!isGradEnabled()) return;
  const recording = out.requiresGrad || (inputs ?? []).some((t) => t.requiresGrad);
  if (!recording) return;
  if (out.requiresGrad && out.gradFn === null) {
    throw new Error('a leaf Variable that requires grad is being used in an in-place operation.');
  }
  if (out._base && (out._base.requiresGrad || recording)) {
    throw new Error(
      `in-place operation '${def?.name ?? 'op'}' on a view of a tensor that requires grad is not supported by Kindling's autograd yet; use the out-of-place form`,
    );
  }
  const d = def ? getDerivative(def.name) : undefined;
  if (d && inputs) {
    inputs.forEach((t, i) => {
      const toSave = typeof d.save?.inputs === 'function' ? d.save.inputs(inputs.length) : d.save?.inputs ?? [];
      if (t === out && toSave.includes(i)) preInplace.set(t, noGrad(() => t.clone()));
    });
  }
}

export function installHooks(): void {
  registry.autograd = {
    isRecording: () => isGradEnabled(),
    record,
    beforeInplace,
    hasDerivative,
    pause: (fn) => noGrad(fn),
    isInference: () => isInferenceModeEnabled(),
    markInference: (outputs) => {
      for (const t of outputs) meta(t).inference = true;
    },
  };
}
