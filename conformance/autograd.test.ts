// Autograd conformance (DESIGN §4 "Gradients"): every differentiable op of handbook chapters 1-4, on every
// registered backend, against PyTorch 1.13's gradients (fixtures/autograd/*.json, written by
// scripts/gen_grad_fixtures.py), and against finite differences (gradcheck / gradgradcheck, float64).
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';
import * as autograd from '@kindling/autograd';
import type { DType, IndexItem, Tensor } from '@kindling/tensor';

/** Tolerances per dtype, stated once. Never widen them to make a case pass. */
const TOLERANCE: Partial<Record<DType, { rtol: number; atol: number }>> = {
  float64: { rtol: 1e-7, atol: 1e-7 },
};

// ---- fixture format (see scripts/gen_grad_fixtures.py) --------------------------------------------
type Elem = number | boolean | string;
interface TensorJson {
  dtype: DType;
  shape: number[];
  values: Elem[];
}
// Op arguments are free-form JSON, read by the op table below exactly as the generator's table reads them.
type Args = Record<string, any>;
interface Case {
  id: string;
  op: string;
  args: Args;
  inputs: TensorJson[];
  consts: TensorJson[];
  outputs: TensorJson[];
  gradFns: string[];
  upstream: TensorJson[];
  grads: (TensorJson | null)[];
  second?: { v: TensorJson[]; grads: (TensorJson | null)[] };
  edge?: boolean;
}
interface Area {
  area: string;
  torch: string;
  cases: Case[];
}

const FIXTURES = new URL('../fixtures/autograd/', import.meta.url);
const areas: Area[] = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(new URL(f, FIXTURES), 'utf8')) as Area);

// ---- the ops: the same table as OPS in scripts/gen_grad_fixtures.py ------------------------------
type Op = (x: Tensor[], c: Tensor[], a: Args) => Tensor | Tensor[];

/** A reduction's dim argument: absent = all dims. */
const dimOf = (a: Args): number | number[] | undefined => a['dim'] ?? undefined;
const keep = (a: Args) => ({ keepdim: a['keepdim'] ?? false });

function subscript(a: Args, c: Tensor[]): IndexItem[] {
  return (a['items'] as unknown[]).map((i) => {
    if (i !== null && typeof i === 'object' && !Array.isArray(i)) return c[(i as { $const: number }).$const]!;
    return i as IndexItem;
  });
}

const UNARY = [
  'exp', 'exp2', 'expm1', 'log', 'log2', 'log10', 'log1p', 'sqrt', 'rsqrt', 'square', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh',
  'cosh', 'tanh', 'asinh', 'acosh', 'atanh', 'sigmoid', 'erf', 'erfc', 'reciprocal', 'neg', 'abs', 'sign', 'floor', 'ceil', 'round',
  'trunc', 'frac',
] as const;

