import { type Tensor, where, scalarTensor } from '@kindling/tensor';
import { defaultNodeName, defineDerivative } from '../derivative.js';
import { sumToShape } from './util.js';

type G = Tensor | null;
const LN2 = Math.LN2;
const LN10 = Math.LN10;

/**
 * PyTorch numbers overloads: `Backward0` for a Python-number operand, `Backward1` for a tensor one.
 * Kindling wraps numbers as 0-d tensors that do not require grad, so those count as numbers.
 */
function overload(base: string, operand: Tensor, scalarIs: 0 | 1 = 0): string {
  const isScalar = !operand.requiresGrad && operand.ndim === 0;
  return `${base}Backward${isScalar ? scalarIs : 1 - scalarIs}`;
}

/** Unary ops: d/dx in terms of the input `x`, the output `y` and the incoming grad `g`. */
function unary(op: string, save: 'x' | 'y', f: (g: Tensor, v: Tensor) => Tensor): void {
  defineDerivative(op, {
    save: save === 'x' ? { inputs: [0] } : { outputs: [0] },
    backward: (ctx, [g]) => [g ? f(g, save === 'x' ? ctx.input(0) : ctx.output(0)) : null],
  });
}

unary('exp', 'y', (g, y) => g.mul(y));
unary('exp2', 'y', (g, y) => g.mul(y).mul(LN2));
unary('expm1', 'y', (g, y) => g.mul(y.add(1)));
unary('log', 'x', (g, x) => g.div(x));
unary('log2', 'x', (g, x) => g.div(x.mul(LN2)));
unary('log10', 'x', (g, x) => g.div(x.mul(LN10)));
unary('log1p', 'x', (g, x) => g.div(x.add(1)));
unary('sqrt', 'y', (g, y) => g.div(y.mul(2)));
unary('rsqrt', 'y', (g, y) => g.mul(y.pow(3)).mul(-0.5));
unary('sin', 'x', (g, x) => g.mul(x.cos()));
unary('cos', 'x', (g, x) => g.mul(x.sin().neg()));
unary('tan', 'y', (g, y) => g.mul(y.mul(y).add(1)));
unary('asin', 'x', (g, x) => g.div(x.mul(x).neg().add(1).sqrt()));
unary('acos', 'x', (g, x) => g.div(x.mul(x).neg().add(1).sqrt()).neg());
unary('atan', 'x', (g, x) => g.div(x.mul(x).add(1)));
unary('sinh', 'x', (g, x) => g.mul(x.cosh()));
unary('cosh', 'x', (g, x) => g.mul(x.sinh()));
unary('tanh', 'y', (g, y) => g.mul(y.mul(y).neg().add(1)));
unary('asinh', 'x', (g, x) => g.div(x.mul(x).add(1).sqrt()));
unary('acosh', 'x', (g, x) => g.div(x.mul(x).sub(1).sqrt()));
unary('atanh', 'x', (g, x) => g.div(x.mul(x).neg().add(1)));
unary('sigmoid', 'y', (g, y) => g.mul(y).mul(y.neg().add(1)));
unary('erf', 'x', (g, x) => g.mul(x.mul(x).neg().exp()).mul(2 / Math.sqrt(Math.PI)));
unary('erfc', 'x', (g, x) => g.mul(x.mul(x).neg().exp()).mul(-2 / Math.sqrt(Math.PI)));
unary('reciprocal', 'y', (g, y) => g.mul(y.mul(y)).neg());
unary('abs', 'x', (g, x) => g.mul(x.sign()));
defineDerivative('neg', { backward: (_c, [g]) => [g ? g.neg() : null] });
defineDerivative('frac', { backward: (_c, [g]) => [g] });
for (const op of ['floor', 'ceil', 'round', 'trunc', 'sign']) {
  defineDerivative(op, { backward: (_c, [g]) => [g ? g.mul(0) : null] });
}

