// The strong-Wolfe line search of PyTorch's LBFGS (ported there from torch/optim's lswolfe.lua),
// step for step, with PyTorch's float/tensor scalar rounding (see lbfgs-scalar.ts).
import type { Tensor } from '@kindling/tensor';
import type { Num, ScalarMath } from './lbfgs-scalar.js';

/** Evaluates loss and flat gradient at x + t d, then restores x. */
export type Objective = (x: Tensor[], t: Num, d: Tensor) => [number, Tensor];

/** Minimizer of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to the bounds. */
export function cubicInterpolate(M: ScalarMath, x1: Num, f1: Num, g1: Num, x2: Num, f2: Num, g2: Num, bounds?: [Num, Num]): Num {
  const [xminBound, xmaxBound] = bounds ?? (M.le(x1, x2) ? [x1, x2] : [x2, x1]);
  // d1 = g1 + g2 - 3*(f1-f2)/(x1-x2);  d2 = sqrt(d1^2 - g1*g2);
  // min_pos = x2 - (x2 - x1)*((g2 + d2 - d1)/(g2 - g1 + 2*d2))
  const d1 = M.sub(M.add(g1, g2), M.div(M.mul(M.py(3), M.sub(f1, f2)), M.sub(x1, x2)));
  const d2Square = M.sub(M.square(d1), M.mul(g1, g2));
  if (M.ge(d2Square, M.py(0))) {
    const d2 = M.sqrt(d2Square);
    const minPos = M.le(x1, x2)
      ? M.sub(x2, M.mul(M.sub(x2, x1), M.div(M.sub(M.add(g2, d2), d1), M.add(M.sub(g2, g1), M.mul(M.py(2), d2)))))
      : M.sub(x1, M.mul(M.sub(x1, x2), M.div(M.sub(M.add(g1, d2), d1), M.add(M.sub(g1, g2), M.mul(M.py(2), d2)))));
    return M.min(M.max(minPos, xminBound), xmaxBound);
  }
  return M.div(M.add(xminBound, xmaxBound), M.py(2));
}

export interface LineSearchResult {
  loss: number;
  flatGrad: Tensor;
  t: Num;
  evals: number;
}

/**
 * Find a step t along d satisfying the strong Wolfe conditions: bracket an interval, then zoom.
 * `f` is the loss at x, `g` its flat gradient and `gtd` the directional derivative g·d.
 */
