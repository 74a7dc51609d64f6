// The engine, grad modes and custom Functions: handbook 11.1-11.3 in their TypeScript form, with the
// values and PyTorch error messages their comments and PyTorch 1.13 state, then the rest of the
// autograd surface a PyTorch user relies on.
import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';
import * as autograd from '@kindling/autograd';
import type { Tensor } from '@kindling/tensor';

const f32 = (v: number[], requiresGrad = false) => torch.tensor(v, { dtype: 'float32', requiresGrad });
const f64 = (v: number[], requiresGrad = false) => torch.tensor(v, { dtype: 'float64', requiresGrad });
const list = (t: Tensor | null) => (t === null ? null : (t.tolist() as number[]));
const close = (t: Tensor | null, expected: number[], digits = 6) => {
  expect(t).not.toBeNull();
  const got = list(t)!;
  expect(got.length).toBe(expected.length);
  got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, digits));
};
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

const SECOND_TIME = 'Trying to backward through the graph a second time';

describe('handbook 11.1: basic operations', () => {
  it('x ** 2 summed: dz/dx = 2x = [2, 4, 6]', () => {
    const x = f32([1.0, 2.0, 3.0], true);
    const y = x.pow(2);
    const z = y.sum();
    z.backward();
    expect(list(x.grad)).toEqual([2, 4, 6]);
    expect(x.grad!.dtype).toBe('float32');
    expect(x.grad!.requiresGrad).toBe(false);
  });

  it('requiresGrad_ after creation', () => {
    const x = torch.randn(3);
    expect(x.requiresGrad).toBe(false);
    expect(x.requiresGrad_(true)).toBe(x);
    expect(x.requiresGrad).toBe(true);
    expect(x.isLeaf).toBe(true);
    x.pow(2).sum().backward();
    close(x.grad, (x.tolist() as number[]).map((v) => 2 * v));
  });

  it('grad.zero_() clears it; a second backward accumulates (doubles) it', () => {
    const x = f32([1.0, 2.0, 3.0], true);
    const z = x.pow(2).sum();
    z.backward(null, { retainGraph: true });
    expect(list(x.grad)).toEqual([2, 4, 6]);
    x.grad!.zero_();
    expect(list(x.grad)).toEqual([0, 0, 0]);
    z.backward(null, { retainGraph: true });
    expect(list(x.grad)).toEqual([2, 4, 6]);
    z.backward();
    expect(list(x.grad)).toEqual([4, 8, 12]);
  });

  it('the handbook sequence taken literally (backward twice, no retain_graph) fails as in PyTorch', () => {
    const x = f32([1.0, 2.0, 3.0], true);
    const z = x.pow(2).sum();
    z.backward();
    x.grad!.zero_();
    expect(() => z.backward()).toThrow(SECOND_TIME);
    // ... while a fresh graph accumulates into the same .grad
    x.pow(2).sum().backward();
    x.pow(2).sum().backward();
    expect(list(x.grad)).toEqual([4, 8, 12]);
  });

  it('backward of a non-scalar needs a gradient; a tensor without history cannot backward', () => {
    const x = f32([1, 2], true);
    expect(() => x.mul(2).backward()).toThrow('grad can be implicitly created only for scalar outputs');
    expect(() => f32([1, 2]).sum().backward()).toThrow('element 0 of tensors does not require grad and does not have a grad_fn');
    expect(() => x.mul(2).backward(f32([1, 2, 3]))).toThrow('Mismatch in shape');
  });
});

