// L-BFGS (handbook 8.1), PyTorch 1.13's torch.optim.LBFGS step for step: the two-loop recursion
// over a limited history, fixed steps or a strong-Wolfe line search, and its stopping rules. One
// param group only; all params are treated as one flat vector.
import { cat, Tensor, tensor, zeros } from '@kindling/tensor';
import * as autograd from '@kindling/autograd';
import { check, type Closure, mergeOptions, Optimizer, type OptimizerOptions, type ParamState, type Params, type StateValue } from './optimizer.js';
import { type Num, ScalarMath } from './lbfgs-scalar.js';
import { strongWolfe } from './strong-wolfe.js';

export interface LBFGSOptions extends OptimizerOptions {
  maxIter: number;
  /** Default: maxIter * 5 / 4, rounded down. */
  maxEval: number;
  toleranceGrad: number;
  toleranceChange: number;
  historySize: number;
  lineSearchFn: 'strong_wolfe' | null;
}

/** LBFGS keeps one global state, registered under the first param as PyTorch does. */
interface LBFGSState {
  func_evals: number;
  n_iter: number;
  d?: Tensor;
  t?: Num;
  old_dirs?: Tensor[];
  old_stps?: Tensor[];
  ro?: Num[];
  al?: (Num | null)[];
  H_diag?: Num;
  prev_flat_grad?: Tensor | null;
  prev_loss?: number;
}

export class LBFGS extends Optimizer<LBFGSOptions> {
  private readonly params: Tensor[];

  constructor(params: Params<LBFGSOptions>, lrOrOptions?: number | Partial<LBFGSOptions>, options?: Partial<LBFGSOptions>) {
    const o = mergeOptions(lrOrOptions, options);
    const maxIter = o.maxIter ?? 20;
    super(params, {
      lr: o.lr ?? 1,
      maxIter,
      maxEval: o.maxEval ?? Math.floor((maxIter * 5) / 4),
      toleranceGrad: o.toleranceGrad ?? 1e-7,
      toleranceChange: o.toleranceChange ?? 1e-9,
      historySize: o.historySize ?? 100,
      lineSearchFn: o.lineSearchFn ?? null,
    });
    if (this.paramGroups.length !== 1) throw new Error("LBFGS doesn't support per-parameter options (parameter groups)");
    this.params = this.paramGroups[0]!.params;
  }

  protected validate(g: LBFGSOptions): void {
    check(g.lr >= 0, 'learning rate', g.lr);
    check(Number.isInteger(g.maxIter) && g.maxIter > 0, 'max_iter value', g.maxIter);
    check(Number.isInteger(g.historySize) && g.historySize > 0, 'history_size value', g.historySize);
    if (g.lineSearchFn !== null && g.lineSearchFn !== 'strong_wolfe') throw new Error("only 'strong_wolfe' is supported");
  }

  private gatherFlatGrad(): Tensor {
    return cat(this.params.map((p) => (p.grad === null ? zeros([p.numel()], { dtype: p.dtype, device: p.device }) : p.grad.reshape(-1))), 0);
  }

  /** params += stepSize * update, param by param from the flat vector. */
  private addGrad(stepSize: number, update: Tensor): void {
    let offset = 0;
    for (const p of this.params) {
      const n = p.numel();
      p.add_(update.narrow(0, offset, n).view(p.shape), { alpha: stepSize });
      offset += n;
    }
  }

  private directionalEvaluate(closure: Closure, x: Tensor[], t: Num, d: Tensor): [number, Tensor] {
    this.addGrad(t.v, d);
    const loss = toFloat(autograd.enableGrad(closure));
    const flatGrad = this.gatherFlatGrad();
    this.params.forEach((p, i) => p.copy_(x[i]!));
    return [loss, flatGrad];
  }

  /** LBFGS needs the closure: it re-evaluates the loss and gradient many times per step. */
  step<L extends Tensor | number>(closure?: Closure<L>): L {
    if (typeof closure !== 'function') {
      throw new TypeError('LBFGS.step() requires a closure that reevaluates the model and returns the loss');
    }
    return autograd.noGrad(() => this.run(closure));
  }

