import { type Tensor, arange, cat, scalarTensor, where } from '@kindling/tensor';
import { type BackwardContext, defaultNodeName, defineDerivative } from '../derivative.js';
import { unsqueezeDims, zerosOf } from './util.js';

const dimsOf = (a: Record<string, unknown>) => a['dims'] as number[];
const keepOf = (a: Record<string, unknown>) => a['keepdim'] as boolean;
const fullReduction = (inputs: readonly Tensor[], a: Record<string, unknown>) => dimsOf(a).length === inputs[0]!.ndim && !keepOf(a);

defineDerivative('sum', {
  name: (inputs, a) => (fullReduction(inputs, a) ? 'SumBackward0' : 'SumBackward1'),
  backward: (ctx, [g]) => [g ? unsqueezeDims(g, dimsOf(ctx.attrs), keepOf(ctx.attrs)).expand([...ctx.inputShapes[0]!]) : null],
});
defineDerivative('mean', {
  name: (inputs, a) => (fullReduction(inputs, a) ? 'MeanBackward0' : 'MeanBackward1'),
  backward: (ctx, [g]) => {
    if (!g) return [null];
    const shape = ctx.inputShapes[0]!;
    const n = dimsOf(ctx.attrs).reduce((p, d) => p * shape[d]!, 1);
    return [unsqueezeDims(g, dimsOf(ctx.attrs), keepOf(ctx.attrs)).expand([...shape]).div(n)];
  },
});
defineDerivative('var', {
  save: { inputs: [0] },
  backward: (ctx, [g]) => {
    if (!g) return [null];
    const x = ctx.input(0);
    const dims = dimsOf(ctx.attrs);
    const n = dims.reduce((p, d) => p * x.shape[d]!, 1);
    const denom = Math.max(0, n - (ctx.attrs['correction'] as number));
    const centered = x.sub(x.mean(dims, { keepdim: true }));
    return [unsqueezeDims(g, dims, keepOf(ctx.attrs)).mul(centered).mul(2 / denom)];
  },
});

/** prod: ∂/∂x_i = product of the others, via exclusive cumulative products (exact with zeros). */
defineDerivative('prod', {
  name: (inputs, a) => (fullReduction(inputs, a) ? 'ProdBackward0' : 'ProdBackward1'),
  save: { inputs: [0] },
  backward: (ctx, [g]) => {
    if (!g) return [null];
    const x = ctx.input(0);
    const dims = dimsOf(ctx.attrs);
    const keep = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
    const perm = [...keep, ...dims];
    const moved = x.permute(perm);
    const lines = moved.reshape([...keep.map((d) => x.shape[d]!), -1]);
    const last = lines.ndim - 1;
    const n = lines.shape[last]!;
    const ones = scalarTensor(1, x.dtype, x.device).expand([...lines.shape.slice(0, -1), 1]);
    const before = n > 1 ? cat([ones, lines.narrow(last, 0, n - 1).cumprod(last)], last) : ones;
    const rev = lines.flip(last);
    const after = n > 1 ? cat([ones, rev.narrow(last, 0, n - 1).cumprod(last)], last).flip(last) : ones;
    const others = before.mul(after).reshape(moved.shape);
    const inv = perm.map((_, i) => perm.indexOf(i));
    const gx = unsqueezeDims(g, dims, keepOf(ctx.attrs)).expand([...x.shape]);
    return [others.permute(inv).mul(gx)];
  },
});

/** The gradient of a value that several elements tie for is shared evenly among them. */
function evenlyDistributed(g: Tensor, x: Tensor, value: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  const mask = x.eq(unsqueezeDims(value, dims, keepdim)).to(g.dtype);
  const count = mask.sum([...dims], { keepdim: true });
  return mask.mul(unsqueezeDims(g, dims, keepdim)).div(count);
}

/** amax/amin, and x.max()/x.min() (`full`, PyTorch's MaxBackward1): ties share the gradient evenly. */
for (const [op, full] of [['amax', 'MaxBackward1'], ['amin', 'MinBackward1']] as const) {
  defineDerivative(op, {
    name: (_inputs, a) => (a['full'] ? full : defaultNodeName(op)),
    save: { inputs: [0], outputs: [0] },
    backward: (ctx, [g]) => (g ? [evenlyDistributed(g, ctx.input(0), ctx.output(0), dimsOf(ctx.attrs), keepOf(ctx.attrs))] : [null]),
  });
}