describe('handbook 11.2: controlling gradients', () => {
  it('noGrad: operations are not recorded (function, guard and wrap forms)', () => {
    const x = f32([1, 2, 3], true);
    const y = autograd.noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(list(y)).toEqual([2, 4, 6]);
    {
      using _guard = autograd.noGrad();
      expect(autograd.isGradEnabled()).toBe(false);
      expect(x.mul(2).requiresGrad).toBe(false);
    }
    expect(autograd.isGradEnabled()).toBe(true);
    expect(x.mul(2).requiresGrad).toBe(true);
    const double = autograd.noGrad.wrap((t: Tensor) => t.mul(2));
    expect(double(x).requiresGrad).toBe(false);
    expect(autograd.isGradEnabled()).toBe(true);
    // the mode is restored when fn throws
    expect(() => autograd.noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(autograd.isGradEnabled()).toBe(true);
  });

  it('detach: a tensor sharing storage that does not require grad', () => {
    const x = f32([1, 2, 3], true);
    const y = x.detach();
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(y.isLeaf).toBe(true);
    expect(y.storageId).toBe(x.storageId);
    y.index(0).fill_(10);
    expect(list(x)).toEqual([10, 2, 3]);
  });

  it('enableGrad inside noGrad records again', () => {
    const x = f32([1, 2, 3], true);
    const y = autograd.noGrad(() => autograd.enableGrad(() => x.mul(2)));
    expect(y.requiresGrad).toBe(true);
    expect(y.gradFn?.name).toBe('MulBackward0');
    const n = autograd.noGrad(() => {
      using _g = autograd.enableGrad();
      return x.mul(2);
    });
    expect(n.requiresGrad).toBe(true);
  });

  it('setGradEnabled(false) / setGradEnabled(true)', () => {
    const x = f32([1, 2, 3], true);
    try {
      autograd.setGradEnabled(false);
      expect(autograd.isGradEnabled()).toBe(false);
      expect(x.mul(2).requiresGrad).toBe(false);
    } finally {
      autograd.setGradEnabled(true);
    }
    expect(autograd.isGradEnabled()).toBe(true);
    expect(x.mul(2).requiresGrad).toBe(true);
  });

  it('inferenceMode: results never enter autograd later', () => {
    const x = f32([1, 2, 3], true);
    const model = (t: Tensor) => t.mul(2).add(1);
    const y = autograd.inferenceMode(() => model(x));
    expect(y.requiresGrad).toBe(false);
    expect(y.isInference()).toBe(true);
    expect(autograd.isInferenceModeEnabled()).toBe(false);
    expect(list(y)).toEqual([3, 5, 7]);
    expect(() => x.mul(y)).toThrow('Inference tensors cannot be saved for backward. To work around you can make a clone to get a normal tensor and use it in autograd.');
    // a clone made outside inference mode is a normal tensor
    const c = y.clone();
    expect(c.isInference()).toBe(false);
    x.mul(c).sum().backward();
    expect(list(x.grad)).toEqual([3, 5, 7]);
  });
});

describe('handbook 11.3: advanced autograd', () => {
  it('higher derivatives: y = x³ at x = 1 gives grad1 = 3x² = 3 and grad2 = 6x = 6', () => {
    const x = f32([1.0], true);
    const y = x.pow(3);
    const [grad1] = autograd.grad(y, x, { createGraph: true });
    expect(list(grad1!)).toEqual([3]);
    expect(grad1!.requiresGrad).toBe(true);
    const [grad2] = autograd.grad(grad1!, x);
    expect(list(grad2!)).toEqual([6]);
  });

  it('a third derivative through createGraph: x⁴ → 4x³, 12x², 24x', () => {
    const x = f64([2.0, -1.5], true);
    const [g1] = autograd.grad(x.pow(4).sum(), x, { createGraph: true });
    close(g1!, [32, -13.5]);
    const [g2] = autograd.grad(g1!.sum(), x, { createGraph: true });
    close(g2!, [48, 27]);
    const [g3] = autograd.grad(g2!.sum(), x);
    close(g3!, [48, -36]);
    expect(g3!.requiresGrad).toBe(false);
  });

  it('vector-Jacobian product: y.backward(v) gives v · dy/dx', () => {
    const x = torch.randn(3, { requiresGrad: true });
    const y = x.pow(2);
    const v = f32([1.0, 0.1, 0.01]);
    y.backward(v);
    const xs = x.tolist() as number[];
    close(x.grad, xs.map((xi, i) => 2 * xi * [1, 0.1, 0.01][i]!));
  });

  it('grad_fn prints as <PowBackward0>', () => {
    const x = torch.randn(3, { requiresGrad: true });
    const y = x.pow(2);
    expect(String(y.gradFn)).toBe('<PowBackward0>');
    expect(y.gradFn!.name).toBe('PowBackward0');
    expect(x.gradFn).toBeNull();
  });

  it('retainGraph: a second backward works; without it, PyTorch’s error', () => {
    const x = f32([1, 2, 3], true);
    const y = x.pow(2);
    const v = f32([1.0, 0.1, 0.01]);
    y.backward(v, { retainGraph: true });
    y.backward(v);
    close(x.grad, [4, 0.8, 0.12]);
    expect(() => y.backward(v)).toThrow(SECOND_TIME);
    expect(() => autograd.grad(y.sum(), x)).toThrow(SECOND_TIME);
  });

  it('registerHook sees the gradient, can replace it, and handle.remove() stops it', () => {
    const x = f32([1, 2, 3], true);
    const seen: number[][] = [];
    const printGrad = (grad: Tensor) => {
      seen.push(grad.tolist() as number[]);
    };
    const handle = x.registerHook(printGrad);
    x.pow(2).sum().backward();
    expect(seen).toEqual([[2, 4, 6]]);
    expect(list(x.grad)).toEqual([2, 4, 6]);

    handle.remove();
    x.grad = null;
    const doubling = x.registerHook((g) => g.mul(2));
    x.pow(2).sum().backward();
    expect(seen.length).toBe(1);
    expect(list(x.grad)).toEqual([4, 8, 12]);
    doubling.remove();
    x.grad = null;
    x.pow(2).sum().backward();
    expect(list(x.grad)).toEqual([2, 4, 6]);

    // on a non-leaf, the hook changes what flows further back
    const w = f32([1, 1], true);
    const h = w.mul(3);
    h.registerHook((g) => g.mul(10));
    h.sum().backward();
    expect(list(w.grad)).toEqual([30, 30]);
    expect(() => f32([1]).registerHook(() => undefined)).toThrow("cannot register a hook on a tensor that doesn't require gradient");
  });
});

describe('leaves, non-leaves and the graph', () => {
  it('retainGrad keeps the gradient of a non-leaf', () => {
    const x = f32([1, 2, 3], true);
    const y = x.mul(2);
    const u = x.mul(2);
    expect(y.retainsGrad).toBe(false);
    y.retainGrad();
    expect(y.retainsGrad).toBe(true);
    y.pow(2).sum().add(u.sum()).backward();
    expect(list(y.grad)).toEqual([4, 8, 12]);
    expect(u.grad).toBeNull();
    expect(list(x.grad)).toEqual([10, 18, 26]);
    expect(() => f32([1]).retainGrad()).toThrow("can't retain_grad on Tensor that has requires_grad=False");
  });

  it('isLeaf and requiresGrad_', () => {
    const x = f32([1, 2], true);
    const y = x.mul(2);
    expect(x.isLeaf).toBe(true);
    expect(y.isLeaf).toBe(false);
    expect(f32([1]).isLeaf).toBe(true);
    expect(y.detach().isLeaf).toBe(true);
    expect(() => torch.tensor([1, 2]).requiresGrad_()).toThrow('only Tensors of floating point dtype can require gradients');
    expect(() => y.requiresGrad_(false)).toThrow('you can only change requires_grad flags of leaf variables.');
    expect(x.requiresGrad_(false).requiresGrad).toBe(false);
  });

  it('nextFunctions: the graph of x * w + 1', () => {
    const x = f32([1, 2], true);
    const w = f32([3, 4], true);
    const z = x.mul(w).add(1);
    const add = z.gradFn!;
    expect(add.name).toBe('AddBackward0');
    expect(add.nextFunctions.length).toBe(2);
    const [mulEdge, constEdge] = add.nextFunctions;
    expect(mulEdge![0]!.name).toBe('MulBackward0');
    expect(mulEdge![1]).toBe(0);
    expect(constEdge![0]).toBeNull();
    const [ex, ew] = mulEdge![0]!.nextFunctions;
    expect(ex![0]!.name).toBe('AccumulateGrad');
    expect((ex![0] as autograd.AccumulateGrad).variable).toBe(x);
    expect((ew![0] as autograd.AccumulateGrad).variable).toBe(w);
    // one accumulator per leaf, shared by every use
    expect(x.mul(3).gradFn!.nextFunctions[0]![0]).toBe(ex![0]);
    // multi-output ops: the edge records which output
    const parts = f32([1, 2, 3, 4], true).mul(1).split(2);
    expect(parts[1]!.gradFn!.name).toBe('SliceBackward0');
  });

  it('detach_ turns a non-leaf into a leaf that does not require grad', () => {
    const x = f32([1, 2], true);
    const y = x.mul(2);
    expect(y.detach_()).toBe(y);
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(y.isLeaf).toBe(true);
    expect(y.mul(3).requiresGrad).toBe(false);
  });

  it('autograd.grad: allowUnused gives null; otherwise PyTorch’s error', () => {
    const x = f32([1, 2, 3], true);
    const w = f32([1, 1, 1], true);
    const [gx, gw] = autograd.grad(x.mul(2).sum(), [x, w], { allowUnused: true });
    expect(list(gx!)).toEqual([2, 2, 2]);
    expect(gw).toBeNull();
    expect(() => autograd.grad(x.mul(2).sum(), [x, w])).toThrow('appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.');
    // grad does not touch .grad
    expect(x.grad).toBeNull();
    expect(() => autograd.grad(x.mul(2).sum(), f32([1]))).toThrow('does not require grad');
  });

  it('backward({ inputs }) accumulates only into the named leaves', () => {
    const x = f32([1, 2], true);
    const w = f32([3, 4], true);
    x.mul(w).sum().backward(null, { inputs: [w] });
    expect(list(w.grad)).toEqual([1, 2]);
    expect(x.grad).toBeNull();
  });
});

describe('grad modes across await', () => {
  it('a noGrad scope keeps its mode across awaits and does not leak into a concurrent task', async () => {
    const x = f32([1, 2, 3], true);
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));

    const inside = autograd.noGrad(async () => {
      order.push('inside:start');
      await gate; // the other task runs while this one is suspended in noGrad
      const a = x.mul(2);
      await tick();
      const b = x.mul(2);
      order.push('inside:end');
      return { enabled: autograd.isGradEnabled(), a: a.requiresGrad, b: b.requiresGrad };
    });
    const outside = (async () => {
      order.push('outside:start');
      await tick();
      const a = x.mul(2);
      const enabledA = autograd.isGradEnabled();
      release();
      await tick();
      await tick();
      const b = x.mul(2);
      order.push('outside:end');
      return { enabled: enabledA && autograd.isGradEnabled(), a: a.requiresGrad, b: b.requiresGrad };
    })();
    // while `inside` is suspended, the caller itself is not in noGrad either
    expect(autograd.isGradEnabled()).toBe(true);
    const [i, o] = await Promise.all([inside, outside]);
    expect(i).toEqual({ enabled: false, a: false, b: false });
    expect(o).toEqual({ enabled: true, a: true, b: true });
    expect(order.indexOf('outside:start')).toBeLessThan(order.indexOf('inside:end'));
    expect(autograd.isGradEnabled()).toBe(true);
  });

  it('setGradEnabled inside an async scope stays in that scope', async () => {
    const x = f32([1], true);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const scoped = autograd.enableGrad(async () => {
      autograd.setGradEnabled(false);
      await gate;
      return x.mul(2).requiresGrad;
    });
    await tick();
    expect(autograd.isGradEnabled()).toBe(true);
    expect(x.mul(2).requiresGrad).toBe(true);
    release();
    expect(await scoped).toBe(false);
    expect(autograd.isGradEnabled()).toBe(true);
  });

  it('noGrad.wrap of an async function', async () => {
    const x = f32([1], true);
    const step = autograd.noGrad.wrap(async (t: Tensor) => {
      await tick();
      return t.mul(2);
    });
    const [r, plain] = await Promise.all([step(x), (async () => { await tick(); return x.mul(2); })()]);
    expect(r.requiresGrad).toBe(false);
    expect(plain.requiresGrad).toBe(true);
  });
});