const OPS: Record<string, Op> = {
  // arithmetic
  add: (x) => x[0]!.add(x[1]!),
  add_alpha: (x, _c, a) => x[0]!.add(x[1]!, { alpha: a['alpha'] }),
  add_scalar: (x, _c, a) => x[0]!.add(a['s']),
  radd_scalar: (x, _c, a) => torch.add(a['s'], x[0]!),
  sub: (x) => x[0]!.sub(x[1]!),
  sub_scalar: (x, _c, a) => x[0]!.sub(a['s']),
  rsub_scalar: (x, _c, a) => torch.sub(a['s'], x[0]!),
  mul: (x) => x[0]!.mul(x[1]!),
  mul_scalar: (x, _c, a) => x[0]!.mul(a['s']),
  div: (x) => x[0]!.div(x[1]!),
  div_scalar: (x, _c, a) => x[0]!.div(a['s']),
  rdiv_scalar: (x, _c, a) => torch.div(a['s'], x[0]!),
  pow: (x) => x[0]!.pow(x[1]!),
  pow_scalar: (x, _c, a) => x[0]!.pow(a['p']),
  rpow_scalar: (x, _c, a) => torch.pow(a['s'], x[0]!),
  remainder: (x) => torch.remainder(x[0]!, x[1]!),
  remainder_scalar: (x, _c, a) => torch.remainder(x[0]!, a['s']),
  maximum: (x) => torch.maximum(x[0]!, x[1]!),
  minimum: (x) => torch.minimum(x[0]!, x[1]!),
  where: (x, c) => torch.where(c[0]!, x[0]!, x[1]!),
  clamp: (x, _c, a) => x[0]!.clamp(a['min'] ?? null, a['max'] ?? null),
  clamp_tensor: (x) => x[0]!.clamp(x[1]!, x[2]!),
  lerp: (x, _c, a) => torch.lerp(x[0]!, x[1]!, a['w']),
  lerp_tensor: (x) => torch.lerp(x[0]!, x[1]!, x[2]!),
  atan2: (x) => torch.atan2(x[0]!, x[1]!),
  clone: (x) => x[0]!.clone(),
  // matrices
  mm: (x) => torch.mm(x[0]!, x[1]!),
  bmm: (x) => torch.bmm(x[0]!, x[1]!),
  matmul: (x) => torch.matmul(x[0]!, x[1]!),
  mv: (x) => torch.mv(x[0]!, x[1]!),
  dot: (x) => torch.dot(x[0]!, x[1]!),
  outer: (x) => torch.outer(x[0]!, x[1]!),
  inverse: (x) => torch.inverse(x[0]!),
  det: (x) => torch.det(x[0]!),
  trace: (x) => torch.trace(x[0]!),
  // reductions
  sum: (x, _c, a) => x[0]!.sum(dimOf(a), keep(a)),
  mean: (x, _c, a) => x[0]!.mean(dimOf(a), keep(a)),
  prod: (x, _c, a) => x[0]!.prod(dimOf(a), keep(a)),
  std: (x, _c, a) => x[0]!.std(dimOf(a), { ...keep(a), unbiased: a['unbiased'] ?? true }),
  var: (x, _c, a) => x[0]!.var(dimOf(a), { ...keep(a), unbiased: a['unbiased'] ?? true }),
  amax: (x, _c, a) => x[0]!.amax(dimOf(a), keep(a)),
  amin: (x, _c, a) => x[0]!.amin(dimOf(a), keep(a)),
  max: (x) => x[0]!.max(),
  min: (x) => x[0]!.min(),
  max_dim: (x, _c, a) => x[0]!.max(a['dim'], keep(a)).values,
  min_dim: (x, _c, a) => x[0]!.min(a['dim'], keep(a)).values,
  median: (x) => x[0]!.median(),
  median_dim: (x, _c, a) => x[0]!.median(a['dim'], keep(a)).values,
  kthvalue: (x, _c, a) => x[0]!.kthvalue(a['k'], a['dim'], keep(a)).values,
  mode: (x, _c, a) => x[0]!.mode(a['dim'], keep(a)).values,
  sort: (x, _c, a) => x[0]!.sort({ dim: a['dim'], descending: a['descending'] ?? false }).values,
  topk: (x, _c, a) => x[0]!.topk(a['k'], a['dim'], { largest: a['largest'] ?? true }).values,
  cumsum: (x, _c, a) => x[0]!.cumsum(a['dim']),
  cumprod: (x, _c, a) => x[0]!.cumprod(a['dim']),
  logsumexp: (x, _c, a) => x[0]!.logsumexp(a['dim'], keep(a)),
  softmax: (x, _c, a) => x[0]!.softmax(a['dim']),
  log_softmax: (x, _c, a) => x[0]!.logSoftmax(a['dim']),
  // views and shape ops
  view: (x, _c, a) => x[0]!.view(a['shape']),
  reshape: (x, _c, a) => x[0]!.reshape(a['shape']),
  reshape_t: (x, _c, a) => x[0]!.t().reshape(a['shape']),
  transpose: (x, _c, a) => x[0]!.transpose(a['dim0'], a['dim1']),
  permute: (x, _c, a) => x[0]!.permute(a['dims']),
  expand: (x, _c, a) => x[0]!.expand(a['shape']),
  squeeze: (x, _c, a) => x[0]!.squeeze(a['dim']),
  unsqueeze: (x, _c, a) => x[0]!.unsqueeze(a['dim']),
  flatten: (x, _c, a) => x[0]!.flatten(a['start'] ?? 0, a['end'] ?? -1),
  narrow: (x, _c, a) => x[0]!.narrow(a['dim'], a['start'], a['length']),
  select: (x, _c, a) => x[0]!.select(a['dim'], a['index']),
  diagonal: (x, _c, a) => x[0]!.diagonal(a['offset'] ?? 0, a['dim1'] ?? 0, a['dim2'] ?? 1),
  unfold: (x, _c, a) => x[0]!.unfold(a['dim'], a['size'], a['step']),
  split: (x, _c, a) => x[0]!.split(a['split'], a['dim']),
  chunk: (x, _c, a) => x[0]!.chunk(a['chunks'], a['dim']),
  unbind: (x, _c, a) => x[0]!.unbind(a['dim']),
  T: (x) => x[0]!.T,
  mT: (x) => x[0]!.mT,
  movedim: (x, _c, a) => x[0]!.movedim(a['src'], a['dst']),
  contiguous: (x) => x[0]!.t().contiguous(),
  cat: (x, _c, a) => torch.cat(x, a['dim']),
  stack: (x, _c, a) => torch.stack(x, a['dim']),
  flip: (x, _c, a) => x[0]!.flip(a['dims']),
  roll: (x, _c, a) => x[0]!.roll(a['shifts'], a['dims']),
  repeat: (x, _c, a) => x[0]!.repeat(a['sizes']),
  // indexing
  index: (x, c, a) => x[0]!.index(...subscript(a, c)),
  gather: (x, c, a) => x[0]!.gather(a['dim'], c[0]!),
  scatter: (x, c, a) => x[0]!.scatter(a['dim'], c[0]!, x[1]!),
  scatter_value: (x, c, a) => x[0]!.scatter(a['dim'], c[0]!, a['value']),
  scatter_add: (x, c, a) => x[0]!.scatterAdd(a['dim'], c[0]!, x[1]!),
  index_select: (x, c, a) => x[0]!.indexSelect(a['dim'], c[0]!),
  index_add: (x, c, a) => x[0]!.indexAdd(a['dim'], c[0]!, x[1]!),
  masked_fill: (x, c, a) => x[0]!.maskedFill(c[0]!, a['value']),
  take: (x, c) => x[0]!.take(c[0]!),
  // PyTorch's out-of-place x.index_put(indices, v) is x.clone()[indices] = v.
  index_put: (x, c, a) => x[0]!.clone().indexPut_(c, x[1]!, { accumulate: a['accumulate'] }),
};
for (const fn of UNARY) {
  OPS[fn] = (x) => (x[0] as unknown as Record<string, () => Tensor>)[fn]!.call(x[0]);
}