/** Ops that select one element per line return (values, indices): the grad goes back to the index. */
function selectedBackward(ctx: BackwardContext, g: Tensor): Tensor[] {
  const shape = ctx.inputShapes[0]!;
  if (shape.length === 0) return [g.reshape([])];
  const dim = ctx.attrs['dim'] as number;
  const keepdim = ctx.attrs['keepdim'] as boolean;
  const idx = unsqueezeDims(ctx.output(1), [dim], keepdim);
  return [zerosOf(shape, g).scatter(dim, idx, unsqueezeDims(g, [dim], keepdim))];
}
function valueSelecting(op: string, name: string): void {
  defineDerivative(op, {
    name,
    save: { outputs: [1] },
    backward: (ctx, [g]) => (g ? selectedBackward(ctx, g) : [null]),
  });
}
valueSelecting('max_dim', 'MaxBackward0');
valueSelecting('min_dim', 'MinBackward0');
// x.median() is median_dim of the flattened tensor marked `full`: as PyTorch's median() (MedianBackward0),
// elements tying for the median share its gradient; median(dim) gives it to the returned index.
defineDerivative('median_dim', {
  name: (_inputs, a) => (a['full'] ? 'MedianBackward0' : 'MedianBackward1'),
  save: { inputs: [0], outputs: [0, 1] },
  backward: (ctx, grads) => {
    const g = grads[0];
    if (!g) return [null];
    if (ctx.attrs['full']) return [evenlyDistributed(g, ctx.input(0), ctx.output(0), [0], false)];
    return selectedBackward(ctx, g);
  },
});
valueSelecting('kthvalue', 'KthvalueBackward0');
valueSelecting('mode', 'ModeBackward0');

defineDerivative('sort', {
  save: { outputs: [1] },
  backward: (ctx, [g]) => {
    if (!g) return [null];
    const shape = ctx.inputShapes[0]!;
    if (shape.length === 0) return [g];
    return [zerosOf(shape, g).scatter(ctx.attrs['dim'] as number, ctx.output(1), g)];
  },
});

defineDerivative('cumsum', {
  backward: (ctx, [g]) => {
    if (!g) return [null];
    const dim = ctx.attrs['dim'] as number;
    if (ctx.inputShapes[0]!.length === 0) return [g];
    return [g.flip(dim).cumsum(dim).flip(dim)];
  },
});
defineDerivative('cumprod', {
  save: { inputs: [0], outputs: [0] },
  backward: (ctx, [g]) => {
    if (!g) return [null];
    const x = ctx.input(0);
    if (x.ndim === 0) return [g];
    const dim = ctx.attrs['dim'] as number;
    const y = ctx.output(0);
    // Σ_{k≥i} g_k·y_k / x_i, valid where x_i ≠ 0; lines with zeros use the exact product of the others.
    const hasZero = x.eq(0).any().item() as boolean;
    if (!hasZero) return [g.mul(y).flip(dim).cumsum(dim).flip(dim).div(x)];
    const n = x.shape[dim]!;
    const parts: Tensor[] = [];
    for (let i = 0; i < n; i++) {
      // y_k / x_i for k ≥ i equals prod_{j≤k, j≠i} x_j: the cumprod of x with x_i replaced by 1.
      const shape = x.shape.map((s, d) => (d === dim ? s : 1));
      const atI = arange(n, { device: x.device }).eq(i).reshape(shape);
      const xi1 = where(atI, scalarTensor(1, x.dtype, x.device), x);
      const prodOthers = xi1.cumprod(dim);
      const contrib = g.mul(prodOthers).narrow(dim, i, n - i).sum(dim, { keepdim: true });
      parts.push(contrib);
    }
    return [cat(parts, dim)];
  },
});
defineDerivative('logsumexp', {
  save: { inputs: [0], outputs: [0] },
  backward: (ctx, [g]) => {
    if (!g) return [null];
    const dims = dimsOf(ctx.attrs);
    const keepdim = keepOf(ctx.attrs);
    return [unsqueezeDims(g, dims, keepdim).mul(ctx.input(0).sub(unsqueezeDims(ctx.output(0), dims, keepdim)).exp())];
  },
});
defineDerivative('softmax', {
  name: 'SoftmaxBackward0',
  save: { outputs: [0] },
  backward: (ctx, [g]) => {
    if (!g) return [null];
    const y = ctx.output(0);
    const dim = ctx.attrs['dim'] as number;
    return [y.mul(g.sub(g.mul(y).sum(dim, { keepdim: true })))];
  },
});
defineDerivative('log_softmax', {
  name: 'LogSoftmaxBackward0',
  save: { outputs: [0] },
  backward: (ctx, [g]) => {
    if (!g) return [null];
    const dim = ctx.attrs['dim'] as number;
    return [g.sub(ctx.output(0).exp().mul(g.sum(dim, { keepdim: true })))];
  },
});
