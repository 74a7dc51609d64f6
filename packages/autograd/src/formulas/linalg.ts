import { defineDerivative } from '../derivative.js';

defineDerivative('bmm', {
  save: { inputs: [0, 1] },
  backward: (ctx, [g]) => [
    g && ctx.needsInputGrad[0] ? g.bmm(ctx.input(1).transpose(1, 2)) : null,
    g && ctx.needsInputGrad[1] ? ctx.input(0).transpose(1, 2).bmm(g) : null,
  ],
});
defineDerivative('inverse', {
  name: 'LinalgInvExBackward0',
  save: { outputs: [0] },
  backward: (ctx, [g]) => {
    if (!g) return [null];
    const inv = ctx.output(0);
    const invT = inv.mT;
    return [invT.matmul(g).matmul(invT).neg()];
  },
});
defineDerivative('det', {
  name: 'LinalgDetBackward0',
  save: { inputs: [0], outputs: [0] },
  backward: (ctx, [g]) => {
    if (!g) return [null];
    // d det(A) = det(A) · A^{-T}; singular matrices have no inverse here.
    const a = ctx.input(0);
    const d = ctx.output(0);
    return [g.mul(d).unsqueeze(-1).unsqueeze(-1).mul(a.inverse().mT)];
  },
});
defineDerivative('cat', {
  name: 'CatBackward0',
  backward: (ctx, [g]) => {
    if (!g) return ctx.inputShapes.map(() => null);
    const dim = ctx.attrs['dim'] as number;
    let offset = 0;
    return ctx.inputShapes.map((shape) => {
      if (shape.length === 1 && shape[0] === 0) return g.narrow(0, 0, 0).reshape([0]);
      const part = g.narrow(dim, offset, shape[dim]!);
      offset += shape[dim]!;
      return part;
    });
  },
});
defineDerivative('flip', {
  backward: (ctx, [g]) => [g ? g.flip(ctx.attrs['dims'] as number[]) : null],
});
