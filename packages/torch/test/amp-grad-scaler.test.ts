// GradScaler against PyTorch 1.13's algorithm (fixtures/amp/grad_scaler.json, written by
// scripts/gen_amp_fixtures.py, which emulates torch.cuda.amp.GradScaler with plain tensor ops because
// 1.13 only runs it on CUDA). Scales, skips and growth trackers are compared exactly; parameters
// with float32's tolerance (rtol 1.3e-6, atol 1e-5, torch.testing's defaults).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';

interface T { dtype: torch.DType; shape: number[]; values: (number | string)[] }
interface Step { loss: number; scaled_loss: number | string; skipped: boolean; scale: number; growth_tracker: number; w: T; b: T }
interface Trajectory {
  id: string; optimizer: 'SGD' | 'Adam'; optimizer_options: Record<string, number>;
  scaler_options: { init_scale?: number; growth_factor?: number; backoff_factor?: number; growth_interval?: number };
  explicit_unscale: boolean; clip_grad_norm: number | null; inject: Record<string, [number, number | string]>;
  init: { w: T; b: T }; xs: T[]; ys: T[]; steps: Step[];
}
const fixture = JSON.parse(readFileSync(new URL('../../../fixtures/amp/grad_scaler.json', import.meta.url), 'utf8')) as { trajectories: Trajectory[] };

const num = (v: number | string) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v));
const make = (t: T) => torch.tensor(t.values.map(num), { dtype: t.dtype }).reshape(t.shape);
function expectClose(actual: torch.Tensor, expected: T): void {
  const got = Array.from(actual.detach().to('float64').reshape(-1).dataSync() as Float64Array);
  const want = expected.values.map(num);
  const bad = got.flatMap((g, i) => (Math.abs(g - want[i]!) <= 1e-5 + 1.3e-6 * Math.abs(want[i]!) ? [] : [`[${i}] ${g} vs ${want[i]}`]));
  expect(bad).toEqual([]);
}

describe('GradScaler against PyTorch 1.13 (emulated on cpu)', () => {
  for (const tr of fixture.trajectories) {
    it(`${tr.id}: scale sequence, skipped steps and parameters`, () => {
      const w = make(tr.init.w).requiresGrad_();
      const b = make(tr.init.b).requiresGrad_();
      const o = tr.optimizer_options;
      const opt = tr.optimizer === 'SGD' ? new torch.optim.SGD([w, b], { lr: o['lr']!, momentum: o['momentum'] ?? 0 }) : new torch.optim.Adam([w, b], { lr: o['lr']! });
      const so = tr.scaler_options;
      const scaler = new torch.amp.GradScaler({
        initScale: so.init_scale, growthFactor: so.growth_factor, backoffFactor: so.backoff_factor, growthInterval: so.growth_interval,
      });
      tr.steps.forEach((want, i) => {
        opt.zeroGrad();
        const x = make(tr.xs[i]!);
        const y = make(tr.ys[i]!);
        const loss = x.matmul(w.T).add(b).sub(y).pow(2).mean();
        const scaled = scaler.scale(loss);
        expect(Math.abs((scaled.item() as number) - num(want.scaled_loss))).toBeLessThanOrEqual(1e-5 + 1.3e-6 * Math.abs(num(want.scaled_loss)));
        scaled.backward();
        const inj = tr.inject[String(i)];
        if (inj) torch.noGrad(() => w.grad!.view(-1).indexPut_([inj[0]], num(inj[1])));
        if (tr.explicit_unscale) {
          scaler.unscale_(opt);
          if (tr.clip_grad_norm !== null) torch.nn.utils.clipGradNorm_([w, b], tr.clip_grad_norm);
        }
        const before = w.detach().clone();
        scaler.step(opt);
        scaler.update();
        expect({ step: i, skipped: torch.equal(before, w.detach()) }).toEqual({ step: i, skipped: want.skipped });
        expect({ step: i, scale: scaler.getScale(), tracker: scaler.getGrowthTracker() }).toEqual({ step: i, scale: want.scale, tracker: want.growth_tracker });
        expectClose(w, want.w);
        expectClose(b, want.b);
      });
    });
  }
});

