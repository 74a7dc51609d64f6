// torch.autocast on cpu with bfloat16 against PyTorch 1.13 (fixtures/amp/autocast_cpu.json, written by
// scripts/gen_amp_fixtures.py). Tolerances, per dtype, are torch.testing.assert_close's defaults:
//   float32 rtol 1.3e-6, atol 1e-5;  bfloat16 rtol 1.6e-2, atol 1e-5;  float64 rtol 1e-7, atol 1e-7.
// A float32 value computed from bfloat16 intermediates (a loss or gradient through a bfloat16 matmul)
// carries bfloat16's rounding, so it is compared with bfloat16's tolerance.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';

const F = torch.nn.functional;

interface T { dtype: torch.DType; shape: number[]; values: (number | string)[] }
interface Case { id: string; inputs: Record<string, T>; outputs: Record<string, T> }
const fixture = JSON.parse(readFileSync(new URL('../../../fixtures/amp/autocast_cpu.json', import.meta.url), 'utf8')) as { cases: Case[] };
const byId = new Map(fixture.cases.map((c) => [c.id, c]));
const get = (id: string): Case => {
  const c = byId.get(id);
  if (!c) throw new Error(`fixture case ${id} is missing`);
  return c;
};

const TOL: Record<string, { rtol: number; atol: number }> = {
  float32: { rtol: 1.3e-6, atol: 1e-5 },
  bfloat16: { rtol: 1.6e-2, atol: 1e-5 },
  float64: { rtol: 1e-7, atol: 1e-7 },
};

const num = (v: number | string) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v));
function make(t: T, requiresGrad = false): torch.Tensor {
  const x = torch.tensor(t.values.map(num), { dtype: t.dtype }).reshape(t.shape);
  return requiresGrad ? x.requiresGrad_() : x;
}
function inputs(c: Case, requiresGrad = false): Record<string, torch.Tensor> {
  return Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, make(v, requiresGrad)]));
}
/** Compare dtype, shape and values; `tol` names the dtype whose tolerance applies (default: the result's). */
function expectClose(actual: torch.Tensor | null, expected: T, tol: string = expected.dtype): void {
  expect(actual).not.toBeNull();
  expect(actual!.dtype).toBe(expected.dtype);
  expect(actual!.shape).toEqual(expected.shape);
  const { rtol, atol } = TOL[tol]!;
  const got = Array.from(actual!.detach().to('float64').reshape(-1).dataSync() as Float64Array);
  const want = expected.values.map(num);
  const bad = got.flatMap((g, i) => (Math.abs(g - want[i]!) <= atol + rtol * Math.abs(want[i]!) ? [] : [`[${i}] ${g} vs ${want[i]}`]));
  expect(bad, `beyond rtol ${rtol} atol ${atol}`).toEqual([]);
}

const cpuBf16 = { deviceType: 'cpu', dtype: 'bfloat16' } as const;

