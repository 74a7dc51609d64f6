import { type Tensor, fromArray } from '@kindling/tensor';
import { defineDerivative } from '../derivative.js';
import { isGradEnabled } from '../grad-mode.js';
import { putIntoZeros, sumToShape, zerosOf } from './util.js';

defineDerivative('view', {
  backward: (ctx, [g]) => [g ? g.reshape([...ctx.inputShapes[0]!]) : null],
});
defineDerivative('alias', { name: 'AliasBackward0', backward: (_c, [g]) => [g] });
defineDerivative('permute', {
  backward: (ctx, [g]) => {
    if (!g) return [null];
    const dims = (ctx.attrs['dims'] as number[]).map((d) => (d < 0 ? d + g.ndim : d));
    return [g.permute(dims.map((_, i) => dims.indexOf(i)))];
  },
});
defineDerivative('expand', { backward: (ctx, [g]) => [g ? sumToShape(g, ctx.inputShapes[0]!) : null] });
defineDerivative('diagonal', {
  backward: (ctx, [g]) => {
    if (!g) return [null];
    const r = zerosOf(ctx.inputShapes[0]!, g);
    const a = ctx.attrs;
    return [scatterInto(r, r.diagonal((a['offset'] as number) ?? 0, (a['dim1'] as number) ?? 0, (a['dim2'] as number) ?? 1), g)];
  },
});
defineDerivative('narrow', {
  name: 'SliceBackward0',
  backward: (ctx, [g]) => {
    if (!g) return [null];
    const r = zerosOf(ctx.inputShapes[0]!, g);
    return [scatterInto(r, r.narrow(ctx.attrs['dim'] as number, ctx.attrs['start'] as number, ctx.attrs['length'] as number), g)];
  },
});
defineDerivative('select', {
  backward: (ctx, [g]) => {
    if (!g) return [null];
    const r = zerosOf(ctx.inputShapes[0]!, g);
    return [scatterInto(r, r.select(ctx.attrs['dim'] as number, ctx.attrs['index'] as number), g)];
  },
});

/**
 * Write `g` into the region `view` of the fresh zeros `base`. When a graph of the backward pass is
 * being built (createGraph), an index_put with the region's element offsets, so grad-of-grad works
 * too; otherwise a plain copy into the view (PyTorch's select/slice backward), which is far cheaper.
 */
function scatterInto(base: Tensor, view: Tensor, g: Tensor): Tensor {
  if (!isGradEnabled() || !g.requiresGrad) {
    view.copy_(g);
    return base;
  }
  const offsets = fromArray(elementOffsets(view), [...view.shape]).to(g.device);
  return putIntoZeros([base.numel()], [0], [offsets], g, false).reshape([...base.shape]);
}

/** Offsets (in elements, from the storage start) of every element of a view, row-major. */
function elementOffsets(v: Tensor): BigInt64Array {
  const n = v.numel();
  const out = new BigInt64Array(n);
  const idx = new Array<number>(v.ndim).fill(0);
  let p = v._offset;
  for (let i = 0; i < n; i++) {
    out[i] = BigInt(p);
    for (let d = v.ndim - 1; d >= 0; d--) {
      p += v._strides[d]!;
      if (++idx[d]! < v.shape[d]!) break;
      p -= v._strides[d]! * v.shape[d]!;
      idx[d] = 0;
    }
  }
  return out;
}

/** as_strided / unfold: accumulate the grad at each viewed element's offset into the input's storage extent. */
function stridedBackward(op: string, name: string): void {
  defineDerivative(op, {
    // Subscript slices (`x.index('1:3')`) are as_strided views marked `slice`: PyTorch's SliceBackward0.
    name: (_inputs, attrs) => (attrs['slice'] ? 'SliceBackward0' : name),
    save: { inputs: [0] },
    backward: (ctx, [g]) => {
      if (!g) return [null];
      const x = ctx.input(0);
      const view = x.ndim >= 0 ? viewGeometry(x, op, ctx.attrs) : x;
      const offsets = elementOffsets(view);
      const xOffsets = elementOffsets(x);
      let extent = 0;
      for (const o of xOffsets) if (Number(o) + 1 > extent) extent = Number(o) + 1;
      for (const o of offsets) if (Number(o) + 1 > extent) extent = Number(o) + 1;
      const summed = putIntoZeros([extent], [0], [fromArray(offsets, [...g.shape]).to(g.device)], g, true);
      return [summed.index(fromArray(xOffsets, [...x.shape]).to(g.device))];
    },
  });
}

function viewGeometry(x: Tensor, op: string, a: Record<string, unknown>): Tensor {
  if (op === 'as_strided') return x._view(a['shape'] as number[], a['strides'] as number[], (a['offset'] as number | undefined) ?? x._offset);
  const dim = a['dim'] as number;
  const size = a['size'] as number;
  const step = a['step'] as number;
  const n = x.ndim === 0 ? 1 : x.shape[dim]!;
  const shape = [...x.shape];
  const strides = [...x._strides];
  if (x.ndim > 0) {
    shape[dim] = Math.floor((n - size) / step) + 1;
    strides[dim] = x._strides[dim]! * step;
  }
  return x._view([...shape, size], [...strides, x.ndim === 0 ? 1 : x._strides[dim]!]);
}
stridedBackward('as_strided', 'AsStridedBackward0');
stridedBackward('unfold', 'UnfoldBackward0');