/**
 * grad_fn names are PyTorch's where Kindling records a node of its own for the op. These ops are
 * decompositions in Kindling (or one Kindling node stands for several PyTorch ones), so the name differs.
 */
const NAME_NOT_COMPARED: Record<string, string> = {
  rsub_scalar: 'PyTorch has rsub; Kindling computes s - x with sub (SubBackward0)',
  rdiv_scalar: 'PyTorch computes s / x as reciprocal(x) * s (MulBackward0); Kindling with div',
  mm: 'Kindling decomposes mm/matmul/mv/dot into bmm and views',
  matmul: 'decomposed into bmm and views',
  mv: 'decomposed into bmm and views',
  dot: 'decomposed into bmm and views',
  trace: 'Kindling: diagonal().sum()',
  std: 'Kindling: sqrt(var)',
  reshape: 'PyTorch 1.13 names it ReshapeAliasBackward0; Kindling reshape is view',
  reshape_t: 'PyTorch: UnsafeViewBackward0 of a clone; Kindling: view of a copy',
  transpose: 'Kindling transposes with permute',
  mT: 'Kindling transposes with permute',
  squeeze: 'Kindling squeezes with view',
  unsqueeze: 'Kindling unsqueezes with view',
  flatten: 'Kindling flattens with view',
  split: 'Kindling splits with narrow (SliceBackward0)',
  chunk: 'Kindling splits with narrow (SliceBackward0)',
  unbind: 'Kindling unbinds with select (SelectBackward0)',
  stack: 'Kindling: cat of unsqueezed views',
  roll: 'Kindling: cat of two narrows',
  repeat: 'Kindling: view/expand/copy/view',
  index_select: 'Kindling: the index op (IndexBackward0)',
  take: 'Kindling: the index op on a flattened view',
  index_add: 'Kindling: index_put with accumulate on a copy',
  masked_fill: 'Kindling: where(mask, value, x)',
  topk: 'Kindling: sort, then narrow (and a copy)',
};
const compareName = (op: string) => !(op in NAME_NOT_COMPARED);

// ---- helpers ----------------------------------------------------------------------------------------
function decode(v: Elem): number | boolean {
  if (typeof v !== 'string') return v;
  return v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === '-0' ? -0 : Number(v);
}

function build(t: TensorJson, device: torch.Device): Tensor {
  return torch.fromValues(t.values.map(decode), t.shape, t.dtype, device);
}

function leaf(t: TensorJson, device: torch.Device): Tensor {
  return build(t, device).requiresGrad_(true);
}

const asList = (r: Tensor | Tensor[]): Tensor[] => (Array.isArray(r) ? r : [r]);