describe('in-place operations', () => {
  it('modifying a tensor saved for backward is caught at backward time', () => {
    const x = f32([1, 2, 3], true);
    const y = x.exp(); // ExpBackward0 saves its output
    y.add_(1);
    expect(y.gradFn!.name).toBe('AddBackward0');
    expect(() => y.sum().backward()).toThrow(
      'one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead.',
    );
  });

  it('an in-place op on a leaf that requires grad is refused, except under noGrad', () => {
    const x = f32([1, 2, 3], true);
    expect(() => x.add_(1)).toThrow('a leaf Variable that requires grad is being used in an in-place operation.');
    expect(list(x)).toEqual([1, 2, 3]);
    autograd.noGrad(() => x.sub_(1));
    expect(list(x)).toEqual([0, 1, 2]);
  });

  it('in-place ops on non-leaves are recorded and differentiate correctly', () => {
    const x = f64([1, 2, 3], true);
    const y = x.mul(2);
    y.mul_(y); // needs the old y: saved before it is overwritten
    y.sum().backward();
    close(x.grad, [8, 16, 24]);
    expect(autograd.gradcheck((t) => { const u = t.mul(2); u.mul_(u); return u.add_(t); }, [f64([0.5, -1.5], true)])).toBe(true);
  });
});

describe('custom Function', () => {
  class Exp extends autograd.Function {
    static override forward(ctx: autograd.FunctionCtx, i: Tensor): Tensor {
      const result = i.exp();
      ctx.saveForBackward(result);
      return result;
    }
    static override backward(ctx: autograd.FunctionCtx, gradOutput: Tensor | null): Tensor | null {
      const [result] = ctx.savedTensors;
      return gradOutput!.mul(result!);
    }
  }
  class WrongExp extends Exp {
    static override backward(ctx: autograd.FunctionCtx, gradOutput: Tensor | null): Tensor | null {
      const [result] = ctx.savedTensors;
      return gradOutput!.mul(result!).mul(1.01);
    }
  }
  class MulConst extends autograd.Function {
    static override forward(ctx: autograd.FunctionCtx, a: Tensor, k: number, b: Tensor): Tensor {
      ctx['k'] = k;
      ctx.saveForBackward(a, b);
      return a.mul(b).mul(k);
    }
    static override backward(ctx: autograd.FunctionCtx, g: Tensor | null): (Tensor | null)[] {
      const [a, b] = ctx.savedTensors;
      const k = ctx['k'] as number;
      return [ctx.needsInputGrad[0] ? g!.mul(b!).mul(k) : null, null, ctx.needsInputGrad[2] ? g!.mul(a!).mul(k) : null];
    }
  }

  it('apply records a node named after the class; backward uses the saved tensors', () => {
    const x = f64([0, 1, -1], true);
    const y = Exp.apply(x) as Tensor;
    expect(y.gradFn!.name).toBe('ExpBackward');
    expect(y.requiresGrad).toBe(true);
    y.sum().backward();
    close(x.grad, [1, Math.E, 1 / Math.E]);
  });

  it('is checked by gradcheck and gradgradcheck; a wrong backward fails gradcheck', () => {
    const x = f64([0.3, -0.7, 1.1], true);
    expect(autograd.gradcheck((t) => Exp.apply(t) as Tensor, [x])).toBe(true);
    expect(autograd.gradgradcheck((t) => Exp.apply(t) as Tensor, [x])).toBe(true);
    expect(autograd.gradcheck((t) => WrongExp.apply(t) as Tensor, [x], { raiseException: false })).toBe(false);
    expect(() => autograd.gradcheck((t) => WrongExp.apply(t) as Tensor, [x])).toThrow('Jacobian mismatch');
  });

  it('non-tensor arguments, needsInputGrad and per-argument gradients', () => {
    const a = f64([1, 2], true);
    const b = f64([3, 4]);
    const ctxSeen: boolean[][] = [];
    class Spy extends MulConst {
      static override forward(ctx: autograd.FunctionCtx, x: Tensor, k: number, y: Tensor): Tensor {
        ctxSeen.push([...ctx.needsInputGrad]);
        return super.forward(ctx, x, k, y);
      }
    }
    const out = Spy.apply(a, 2, b) as Tensor;
    expect(ctxSeen).toEqual([[true, false, false]]);
    out.sum().backward();
    close(a.grad, [6, 8]);
    expect(b.grad).toBeNull();
    expect(autograd.gradcheck((p, q) => MulConst.apply(p, 0.5, q) as Tensor, [f64([1, 2], true), f64([-1, 3], true)])).toBe(true);
  });

  it('frees what forward saved after backward: a second backward is PyTorch’s error', () => {
    const x = f64([0.5], true);
    const y = Exp.apply(x) as Tensor;
    y.sum().backward(null, { retainGraph: true });
    y.sum().backward();
    close(x.grad, [2 * Math.exp(0.5)]);
    expect(() => y.sum().backward()).toThrow(SECOND_TIME);
  });

  it('no node when no input requires grad, or under noGrad', () => {
    expect((Exp.apply(f64([1])) as Tensor).gradFn).toBeNull();
    expect((autograd.noGrad(() => Exp.apply(f64([1], true))) as Tensor).requiresGrad).toBe(false);
  });

  it('a forward that returns its input unchanged does not rewrite the input’s history', () => {
    class Identity extends autograd.Function {
      static override forward(_ctx: autograd.FunctionCtx, i: Tensor): Tensor {
        return i;
      }
      static override backward(_ctx: autograd.FunctionCtx, g: Tensor | null): Tensor | null {
        return g!.mul(3);
      }
    }
    const x = f64([1, 2], true);
    const y = Identity.apply(x) as Tensor;
    expect(x.isLeaf).toBe(true);
    expect(x.gradFn).toBeNull();
    expect(y).not.toBe(x);
    expect(y.gradFn!.name).toBe('IdentityBackward');
    y.sum().backward();
    close(x.grad, [3, 3]);
  });
});