describe('torch.autocast (cpu, bfloat16) against PyTorch 1.13', () => {
  it('runs the lower-precision ops in bfloat16: mm, bmm, matmul', () => {
    for (const [id, f] of [
      ['mm', (a: torch.Tensor, b: torch.Tensor) => torch.mm(a, b)],
      ['bmm', (a: torch.Tensor, b: torch.Tensor) => torch.bmm(a, b)],
      ['matmul_3d_2d', (a: torch.Tensor, b: torch.Tensor) => torch.matmul(a, b)],
      // Mixed dtypes: tensor's matmul checks its operands' dtypes before it reaches the bmm the dispatcher
      // casts, so the composite is entered through autocastOp, as PyTorch casts at `matmul`.
      ['matmul_bf16_fp32', (a: torch.Tensor, b: torch.Tensor) => torch.autocastOp('matmul', [a, b], (x, y) => x.matmul(y))],
    ] as const) {
      const c = get(id);
      const { a, b } = inputs(c);
      const out = torch.autocast(cpuBf16, () => f(a!, b!));
      expectClose(out, c.outputs['out']!);
      // Outside the region the same call runs as given.
      if (a!.dtype === b!.dtype) expect(f(a!, b!).dtype).toBe('float32');
    }
  });

  it('casts at the op the user called: F.linear and F.conv2d (with bias) give bfloat16 results', () => {
    const lin = get('linear_nobias');
    const { x, w } = inputs(lin);
    expectClose(torch.autocast(cpuBf16, () => F.linear(x!, w!)), lin.outputs['out']!);
    const linb = get('linear_bias');
    const i2 = inputs(linb);
    expectClose(
      torch.autocast(cpuBf16, () => F.linear(i2['x']!, i2['w']!, i2['b']!)),
      linb.outputs['out']!,
    );
    const conv = get('conv2d');
    const i3 = inputs(conv);
    expectClose(
      torch.autocast(cpuBf16, () => F.conv2d(i3['x']!, i3['w']!, i3['b']!, { padding: 1 })),
      conv.outputs['out']!,
    );
  });

  it('modules cast too: nn.Linear and nn.Conv2d give bfloat16, the losses float32, gradients float32', () => {
    torch.manualSeed(0);
    const lin = new torch.nn.Linear(6, 4);
    const conv = new torch.nn.Conv2d(2, 3, 3, { padding: 1 });
    const x = torch.randn(5, 6);
    const img = torch.randn(2, 2, 5, 5);
    const target = torch.tensor([0, 3, 1, 2, 3]);
    const loss = torch.autocast(cpuBf16, () => {
      const logits = lin.forward(x);
      expect(logits.dtype).toBe('bfloat16');
      expect(conv.forward(img).dtype).toBe('bfloat16');
      const l = F.crossEntropy(logits, target);
      expect(l.dtype).toBe('float32');
      expect(F.nllLoss(F.logSoftmax(logits, 1), target).dtype).toBe('float32');
      expect(F.mseLoss(logits, torch.zeros(5, 4, { dtype: 'bfloat16' })).dtype).toBe('float32');
      return l;
    });
    loss.backward();
    expect(lin.weight.grad!.dtype).toBe('float32');
    expect(lin.weight.grad!.abs().sum().item()).toBeGreaterThan(0);
  });

  it('matmul and mm take mixed float32/bfloat16 operands under cpu autocast; mv (not on the cpu list) does not, as PyTorch', () => {
    torch.manualSeed(1);
    const a = torch.randn(3, 4);
    const b = torch.randn(4, 2).to('bfloat16');
    const v = torch.randn(4).to('bfloat16');
    expect(() => a.matmul(b)).toThrow(); // outside autocast: different dtypes are an error
    torch.autocast(cpuBf16, () => {
      for (const r of [a.matmul(b), torch.mm(a, b)]) expect(r.dtype).toBe('bfloat16');
      expect(() => torch.mv(a, v)).toThrow(/expected scalar type Float but found BFloat16/);
    });
    const exact = a.to('bfloat16').to('float32').matmul(b.to('float32')).to('bfloat16');
    expect(torch.autocast(cpuBf16, () => a.matmul(b)).tolist()).toEqual(exact.tolist());
  });

  it('runs the float32 list in float32, promotes cat, leaves unlisted ops and float64 alone', () => {
    const prod = get('prod_bf16');
    expectClose(torch.autocast(cpuBf16, () => torch.prod(inputs(prod)['a']!)), prod.outputs['out']!);
    const mse = get('mse_loss_bf16');
    const m = inputs(mse);
    expectClose(torch.autocast(cpuBf16, () => F.mseLoss(m['a']!, m['b']!)), mse.outputs['out']!);
    const cat = get('cat_promote');
    const ci = inputs(cat);
    expectClose(torch.autocast(cpuBf16, () => torch.cat([ci['a']!, ci['b']!])), cat.outputs['out']!);
    const exp = get('exp_unlisted');
    expectClose(torch.autocast(cpuBf16, () => torch.exp(inputs(exp)['a']!)), exp.outputs['out']!);
    const f64 = get('mm_float64');
    const d = inputs(f64);
    expectClose(torch.autocast(cpuBf16, () => torch.mm(d['a']!, d['b']!)), f64.outputs['out']!);
  });

  it('sends gradients back through the casts: float32 leaves get float32 gradients', () => {
    const c = get('mm_backward');
    const { a, b } = inputs(c, true);
    const weights = torch.linspace(-1, 1, 20).reshape([4, 5]);
    let y!: torch.Tensor;
    const loss = torch.autocast(cpuBf16, () => {
      y = torch.mm(a!, b!);
      return y.float().mul(weights).sum();
    });
    loss.backward();
    expectClose(y, c.outputs['y']!);
    expectClose(loss, c.outputs['loss']!, 'bfloat16');
    expectClose(a!.grad, c.outputs['a.grad']!, 'bfloat16');
    expectClose(b!.grad, c.outputs['b.grad']!, 'bfloat16');
  });

  it('trains through a two-layer MLP: forward in bfloat16, float32 gradients matching PyTorch', () => {
    const c = get('mlp');
    const i = inputs(c);
    const x = i['x']!;
    const p = Object.fromEntries(['l1.weight', 'l1.bias', 'l2.weight', 'l2.bias'].map((k) => [k, i[k]!.requiresGrad_()]));
    // F.linear as autocast sees it (PyTorch casts at `linear`): inputs cast once, the bias added in bfloat16.
    const linear = (v: torch.Tensor, w: torch.Tensor, b: torch.Tensor) => F.linear(v, w, b);
    let h!: torch.Tensor;
    let out!: torch.Tensor;
    const loss = torch.autocast(cpuBf16, () => {
      h = F.relu(linear(x, p['l1.weight']!, p['l1.bias']!));
      out = linear(h, p['l2.weight']!, p['l2.bias']!);
      return out.float().pow(2).mean();
    });
    loss.backward();
    expectClose(h, c.outputs['h']!);
    expectClose(out, c.outputs['out']!);
    expectClose(loss, c.outputs['loss']!, 'bfloat16');
    for (const k of ['l1.weight', 'l1.bias', 'l2.weight', 'l2.bias']) expectClose(p[k]!.grad, c.outputs[`${k}.grad`]!, 'bfloat16');
  });
});

