import { type Tensor, zerosLike } from '@kindling/tensor';
import { grad } from './engine.js';
import { noGrad } from './grad-mode.js';

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Throw on failure (PyTorch's raise_exception); otherwise return false. */
  raiseException?: boolean;
}

type Fn = (...inputs: Tensor[]) => Tensor | Tensor[];

function outputsOf(fn: Fn, inputs: Tensor[]): Tensor[] {
  const r = fn(...inputs);
  return Array.isArray(r) ? r : [r];
}

/** The coordinates of the `i`-th element (row-major) of a tensor of `shape`. */
function unravel(i: number, shape: readonly number[]): number[] {
  const at = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    at[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return at;
}

/**
 * `torch.autograd.gradcheck`: compares the analytical Jacobian (from backward) with central finite
 * differences, for every input that requires grad. Use float64 inputs.
 */
export function gradcheck(fn: Fn, inputs: Tensor | Tensor[], opts?: GradcheckOptions): boolean {
  const xs = Array.isArray(inputs) ? inputs : [inputs];
  const eps = opts?.eps ?? 1e-6;
  const atol = opts?.atol ?? 1e-5;
  const rtol = opts?.rtol ?? 1e-3;
  const fail = (msg: string) => {
    if (opts?.raiseException ?? true) throw new Error(`Jacobian mismatch for output ${msg}`);
    return false;
  };
  for (const x of xs) {
    if (x.requiresGrad && x.dtype !== 'float64') {
      console.warn('gradcheck: input is not double precision floating point; the check is likely to fail.');
    }
  }
  const outs = outputsOf(fn, xs);
  for (let o = 0; o < outs.length; o++) {
    const out = outs[o]!;
    if (!out.requiresGrad) continue;
    const nOut = out.numel();
    for (let xi = 0; xi < xs.length; xi++) {
      const x = xs[xi]!;
      if (!x.requiresGrad) continue;
      const nIn = x.numel();
      // Analytical: one backward per output element.
      const analytical: number[][] = [];
      for (let j = 0; j < nOut; j++) {
        const go = zerosLike(out);
        noGrad(() => go.reshape(-1).indexPut_([j], 1));
        const [g] = grad(outputsOf(fn, xs)[o]!, [x], { gradOutputs: [go], allowUnused: true });
        analytical.push(g ? (Array.from(g.reshape(-1).dataSync() as Float64Array) as number[]) : new Array<number>(nIn).fill(0));
      }
      // Numerical: perturb each input element in place, through its coordinates (any strides).
      const storage = x.detach();
      for (let i = 0; i < nIn; i++) {
        const at = unravel(i, x.shape);
        // `...` makes the list a subscript x[i, j] rather than one advanced index x[[i, j]].
        const set = (v: number) => noGrad(() => storage.indexPut_([...at, '...'], v));
        const orig = Number(storage.index(...at).item());
        const probe = (v: number) => {
          set(v);
          // fn runs with grad on: a gradgradcheck's fn itself differentiates.
          return outputsOf(fn, xs)[o]!.detach().reshape(-1).to('float64').dataSync() as Float64Array;
        };
        const plus = probe(orig + eps);
        const minus = probe(orig - eps);
        set(orig);
        for (let j = 0; j < nOut; j++) {
          const num = (plus[j]! - minus[j]!) / (2 * eps);
          const ana = analytical[j]![i]!;
          if (!(Math.abs(num - ana) <= atol + rtol * Math.abs(num))) {
            return fail(`${o} with respect to input ${xi}, element (${j}, ${i}): numerical ${num} vs analytical ${ana}`);
          }
        }
      }
    }
  }
  return true;
}

/** `torch.autograd.gradgradcheck`: gradcheck of the gradient itself (second derivatives). */
export function gradgradcheck(fn: Fn, inputs: Tensor | Tensor[], opts?: GradcheckOptions & { gradOutputs?: Tensor[] }): boolean {
  const xs = Array.isArray(inputs) ? inputs : [inputs];
  const outs = outputsOf(fn, xs);
  const gos = opts?.gradOutputs ?? outs.map((o) => {
    const g = zerosLike(o).add(1).mul(0.5);
    g.requiresGrad = true;
    return g;
  });
  const gradFn: Fn = (...args: Tensor[]) => {
    const ins = args.slice(0, xs.length);
    const gOut = args.slice(xs.length);
    const os = outputsOf(fn, ins);
    const grads = grad(os, ins.filter((x) => x.requiresGrad), { gradOutputs: gOut, createGraph: true, allowUnused: true });
    return grads.map((g, i) => g ?? zerosLike(ins.filter((x) => x.requiresGrad)[i]!));
  };
  return gradcheck(gradFn, [...xs, ...gos], opts);
}