describe('gradcheck', () => {
  it('passes on correct derivatives and works on non-contiguous inputs', () => {
    const a = torch.randn([3, 4], { dtype: 'float64' }).requiresGrad_();
    const t = torch.randn([4, 3], { dtype: 'float64' }).t().requiresGrad_();
    expect(t.isContiguous()).toBe(false);
    expect(autograd.gradcheck((p, q) => p.mul(q).sin().sum(1), [a, t])).toBe(true);
    expect(autograd.gradgradcheck((p, q) => p.mul(q).sin().sum(1), [a, t])).toBe(true);
  });
});

describe('gradient accumulation inside the engine', () => {
  it('a grad handed to several inputs is never added into in place', () => {
    // p = q + r gives the same grad tensor (itself a sum the engine made) to q and r; each then
    // receives another grad. Summing into that shared tensor would change the other's grad too.
    for (const order of [0, 1]) {
      const x = torch.tensor([1, 2, 3], { dtype: 'float64' }).requiresGrad_();
      const q = x.mul(2);
      const r = x.mul(5);
      const p = q.add(r);
      const parts = [p.add(p).sum(), q.mul(7).sum().add(r.mul(11).sum())];
      const loss = order ? parts[1]!.add(parts[0]!) : parts[0]!.add(parts[1]!);
      loss.backward();
      // d/dx = 2·(2 + 7) + 5·(2 + 11)
      expect(x.grad!.tolist()).toEqual([83, 83, 83]);
    }
  });

  it('per-step slices of one input add up to its grad, as a sum of the pieces', () => {
    const x = torch.arange(12, { dtype: 'float64' }).reshape([4, 3]).requiresGrad_();
    let total = torch.tensor(0, { dtype: 'float64' });
    for (let t = 0; t < 4; t++) total = total.add(x.select(0, t).mul(t + 1).sum()).add(x.narrow(0, t, 1).sum());
    total.backward();
    expect(x.grad!.tolist()).toEqual([[2, 2, 2], [3, 3, 3], [4, 4, 4], [5, 5, 5]]);
  });
});