describe('autocast state', () => {
  it('is scoped: guard (`using`), function form, nesting with enabled: false, and the is/get functions', () => {
    expect(torch.isAutocastCpuEnabled()).toBe(false);
    expect(torch.getAutocastCpuDtype()).toBe('bfloat16');
    const a = torch.randn(2, 3);
    const b = torch.randn(3, 2);
    {
      using _ = torch.autocast(cpuBf16);
      expect(torch.isAutocastCpuEnabled()).toBe(true);
      expect(torch.isAutocastEnabled()).toBe(false); // PyTorch's name refers to CUDA
      expect(torch.mm(a, b).dtype).toBe('bfloat16');
      torch.autocast({ deviceType: 'cpu', enabled: false }, () => {
        expect(torch.isAutocastCpuEnabled()).toBe(false);
        expect(torch.mm(a, b).dtype).toBe('float32');
      });
      expect(torch.mm(a, b).dtype).toBe('bfloat16');
    }
    expect(torch.isAutocastCpuEnabled()).toBe(false);
    expect(torch.mm(a, b).dtype).toBe('float32');
    // An error inside the region leaves the state as it was.
    expect(() => torch.autocast(cpuBf16, () => { throw new Error('boom'); })).toThrow('boom');
    expect(torch.isAutocastCpuEnabled()).toBe(false);
  });

  it('holds across await, and concurrent work outside the region does not see it', async () => {
    const a = torch.randn(2, 2);
    const inside = torch.autocast(cpuBf16, async () => {
      await new Promise((r) => setTimeout(r, 5));
      return [torch.isAutocastCpuEnabled(), torch.mm(a, a).dtype] as const;
    });
    const outside = (async () => {
      await new Promise((r) => setTimeout(r, 1));
      return [torch.isAutocastCpuEnabled(), torch.mm(a, a).dtype] as const;
    })();
    expect(await inside).toEqual([true, 'bfloat16']);
    expect(await outside).toEqual([false, 'float32']);
    expect(torch.isAutocastCpuEnabled()).toBe(false);
  });

  it('disables a cuda region with a warning where CUDA is not available, as PyTorch', async () => {
    const warned: string[] = [];
    const onWarn = (w: Error) => warned.push(w.message);
    process.on('warning', onWarn);
    expect(torch.autocast({ deviceType: 'cuda' }, () => torch.isAutocastEnabled())).toBe(false);
    await new Promise((r) => setTimeout(r, 0));
    process.off('warning', onWarn);
    expect(warned.join('\n')).toContain("User provided device_type of 'cuda', but CUDA is not available. Disabling");
  });

  it('with a cuda backend registered, a cuda region is on (float16 by default) and leaves cpu tensors alone', () => {
    torch.registerBackend('cuda', { ...torch.getBackend('cpu'), type: 'cuda', deviceCount: () => 1 } as torch.Backend);
    try {
      const a = torch.randn(2, 2);
      expect(torch.autocast({ deviceType: 'cuda' }, () => torch.mm(a, a).dtype)).toBe('float32');
      expect(torch.autocast({ deviceType: 'cuda' }, () => [torch.isAutocastEnabled(), torch.isAutocastCpuEnabled()])).toEqual([true, false]);
      expect(torch.autocast({ deviceType: 'cuda' }, () => torch.getAutocastGpuDtype())).toBe('float16');
      expect(torch.cuda.amp.autocast({}, () => [torch.isAutocastEnabled(), torch.getAutocastGpuDtype()])).toEqual([true, 'float16']);
      expect(torch.cuda.amp.autocast({ dtype: 'bfloat16' }, () => torch.getAutocastGpuDtype())).toBe('bfloat16');
    } finally {
      torch.registry.backends.delete('cuda');
    }
  });

  it('caches the cast of a float32 leaf weight within a region, and not across regions', () => {
    const w = torch.randn(3, 3).requiresGrad_();
    const x = torch.randn(2, 3);
    type N = { nextFunctions: [N | null, number][] };
    const nodes = (t: torch.Tensor): Set<N> => {
      const seen = new Set<N>();
      const walk = (n: N | null) => {
        if (!n || seen.has(n)) return;
        seen.add(n);
        for (const [m] of n.nextFunctions) walk(m);
      };
      walk(t.gradFn as unknown as N);
      return seen;
    };
    const shared = (p: Set<N>, q: Set<N>) => [...p].filter((n) => q.has(n)).length;
    const lin = (v: torch.Tensor, ww: torch.Tensor) => torch.autocastOp('linear', [v, ww], (p, q) => F.linear(p, q));
    let y1!: torch.Tensor, y2!: torch.Tensor;
    torch.autocast(cpuBf16, () => {
      y1 = lin(x, w);
      y2 = lin(x, w);
    });
    // One cast of w (and the leaf's accumulator behind it) serves both products.
    expect(shared(nodes(y1), nodes(y2))).toBeGreaterThanOrEqual(1);
    const n1 = nodes(y1);
    const y3 = torch.autocast(cpuBf16, () => lin(x, w));
    const y4 = torch.autocast({ ...cpuBf16, cacheEnabled: false }, () => {
      lin(x, w);
      return lin(x, w);
    });
    // A new region casts again: only the leaf's own accumulator (if any) is common.
    const base = shared(nodes(torch.autocast({ deviceType: 'cpu', enabled: false }, () => lin(x, w))), n1);
    expect(shared(nodes(y3), n1)).toBe(base);
    expect(shared(nodes(y4), n1)).toBe(base);
    expect(shared(nodes(y1), nodes(y2))).toBeGreaterThan(base);
  });

  it('refuses what PyTorch refuses: unknown device types; non-bfloat16 cpu autocast is disabled with a warning', () => {
    expect(() => torch.autocast({ deviceType: 'tpu' }, () => 0)).toThrow(/device_type must be 'cuda' or 'cpu', but got tpu/);
    const a = torch.randn(2, 2);
    const warned: string[] = [];
    const onWarn = (w: Error) => warned.push(w.message);
    process.on('warning', onWarn);
    const dtype = torch.autocast({ deviceType: 'cpu', dtype: 'float16' }, () => [torch.isAutocastCpuEnabled(), torch.mm(a, a).dtype]);
    expect(dtype).toEqual([false, 'float32']);
    return new Promise<void>((resolve) => setTimeout(() => {
      process.off('warning', onWarn);
      expect(warned.join('\n')).toMatch(/CPU Autocast only supports dtype of torch.bfloat16/);
      resolve();
    }, 0));
  });

  it('exposes torch.amp.autocast, torch.cpu.amp.autocast and torch.cuda.amp.autocast', () => {
    const a = torch.randn(2, 2);
    expect(torch.amp.autocast(cpuBf16, () => torch.mm(a, a).dtype)).toBe('bfloat16');
    expect(torch.cpu.amp.autocast({}, () => torch.mm(a, a).dtype)).toBe('bfloat16');
    expect(torch.cpu.amp.autocast(() => torch.mm(a, a).dtype)).toBe('bfloat16');
    expect(torch.cpu.amp.autocast({ enabled: false }, () => torch.mm(a, a).dtype)).toBe('float32');
    {
      using _ = torch.cpu.amp.autocast();
      expect(torch.mm(a, a).dtype).toBe('bfloat16');
    }
    expect(torch.mm(a, a).dtype).toBe('float32');
    expect(torch.AUTOCAST_OP_LISTS.cpu.lower_precision_fp).toContain('linear');
    expect(torch.autocastPolicy('cpu', 'bmm')).toBe('lower_precision_fp');
    expect(torch.autocastPolicy('cuda', 'exp')).toBe('fp32');
    expect(torch.autocastPolicy('cpu', 'exp')).toBeUndefined();
  });
});