describe('GradScaler usage and misuse', () => {
  const setup = () => {
    const p = torch.tensor([1.0, 2.0], { dtype: 'float32' }).requiresGrad_();
    const opt = new torch.optim.SGD([p], { lr: 0.5 });
    return { p, opt };
  };

  it('has PyTorch defaults, scales nested outputs, and keeps a state dict in PyTorch keys', () => {
    const s = new torch.cuda.amp.GradScaler();
    expect(s.getScale()).toBe(65536);
    expect([s.getGrowthFactor(), s.getBackoffFactor(), s.getGrowthInterval(), s.isEnabled()]).toEqual([2, 0.5, 2000, true]);
    const [a, [b]] = s.scale([torch.tensor([1.5]), [torch.tensor([2.0], { dtype: 'float32' })]] as const) as unknown as [torch.Tensor, [torch.Tensor]];
    expect([a.item(), b.item()]).toEqual([98304, 131072]);
    expect(s.stateDict()).toEqual({ scale: 65536, growth_factor: 2, backoff_factor: 0.5, growth_interval: 2000, _growth_tracker: 0 });
    const t = new torch.amp.GradScaler();
    t.loadStateDict({ scale: 1024, growth_factor: 3, backoff_factor: 0.25, growth_interval: 7, _growth_tracker: 4 });
    expect(t.stateDict()).toEqual({ scale: 1024, growth_factor: 3, backoff_factor: 0.25, growth_interval: 7, _growth_tracker: 4 });
    expect(t.scale(torch.tensor([1.0], { dtype: 'float32' })).item()).toBe(1024);
    expect(() => t.loadStateDict({})).toThrow(/saved from a disabled instance/);
  });

  it('is a pass-through when disabled', () => {
    const { p, opt } = setup();
    const s = new torch.amp.GradScaler({ enabled: false });
    const loss = p.sum();
    expect(s.scale(loss)).toBe(loss);
    loss.backward();
    s.step(opt);
    s.update();
    expect(p.tolist()).toEqual([0.5, 1.5]);
    expect(s.getScale()).toBe(1);
    expect(s.stateDict()).toEqual({});
  });

  it('grows after growthInterval clean steps, backs off on inf, never grows past float32', () => {
    const { p, opt } = setup();
    const s = new torch.amp.GradScaler({ initScale: 2 ** 127, growthInterval: 1 });
    s.scale(p.sum()).backward();
    s.step(opt);
    s.update();
    expect(s.getScale()).toBe(2 ** 127); // 2**128 is inf in float32: kept
    s.update(8);
    expect(s.getScale()).toBe(8);
    s.update(torch.tensor([16], { dtype: 'float32' }));
    expect(s.getScale()).toBe(16);
    expect(() => s.update(torch.tensor([16, 32], { dtype: 'float32' }))).toThrow(/new_scale should be a float or a 1-element/);
  });

  it('refuses misuse as PyTorch does', () => {
    const { p, opt } = setup();
    const s = new torch.amp.GradScaler();
    expect(() => s.unscale_(opt)).toThrow(/Attempted unscale_ but _scale is None/);
    s.scale(p.sum()).backward();
    s.unscale_(opt);
    expect(() => s.unscale_(opt)).toThrow('unscale_() has already been called on this optimizer since the last update().');
    s.step(opt);
    expect(() => s.step(opt)).toThrow('step() has already been called since the last update().');
    expect(() => s.unscale_(opt)).toThrow('unscale_() is being called after step().');
    s.update();
    expect(() => s.step(opt, () => 0)).toThrow('Closure use is not currently supported if GradScaler is enabled.');
    const fresh = new torch.amp.GradScaler();
    fresh.scale(p.sum());
    expect(() => fresh.update()).toThrow('No inf checks were recorded prior to update.');
    const half = torch.tensor([1.0], { dtype: 'float16' }).requiresGrad_();
    const hopt = new torch.optim.SGD([half], { lr: 0.1 });
    const hs = new torch.amp.GradScaler();
    hs.scale(half.float().sum()).backward();
    expect(() => hs.unscale_(hopt)).toThrow('Attempting to unscale FP16 gradients.');
    expect(() => new torch.amp.GradScaler({ growthFactor: 1 })).toThrow('The growth factor must be > 1.0.');
    expect(() => new torch.amp.GradScaler({ backoffFactor: 1 })).toThrow('The backoff factor must be < 1.0.');
  });
});