defineDerivative('add', {
  backward: (ctx, [g]) => [g && sumToShape(g, ctx.inputShapes[0]!), g && sumToShape(g, ctx.inputShapes[1]!)],
});
defineDerivative('sub', {
  backward: (ctx, [g]) => [g && sumToShape(g, ctx.inputShapes[0]!), g && sumToShape(g.neg(), ctx.inputShapes[1]!)],
});
defineDerivative('mul', {
  save: { inputs: [0, 1] },
  backward: (ctx, [g]) => [
    g && ctx.needsInputGrad[0] ? sumToShape(g.mul(ctx.input(1)), ctx.inputShapes[0]!) : null,
    g && ctx.needsInputGrad[1] ? sumToShape(g.mul(ctx.input(0)), ctx.inputShapes[1]!) : null,
  ],
});
defineDerivative('div', {
  save: { inputs: [0, 1] },
  backward: (ctx, [g]) => {
    if (!g) return [null, null];
    const b = ctx.input(1);
    return [
      ctx.needsInputGrad[0] ? sumToShape(g.div(b), ctx.inputShapes[0]!) : null,
      ctx.needsInputGrad[1] ? sumToShape(g.mul(ctx.input(0)).div(b.mul(b)).neg(), ctx.inputShapes[1]!) : null,
    ];
  },
});
defineDerivative('pow', {
  name: (inputs) => overload('Pow', inputs[1]!),
  save: { inputs: [0, 1], outputs: [0] },
  backward: (ctx, [g]) => {
    if (!g) return [null, null];
    const a = ctx.input(0);
    const b = ctx.input(1);
    const ga = ctx.needsInputGrad[0]
      ? sumToShape(where(b.eq(0), scalarTensor(0, g.dtype, g.device), g.mul(b).mul(a.pow(b.sub(1)))), ctx.inputShapes[0]!)
      : null;
    const gb = ctx.needsInputGrad[1]
      ? sumToShape(where(a.eq(0).logicalAnd(b.ge(0)), scalarTensor(0, g.dtype, g.device), g.mul(ctx.output(0)).mul(a.log())), ctx.inputShapes[1]!)
      : null;
    return [ga, gb];
  },
});
defineDerivative('atan2', {
  save: { inputs: [0, 1] },
  backward: (ctx, [g]) => {
    if (!g) return [null, null];
    const a = ctx.input(0);
    const b = ctx.input(1);
    const denom = a.mul(a).add(b.mul(b));
    return [sumToShape(g.mul(b).div(denom), ctx.inputShapes[0]!), sumToShape(g.mul(a).neg().div(denom), ctx.inputShapes[1]!)];
  },
});
defineDerivative('remainder', {
  name: (inputs) => overload('Remainder', inputs[1]!),
  save: { inputs: [0, 1] },
  backward: (ctx, [g]) => [
    g && sumToShape(g, ctx.inputShapes[0]!),
    g && ctx.needsInputGrad[1] ? sumToShape(g.mul(ctx.input(0).div(ctx.input(1), { roundingMode: 'floor' })).neg(), ctx.inputShapes[1]!) : null,
  ],
});
defineDerivative('fmod', {
  save: { inputs: [0, 1] },
  backward: (ctx, [g]) => [
    g && sumToShape(g, ctx.inputShapes[0]!),
    g && ctx.needsInputGrad[1] ? sumToShape(g.mul(ctx.input(0).div(ctx.input(1), { roundingMode: 'trunc' })).neg(), ctx.inputShapes[1]!) : null,
  ],
});

/**
 * maximum/minimum (and fmax/fmin): the grad goes to the chosen input, split evenly on ties.
 * `clamp(x, min)` / `clamp(x, undefined, max)` run as maximum/minimum with `attrs.clamp` set: then, as
 * PyTorch's clamp, x keeps the whole gradient where it equals the bound, and the node is a Clamp one.
 */