export function strongWolfe(
  M: ScalarMath, obj: Objective, x: Tensor[], tInit: Num, d: Tensor, f: number, g: Tensor, gtd: Num,
  c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxLs = 25,
): LineSearchResult {
  let t = tInit;
  const dNorm = M.ten(Number(d.abs().max().item()));
  g = g.clone();
  let [fNew, gNew] = obj(x, t, d);
  let evals = 1;
  let gtdNew = M.ten(Number(gNew.dot(d).item()));
  const F = (v: number) => M.py(v);
  // Armijo: f_new > f + c1 * t * gtd (PyTorch evaluates ((c1 * t) * gtd) and adds f).
  const armijoFails = (fn: number, tt: Num) => M.gt(F(fn), M.add(F(f), M.mul(M.mul(M.py(c1), tt), gtd)));
  const curvatureHolds = (gn: Num) => M.le(M.abs(gn), M.mul(M.py(-c2), gtd));

  let tPrev: Num = M.py(0);
  let fPrev = f;
  let gPrev = g;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: Num[] = [];
  let bracketF: number[] = [];
  let bracketG: Tensor[] = [];
  let bracketGtd: Num[] = [];
  // Bracketing phase: find an interval containing a point that satisfies the conditions.
  while (lsIter < maxLs) {
    if (armijoFails(fNew, t) || (lsIter > 1 && fNew >= fPrev)) {
      [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew.clone()], [gtdPrev, gtdNew]];
      break;
    }
    if (curvatureHolds(gtdNew)) {
      [bracket, bracketF, bracketG] = [[t], [fNew], [gNew]];
      done = true;
      break;
    }
    if (M.ge(gtdNew, M.py(0))) {
      [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew.clone()], [gtdPrev, gtdNew]];
      break;
    }
    // Extrapolate with a cubic, kept within [t + 0.01 (t - t_prev), 10 t].
    const minStep = M.add(t, M.mul(M.py(0.01), M.sub(t, tPrev)));
    const maxStep = M.mul(t, M.py(10));
    const tmp = t;
    t = cubicInterpolate(M, tPrev, F(fPrev), gtdPrev, t, F(fNew), gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew.clone();
    gtdPrev = gtdNew;
    [fNew, gNew] = obj(x, t, d);
    evals += 1;
    gtdNew = M.ten(Number(gNew.dot(d).item()));
    lsIter += 1;
  }
  if (lsIter === maxLs) {
    [bracket, bracketF, bracketG] = [[M.py(0), t], [f, fNew], [g, gNew]];
  }

  // Zoom phase: shrink the bracket until a point satisfies the conditions.
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0]! <= bracketF[bracketF.length - 1]! ? [0, 1] : [1, 0];
  const bmax = () => M.max(bracket[0]!, bracket[1]!);
  const bmin = () => M.min(bracket[0]!, bracket[1]!);
  while (!done && lsIter < maxLs) {
    // The bracket is too small to make progress.
    if (M.lt(M.mul(M.abs(M.sub(bracket[1]!, bracket[0]!)), dNorm), M.py(toleranceChange))) break;
    t = cubicInterpolate(M, bracket[0]!, F(bracketF[0]!), bracketGtd[0]!, bracket[1]!, F(bracketF[1]!), bracketGtd[1]!);
    // A trial point too close to the bracket's ends makes little progress: after it happened once,
    // or when t sits on an end, move t to 0.1 of the bracket's length from the nearer end.
    const eps = M.mul(M.py(0.1), M.sub(bmax(), bmin()));
    if (M.lt(M.min(M.sub(bmax(), t), M.sub(t, bmin())), eps)) {
      if (insufProgress || M.ge(t, bmax()) || M.le(t, bmin())) {
        t = M.lt(M.abs(M.sub(t, bmax())), M.abs(M.sub(t, bmin()))) ? M.sub(bmax(), eps) : M.add(bmin(), eps);
        insufProgress = false;
      } else {
        insufProgress = true;
      }
    } else {
      insufProgress = false;
    }
    [fNew, gNew] = obj(x, t, d);
    evals += 1;
    gtdNew = M.ten(Number(gNew.dot(d).item()));
    lsIter += 1;
    if (armijoFails(fNew, t) || fNew >= bracketF[lowPos]!) {
      // Armijo fails or no lower than the lowest point: t becomes the high end.
      bracket[highPos] = t;
      bracketF[highPos] = fNew;
      bracketG[highPos] = gNew.clone();
      bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0]! <= bracketF[1]! ? [0, 1] : [1, 0];
    } else {
      if (curvatureHolds(gtdNew)) {
        done = true;
      } else if (M.ge(M.mul(gtdNew, M.sub(bracket[highPos]!, bracket[lowPos]!)), M.py(0))) {
        // The old high end becomes the new low end.
        bracket[highPos] = bracket[lowPos]!;
        bracketF[highPos] = bracketF[lowPos]!;
        bracketG[highPos] = bracketG[lowPos]!;
        bracketGtd[highPos] = bracketGtd[lowPos]!;
      }
      // The new point becomes the low end.
      bracket[lowPos] = t;
      bracketF[lowPos] = fNew;
      bracketG[lowPos] = gNew.clone();
      bracketGtd[lowPos] = gtdNew;
    }
  }
  return { loss: bracketF[lowPos]!, flatGrad: bracketG[lowPos]!, t: bracket[lowPos]!, evals };
}