/** The first element where `actual` differs from `expected` beyond the dtype's tolerance, or null. */
function mismatch(actual: Tensor | null, expected: TensorJson | null, what: string): string | null {
  if (expected === null) {
    if (actual === null) return null;
    // PyTorch says None (not in the graph); an all-zero gradient means the same.
    const nonzero = Array.from(actual.detach().reshape(-1).to('float64').dataSync() as Float64Array).some((v) => v !== 0);
    return nonzero ? `${what}: expected no gradient (None), got a nonzero one` : null;
  }
  if (actual === null) return `${what}: expected a gradient, got null`;
  if (actual.shape.join(',') !== expected.shape.join(',')) {
    return `${what}: shape [${actual.shape.join(', ')}], expected [${expected.shape.join(', ')}]`;
  }
  if (actual.dtype !== expected.dtype) return `${what}: dtype ${actual.dtype}, expected ${expected.dtype}`;
  const tol = TOLERANCE[expected.dtype];
  if (!tol) throw new Error(`no tolerance stated for ${expected.dtype}`);
  const got = Array.from(actual.detach().contiguous().reshape(-1).dataSync() as Float64Array);
  for (let i = 0; i < got.length; i++) {
    const a = got[i]!;
    const e = decode(expected.values[i]!) as number;
    const ok = Number.isNaN(e) ? Number.isNaN(a) : !Number.isFinite(e) ? a === e : Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
    if (!ok) return `${what}: element ${i} is ${a}, expected ${e} (rtol ${tol.rtol}, atol ${tol.atol})`;
  }
  return null;
}

function expectClose(actual: Tensor | null, expected: TensorJson | null, what: string): void {
  const m = mismatch(actual, expected, what);
  expect(m, m ?? '').toBeNull();
}

const counts = { cases: 0, forward: 0, firstOrder: 0, secondOrder: 0, names: 0, gradcheck: 0, gradgradcheck: 0 };

afterAll(() => {
  console.log(
    `autograd conformance: ${counts.cases} cases run on ${torch.registeredBackends().join(', ')}: ${counts.forward} forward, ${counts.firstOrder} first-order and ` +
      `${counts.secondOrder} second-order gradients against PyTorch ${areas[0]?.torch}, ${counts.names} grad_fn names, ` +
      `${counts.gradcheck} gradcheck and ${counts.gradgradcheck} gradgradcheck runs`,
  );
});

describe('autograd fixtures', () => {
  it('name only ops the table knows', () => {
    const unknown = areas.flatMap((a) => a.cases.filter((c) => !(c.op in OPS)).map((c) => c.id));
    expect(unknown).toEqual([]);
    expect(areas.length).toBeGreaterThan(0);
  });
});

for (const backend of torch.registeredBackends()) {
  const device = torch.device(backend);
  for (const area of areas) {
    describe(`autograd ${area.area} [${backend}]`, () => {
      for (const c of area.cases) {
        const op = OPS[c.op]!;
        it(c.id, () => {
          counts.cases++;
          const consts = c.consts.map((t) => build(t, device));
          // forward, grad_fn names, first-order gradients through tensor.backward()
          const xs = c.inputs.map((t) => leaf(t, device));
          const outs = asList(op(xs, consts, c.args));
          expect(outs.length).toBe(c.outputs.length);
          outs.forEach((o, k) => expectClose(o, c.outputs[k]!, `output ${k}`));
          counts.forward++;
          if (compareName(c.op)) {
            expect(outs.map((o) => o.gradFn?.name)).toEqual(c.gradFns);
            counts.names++;
          }
          outs.forEach((o, k) => o.backward(build(c.upstream[k]!, device), { retainGraph: k < outs.length - 1 }));
          xs.forEach((x, i) => expectClose(x.grad, c.grads[i]!, `grad of input ${i}`));
          counts.firstOrder++;

          // second order: d/dx <grad(out·u, x, createGraph), v>
          if (c.second) {
            const ys = c.inputs.map((t) => leaf(t, device));
            const ups = c.upstream.map((t) => build(t, device));
            const g1 = autograd.grad(asList(op(ys, consts, c.args)), ys, { gradOutputs: ups, createGraph: true, allowUnused: true });
            const terms = g1.flatMap((g, i) => (g && g.requiresGrad ? [g.mul(build(c.second!.v[i]!, device)).sum()] : []));
            expect(terms.length).toBeGreaterThan(0);
            const s = terms.reduce((p, q) => p.add(q));
            const g2 = autograd.grad(s, ys, { allowUnused: true });
            g2.forEach((g, i) => expectClose(g, c.second!.grads[i]!, `second-order grad of input ${i}`));
            counts.secondOrder++;
          }

          // finite differences, away from the non-differentiable points edge cases sit on
          if (!c.edge) {
            const zs = c.inputs.map((t) => leaf(t, device));
            const fn = (...ins: Tensor[]) => op(ins, consts, c.args);
            expect(autograd.gradcheck(fn, zs)).toBe(true);
            counts.gradcheck++;
            expect(autograd.gradgradcheck(fn, zs)).toBe(true);
            counts.gradgradcheck++;
          }
        });
      }
    });
  }
}