function selectBinary(op: string, pick: (a: Tensor, b: Tensor) => Tensor): void {
  defineDerivative(op, {
    name: (inputs, attrs) => (attrs['clamp'] ? overload('Clamp', inputs[1]!, 1) : defaultNodeName(op)),
    save: { inputs: [0, 1] },
    backward: (ctx, [g]) => {
      if (!g) return [null, null];
      const a = ctx.input(0);
      const b = ctx.input(1);
      const zero = scalarTensor(0, g.dtype, g.device);
      const aWins = pick(a, b);
      if (ctx.attrs['clamp']) {
        const bWins = pick(b, a);
        return [sumToShape(where(bWins, zero, g), ctx.inputShapes[0]!), sumToShape(where(bWins, g, zero), ctx.inputShapes[1]!)];
      }
      const tie = a.eq(b);
      const half = g.div(2);
      const ga = where(tie, half, where(aWins, g, zero));
      const gb = where(tie, half, where(aWins, zero, g));
      return [sumToShape(ga, ctx.inputShapes[0]!), sumToShape(gb, ctx.inputShapes[1]!)];
    },
  });
}
selectBinary('maximum', (a, b) => a.gt(b).logicalOr(a.isnan()));
selectBinary('minimum', (a, b) => a.lt(b).logicalOr(a.isnan()));
selectBinary('fmax', (a, b) => a.gt(b).logicalOr(b.isnan()));
selectBinary('fmin', (a, b) => a.lt(b).logicalOr(b.isnan()));

defineDerivative('where', {
  name: 'WhereBackward0',
  save: { inputs: [0] },
  backward: (ctx, [g]) => {
    if (!g) return [null, null, null];
    const c = ctx.input(0);
    const zero = scalarTensor(0, g.dtype, g.device);
    return [null, sumToShape(where(c, g, zero), ctx.inputShapes[1]!), sumToShape(where(c, zero, g), ctx.inputShapes[2]!)];
  },
});
defineDerivative('clamp', {
  // Number bounds: ClampBackward1; tensor bounds: ClampBackward0.
  name: (inputs) => (inputs.slice(1).every((t) => !t.requiresGrad && t.ndim === 0) ? 'ClampBackward1' : 'ClampBackward0'),
  save: { inputs: [0, 1, 2] },
  backward: (ctx, [g]) => {
    if (!g) return [null, null, null];
    const x = ctx.input(0);
    const lo = ctx.input(1);
    const hi = ctx.input(2);
    const zero = scalarTensor(0, g.dtype, g.device);
    const inside = x.ge(lo).logicalAnd(x.le(hi));
    return [
      sumToShape(where(inside, g, zero), ctx.inputShapes[0]!),
      ctx.needsInputGrad[1] ? sumToShape(where(x.lt(lo), g, zero), ctx.inputShapes[1]!) : null,
      ctx.needsInputGrad[2] ? sumToShape(where(x.gt(hi), g, zero), ctx.inputShapes[2]!) : null,
    ];
  },
});
defineDerivative('lerp', {
  name: (inputs) => overload('Lerp', inputs[2]!),
  save: { inputs: [0, 1, 2] },
  backward: (ctx, [g]) => {
    if (!g) return [null, null, null];
    const w = ctx.input(2);
    return [
      sumToShape(g.mul(w.neg().add(1)), ctx.inputShapes[0]!),
      sumToShape(g.mul(w), ctx.inputShapes[1]!),
      ctx.needsInputGrad[2] ? sumToShape(g.mul(ctx.input(1).sub(ctx.input(0))), ctx.inputShapes[2]!) : null,
    ];
  },
});
defineDerivative('copy', {
  // clone()/contiguous() keep the dtype; a cast (`x.double()`, `x.to(dtype)`) is PyTorch's _to_copy.
  name: (inputs, _attrs, outputs) => (outputs[0]!.dtype === inputs[0]!.dtype ? 'CloneBackward0' : 'ToCopyBackward0'),
  backward: (ctx, [g]) => [g ? sumToShape(g, ctx.inputShapes[0]!) : null],
});

export type { G };
