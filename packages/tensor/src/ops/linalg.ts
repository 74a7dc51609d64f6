import { dtypeLabel, DtypeError, dispatch1, getOp, OpError, registerOp } from '../op.js';
import { isFloatingPoint } from '../dtype.js';
import { broadcastShapes, formatShape, ShapeError } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { autocastOp } from '../autocast.js';

/** Matrix products do not promote: both operands must have one dtype (PyTorch's messages). */
function sameDtype(name: string, a: Tensor, b: Tensor): void {
  if (a.dtype === b.dtype) return;
  if (name === 'dot') {
    throw new DtypeError(`dot : expected both vectors to have same dtype, but found ${dtypeLabel(a.dtype)} and ${dtypeLabel(b.dtype)}`);
  }
  throw new DtypeError(`${name}: expected scalar type ${dtypeLabel(a.dtype)} but found ${dtypeLabel(b.dtype)}`);
}

/** The matmul primitive: (b, n, k) @ (b, k, m), strided inputs, same dtype. */
registerOp({
  name: 'bmm',
  infer([a, b]) {
    if (a!.ndim !== 3) throw new ShapeError(`batch1 must be a 3D tensor`);
    if (b!.ndim !== 3) throw new ShapeError(`batch2 must be a 3D tensor`);
    const [bs, n, k] = a!.shape as [number, number, number];
    if (b!.shape[0] !== bs || b!.shape[1] !== k) {
      throw new ShapeError(`Expected size for first two dimensions of batch2 tensor to be: [${bs}, ${k}] but got: [${b!.shape[0]}, ${b!.shape[1]}].`);
    }
    sameDtype('bmm', a!, b!);
    if (a!.dtype === 'bool') throw new DtypeError(`"bmm" not implemented for 'Bool'`);
    return [{ shape: [bs, n, b!.shape[2]!], dtype: a!.dtype }];
  },
});

/**
 * `bmm_sum(a, b)`: Σ_i a[i] @ b[i] over the batch, (b, n, k) and (b, k, m) to (n, m): a convolution's
 * weight gradient summed over the samples. A backend kernel accumulates the products in place; the
 * decomposition is one product over the batch laid end to end along k.
 */
registerOp({
  name: 'bmm_sum',
  nondifferentiable: true,
  infer(inputs, attrs) {
    const [spec] = getOp('bmm').infer(inputs, attrs)!;
    return [{ shape: spec!.shape.slice(1), dtype: spec!.dtype }];
  },
  decompose([a, b]) {
    const [bs, n, k] = a!.shape as [number, number, number];
    const m = b!.shape[2]!;
    const a2 = a!.permute(1, 0, 2).reshape([1, n, bs * k]);
    const b2 = b!.reshape([1, bs * k, m]);
    return [bmm(a2, b2).reshape([n, m])];
  },
});

export function bmm(a: Tensor, b: Tensor): Tensor {
  return dispatch1('bmm', [a, b]);
}

/**
 * `view` of a product that nothing else holds: the product's own reference is dropped, so that
 * disposing the returned view frees the memory at once (else it waits for the garbage collector).
 */
function viewOfProduct(product: Tensor, view: (p: Tensor) => Tensor): Tensor {
  const v = view(product);
  if (v !== product) product.dispose();
  return v;
}

function mmImpl(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2) throw new ShapeError(`self must be a matrix`);
  if (b.ndim !== 2) throw new ShapeError(`mat2 must be a matrix`);
  if (a.shape[1] !== b.shape[0]) {
    throw new ShapeError(`mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
  }
  sameDtype('mm', a, b);
  return viewOfProduct(bmm(a.unsqueeze(0), b.unsqueeze(0)), (p) => p.squeeze(0));
}

function mvImpl(a: Tensor, v: Tensor): Tensor {
  if (a.ndim !== 2 || v.ndim !== 1) {
    throw new ShapeError(`vector + matrix @ vector expected, got ${v.ndim}, ${a.ndim}, ${v.ndim}`);
  }
  if (a.shape[1] !== v.shape[0]) throw new ShapeError(`size mismatch, got ${a.shape[0]}, ${a.shape[0]}x${a.shape[1]},${v.shape[0]}`);
  sameDtype('mv', a, v);
  return viewOfProduct(bmm(a.unsqueeze(0), v.reshape([1, -1, 1])), (p) => p.reshape([a.shape[0]!]));
}

export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new ShapeError(`1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  }
  if (a.shape[0] !== b.shape[0]) {
    throw new ShapeError(`inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`);
  }
  sameDtype('dot', a, b);
  return viewOfProduct(bmm(a.reshape([1, 1, -1]), b.reshape([1, -1, 1])), (p) => p.reshape([]));
}

export function outer(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1) throw new ShapeError(`outer: Expected 1-D argument self, but got ${a.ndim}-D`);
  if (b.ndim !== 1) throw new ShapeError(`outer: Expected 1-D argument vec2, but got ${b.ndim}-D`);
  return a.unsqueeze(1).mul(b.unsqueeze(0));
}