  private run<L extends Tensor | number>(closure: Closure<L>): L {
    const group = this.paramGroups[0]!;
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = group;
    const M = new ScalarMath(this.params[0]!.dtype === 'float64' ? (x) => x : Math.fround);
    const max = (t: Tensor) => M.ten(Number(t.max().item()));
    const dot = (a: Tensor, b: Tensor) => M.ten(Number(a.dot(b).item()));

    const state = this.stateOf(this.params[0]!) as unknown as LBFGSState;
    state.func_evals ??= 0;
    state.n_iter ??= 0;

    // Evaluate the initial loss and gradient.
    const origLoss = autograd.enableGrad(closure);
    let loss = toFloat(origLoss);
    let currentEvals = 1;
    state.func_evals += 1;
    let flatGrad = this.gatherFlatGrad();
    let optCond = M.le(max(flatGrad.abs()), M.py(toleranceGrad));
    if (optCond) return origLoss;

    let { d, t, old_dirs: oldDirs, old_stps: oldStps, ro, H_diag: hDiag, prev_flat_grad: prevFlatGrad, prev_loss: prevLoss } = state;
    let nIter = 0;
    while (nIter < maxIter) {
      nIter += 1;
      state.n_iter += 1;

      // The descent direction.
      if (state.n_iter === 1) {
        d = flatGrad.neg();
        oldDirs = [];
        oldStps = [];
        ro = [];
        hDiag = M.py(1);
      } else {
        // Update the curvature pairs with the last step, if it curved the right way.
        const y = flatGrad.sub(prevFlatGrad!);
        const s = d!.mul(t!.v);
        const ys = dot(y, s);
        if (M.gt(ys, M.py(1e-10))) {
          if (oldDirs!.length === historySize) {
            oldDirs!.shift();
            oldStps!.shift();
            ro!.shift();
          }
          oldDirs!.push(y);
          oldStps!.push(s);
          ro!.push(M.div(M.py(1), ys));
          // Scale of the initial inverse Hessian approximation.
          hDiag = M.div(ys, dot(y, y));
        }
        const numOld = oldDirs!.length;
        state.al ??= new Array<Num | null>(historySize).fill(null);
        const al = state.al;
        // The two-loop recursion, in one buffer: q ends as the direction.
        const q = flatGrad.neg();
        for (let i = numOld - 1; i >= 0; i--) {
          al[i] = M.mul(dot(oldStps![i]!, q), ro![i]!);
          q.add_(oldDirs![i]!, { alpha: -al[i]!.v });
        }
        const r = q.mul(hDiag!.v);
        d = r;
        for (let i = 0; i < numOld; i++) {
          const beI = M.mul(dot(oldDirs![i]!, r), ro![i]!);
          r.add_(oldStps![i]!, { alpha: M.sub(al[i]!, beI).v });
        }
      }
      if (!prevFlatGrad) prevFlatGrad = flatGrad.clone();
      else prevFlatGrad.copy_(flatGrad);
      prevLoss = loss;

      // The step length: a cautious first step, then lr.
      if (state.n_iter === 1) {
        const inv = M.div(M.py(1), M.ten(Number(flatGrad.abs().sum().item())));
        t = M.mul(M.min(M.py(1), inv), M.py(lr));
      } else {
        t = M.py(lr);
      }
      const gtd = dot(flatGrad, d!);
      // The directional derivative is below tolerance: no descent along d.
      if (M.gt(gtd, M.py(-toleranceChange))) break;

      let lsEvals = 0;
      if (lineSearchFn !== null) {
        const xInit = this.params.map((p) => p.clone());
        const res = strongWolfe(M, (x, tt, dd) => this.directionalEvaluate(closure, x, tt, dd), xInit, t, d!, loss, flatGrad, gtd);
        loss = res.loss;
        flatGrad = res.flatGrad;
        t = res.t;
        lsEvals = res.evals;
        this.addGrad(t.v, d!);
        optCond = M.le(max(flatGrad.abs()), M.py(toleranceGrad));
      } else {
        // A fixed step; re-evaluate unless this is the last iteration (in a stochastic setting the
        // extra evaluation would not help).
        this.addGrad(t.v, d!);
        if (nIter !== maxIter) {
          loss = toFloat(autograd.enableGrad(closure));
          flatGrad = this.gatherFlatGrad();
          optCond = M.le(max(flatGrad.abs()), M.py(toleranceGrad));
          lsEvals = 1;
        }
      }
      currentEvals += lsEvals;
      state.func_evals += lsEvals;

      // Stopping conditions.
      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      if (optCond) break;
      // Lack of progress.
      if (M.le(max(d!.mul(t.v).abs()), M.py(toleranceChange))) break;
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }

    Object.assign(state, { d, t, old_dirs: oldDirs, old_stps: oldStps, ro, H_diag: hDiag, prev_flat_grad: prevFlatGrad, prev_loss: prevLoss });
    return origLoss;
  }

  /** The scalars PyTorch keeps as 0-dim tensors go into the state dict as tensors, Python floats as numbers. */
  protected override packState(s: ParamState): { [key: string]: StateValue } {
    const dtype = this.params[0]!.dtype;
    const num = (n: Num | null | undefined): StateValue => (n === null || n === undefined ? null : n.t ? tensor(n.v, { dtype }) : n.v);
    const out: { [key: string]: StateValue } = {};
    for (const [k, v] of Object.entries(s)) {
      if (k === 't' || k === 'H_diag') out[k] = num(v as Num);
      else if (k === 'ro' || k === 'al') out[k] = (v as (Num | null)[]).map(num);
      else out[k] = v as StateValue;
    }
    return out;
  }

  protected override unpackState(entry: { [key: string]: StateValue }): ParamState {
    const num = (v: StateValue): Num | null => {
      if (v === null) return null;
      if (typeof v === 'number') return { v, t: false };
      if (v instanceof Tensor) return { v: Number(v.item()), t: true };
      throw new TypeError(`LBFGS state: expected a number or a 0-dim tensor, got ${String(v)}`);
    };
    const out: ParamState = { ...entry };
    for (const k of ['t', 'H_diag']) if (entry[k] !== undefined) out[k] = num(entry[k]!);
    for (const k of ['ro', 'al']) if (Array.isArray(entry[k])) out[k] = (entry[k] as StateValue[]).map(num);
    return out;
  }
}

function toFloat(loss: Tensor | number): number {
  return typeof loss === 'number' ? loss : Number(loss.item());
}