/** `torch.matmul`, with PyTorch's rules for 1-D operands and batch broadcasting. */
function matmulImpl(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`both arguments to matmul need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`);
  }
  if (a.ndim === 1 && b.ndim === 1) return dot(a, b);
  if (a.ndim === 2 && b.ndim === 1) return mv(a, b);
  if (a.ndim === 1 && b.ndim === 2) return viewOfProduct(mm(a.unsqueeze(0), b), (p) => p.squeeze(0));
  if (a.ndim === 2 && b.ndim === 2) return mm(a, b);
  const a2 = a.ndim === 1 ? a.unsqueeze(0) : a;
  const b2 = b.ndim === 1 ? b.unsqueeze(1) : b;
  const n = a2.shape[a2.ndim - 2]!;
  const k = a2.shape[a2.ndim - 1]!;
  const k2 = b2.shape[b2.ndim - 2]!;
  const m = b2.shape[b2.ndim - 1]!;
  if (k !== k2) {
    throw new ShapeError(`Expected size for first two dimensions of batch2 tensor to be: [${b2.shape.slice(0, -2).reduce((x, y) => x * y, 1)}, ${k}] but got: [${b2.shape.slice(0, -2).reduce((x, y) => x * y, 1)}, ${k2}].`);
  }
  sameDtype('matmul', a2, b2);
  const batch = broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2));
  const bsz = batch.reduce((x, y) => x * y, 1);
  const ae = a2.expand([...batch, n, k]);
  const be = b2.expand([...batch, k, m]);
  const a3 = ae.reshape([bsz, n, k]);
  const b3 = be.reshape([bsz, k, m]);
  const product = bmm(a3, b3);
  // Views made here hold the operands' memory until collected; unless autograd saved them, drop them now.
  if (!product.requiresGrad) for (const t of new Set([a2, ae, a3, b2, be, b3])) if (t !== a && t !== b) t.dispose();
  return viewOfProduct(product, (p) => {
    let out = p.reshape([...batch, n, m]);
    if (a.ndim === 1) out = out.squeeze(-2);
    if (b.ndim === 1) out = out.squeeze(-1);
    return out;
  });
}

function squareBatch(name: string, t: Tensor): void {
  if (t.ndim < 2) throw new ShapeError(`${name}: The input tensor A must have at least 2 dimensions.`);
  const n = t.shape[t.ndim - 1]!;
  const m = t.shape[t.ndim - 2]!;
  if (n !== m) throw new ShapeError(`${name}: A must be batches of square matrices, but they are ${m} by ${n} matrices`);
  if (!isFloatingPoint(t.dtype)) {
    throw new DtypeError(`${name}: Expected a floating point or complex tensor as input. Got ${dtypeLabel(t.dtype)}`);
  }
  // LAPACK has no 16-bit kernels.
  if (t.dtype === 'float16' || t.dtype === 'bfloat16') {
    throw new DtypeError(name === 'linalg.inv' ? `linalg.inv: Low precision dtypes not supported. Got ${dtypeLabel(t.dtype)}` : `"lu_cpu" not implemented for '${dtypeLabel(t.dtype)}'`);
  }
}

registerOp({
  name: 'inverse',
  infer([t]) {
    squareBatch('linalg.inv', t!);
    return [{ shape: t!.shape, dtype: t!.dtype }];
  },
});
registerOp({
  name: 'det',
  infer([t]) {
    squareBatch('linalg.det', t!);
    return [{ shape: t!.shape.slice(0, -2), dtype: t!.dtype }];
  },
});

export function inverse(t: Tensor): Tensor {
  return dispatch1('inverse', [t]);
}
export function det(t: Tensor): Tensor {
  return dispatch1('det', [t]);
}
export function trace(t: Tensor): Tensor {
  if (t.ndim !== 2) throw new OpError(`trace: expected a matrix, but got tensor with dim ${t.ndim}`);
  if (t.dtype === 'bool') throw new DtypeError(`"trace" not implemented for 'Bool'`);
  return t.diagonal().sum();
}

export { formatShape };

/** `torch.mm`; under autocast one lower-precision op (inputs cast, the result rounded once). */
export function mm(a: Tensor, b: Tensor): Tensor {
  return autocastOp('mm', [a, b] as const, (x0, x1) => mmImpl(x0, x1));
}

/** `torch.mv`; under autocast one lower-precision op (inputs cast, the result rounded once). */
export function mv(a: Tensor, v: Tensor): Tensor {
  return autocastOp('mv', [a, v] as const, (x0, x1) => mvImpl(x0, x1));
}

/** `torch.matmul`; under autocast one lower-precision op (inputs cast, the result rounded once). */
export function matmul(a: Tensor, b: Tensor): Tensor {
  return autocastOp('matmul', [a, b] as const, (x0, x1) => matmulImpl(x0, x1));
}
