// Every scheduler of handbook 9.1 against fixtures/optim/schedulers.json (PyTorch 1.13): the lr of
// each param group (and the momentum or beta1 where cycled) after construction and after each of
// 40 steps, getLastLr(), and state dicts: PyTorch's optimizer + scheduler state_dicts at step 20
// load and continue on PyTorch's sequence, ours round-trip, and ours have PyTorch's keys and values.
// lrs are float64 arithmetic on both sides: rtol 1e-12, atol 1e-16 (libm cos/pow may differ by an ulp).
import { describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import * as optim from '../src/index.js';
import { lr_scheduler, type Optimizer, type OptimizerStateDict } from '../src/index.js';
import { camelOptions, decode, loadFixture, mismatch } from './helpers.js';

const RTOL = 1e-12;
const ATOL = 1e-16;

interface Spec {
  name: string;
  kwargs: Record<string, unknown>;
}
interface SchedulerCase {
  id: string;
  optimizer: { name: string; kwargs: Record<string, unknown>; group_lrs: number[] };
  schedulers: Spec[];
  step_args: number[] | null;
  lrs: number[][];
  last_lrs: (number[] | null)[];
  momentums?: number[][];
  state_dict_step: number;
  optimizer_state_dict: unknown;
  scheduler_state_dicts: Record<string, unknown>[];
}

/** The generator's named lambdas (gen_optim_fixtures.py LAMBDAS). */
const LAMBDAS: Record<string, (epoch: number) => number> = {
  // Handbook 9.1's warm-up + cosine.
  warmup_cosine: (epoch) => (epoch < 5 ? epoch / 5 : 0.5 * (1 + Math.cos((Math.PI * (epoch - 5)) / 95))),
  pow095: (epoch) => 0.95 ** epoch,
  div30: (epoch) => 1.0 / (1 + Math.floor(epoch / 30)),
  const098: () => 0.98,
  alternate: (epoch) => (epoch % 2 ? 0.9 : 1.05),
};

interface Steppable {
  step(arg?: number): void;
  getLastLr(): number[];
  stateDict(): Record<string, unknown>;
  loadStateDict(sd: Record<string, unknown>): void;
}

function buildScheduler(spec: Spec, opt: Optimizer): Steppable {
  const kw = camelOptions(spec.kwargs);
  const L = lr_scheduler as unknown as Record<string, new (...args: unknown[]) => Steppable>;
  if (spec.name === 'LambdaLR' || spec.name === 'MultiplicativeLR') {
    const f = kw['lrLambda'] as string | string[];
    kw['lrLambda'] = Array.isArray(f) ? f.map((n) => LAMBDAS[n]!) : LAMBDAS[f]!;
  }
  if (spec.name === 'SequentialLR') {
    kw['schedulers'] = (kw['schedulers'] as Spec[]).map((s) => buildScheduler(s, opt));
    return new L['SequentialLR']!(opt, kw);
  }
  if (spec.name === 'ChainedScheduler') return new L['ChainedScheduler']!((kw['schedulers'] as Spec[]).map((s) => buildScheduler(s, opt)));
  return new L[spec.name]!(opt, kw);
}

function build(c: SchedulerCase): { opt: Optimizer; scheds: Steppable[] } {
  const groups = c.optimizer.group_lrs.map((lr) => ({ params: [torch.zeros(1, { requiresGrad: true })], lr }));
  const Ctor = (optim as unknown as Record<string, new (p: unknown, o: unknown) => Optimizer>)[c.optimizer.name]!;
  const opt = new Ctor(groups, camelOptions(c.optimizer.kwargs));
  return { opt, scheds: c.schedulers.map((s) => buildScheduler(s, opt)) };
}

function momentumsOf(opt: Optimizer): number[] {
  return opt.paramGroups.map((g) => ('betas' in g ? (g['betas'] as number[])[0]! : (g['momentum'] as number)));
}

/** One training step: optimizer.step() first, then every scheduler, as handbook 9.2. */
function stepAll(c: SchedulerCase, opt: Optimizer, scheds: Steppable[], k: number): void {
  opt.step();
  for (const s of scheds) {
    if (c.step_args) s.step(c.step_args[k]);
    else s.step();
  }
}

function expectAt(c: SchedulerCase, opt: Optimizer, scheds: Steppable[], at: number): void {
  const lrs = opt.paramGroups.map((g) => g.lr);
  const m = mismatch(lrs, c.lrs[at]!, RTOL, ATOL);
  if (m) expect.fail(`${c.id}: lr after step ${at}: ${m}`);
  if (c.last_lrs[at]) {
    const ml = mismatch(scheds[scheds.length - 1]!.getLastLr(), c.last_lrs[at]!, RTOL, ATOL);
    if (ml) expect.fail(`${c.id}: getLastLr() after step ${at}: ${ml}`);
  }
  if (c.momentums) {
    const mm = mismatch(momentumsOf(opt), c.momentums[at]!, RTOL, ATOL);
    if (mm) expect.fail(`${c.id}: momentum after step ${at}: ${mm}`);
  }
}

/** Numbers close (RTOL/ATOL), everything else equal, recursively. */
function expectSame(label: string, ours: unknown, theirs: unknown): void {
  if (typeof theirs === 'number') {
    expect(typeof ours, label).toBe('number');
    const m = mismatch([ours as number], [theirs], RTOL, ATOL);
    if (m && !(ours === theirs)) expect.fail(`${label}: ${m}`);
  } else if (Array.isArray(theirs)) {
    expect(Array.isArray(ours), label).toBe(true);
    expect((ours as unknown[]).length, label).toBe(theirs.length);
    theirs.forEach((t, i) => expectSame(`${label}[${i}]`, (ours as unknown[])[i], t));
  } else if (theirs !== null && typeof theirs === 'object') {
    expect(Object.keys(ours as object).sort(), `${label} keys`).toEqual(Object.keys(theirs).sort());
    for (const [k, v] of Object.entries(theirs)) expectSame(`${label}.${k}`, (ours as Record<string, unknown>)[k], v);
  } else {
    expect(ours, label).toEqual(theirs);
  }
}

/** Our state dict without the entries PyTorch 1.13 cannot pickle (and so the fixture lacks). */
function comparable(sd: Record<string, unknown>): Record<string, unknown> {
  const { _anneal_func_type: _, ...rest } = sd;
  if (Array.isArray(rest['_schedulers'])) rest['_schedulers'] = (rest['_schedulers'] as Record<string, unknown>[]).map(comparable);
  return rest;
}

const fx = loadFixture<{ torch_version: string; cases: SchedulerCase[] }>('schedulers');

describe(`lr_scheduler: lr sequences match PyTorch ${fx.torch_version}`, () => {
  for (const c of fx.cases) {
    it(`${c.id}: lr${c.momentums ? ' and momentum' : ''} over ${c.lrs.length - 1} steps`, () => {
      const { opt, scheds } = build(c);
      expectAt(c, opt, scheds, 0);
      for (let k = 0; k < c.lrs.length - 1; k++) {
        stepAll(c, opt, scheds, k);
        expectAt(c, opt, scheds, k + 1);
      }
    });

    it(`${c.id}: PyTorch's optimizer and scheduler state_dicts at step ${c.state_dict_step} load and continue`, () => {
      const { opt, scheds } = build(c);
      opt.loadStateDict(decode(c.optimizer_state_dict) as unknown as OptimizerStateDict);
      scheds.forEach((s, i) => s.loadStateDict(decode(c.scheduler_state_dicts[i]) as Record<string, unknown>));
      expectAt(c, opt, scheds, c.state_dict_step);
      for (let k = c.state_dict_step; k < c.lrs.length - 1; k++) {
        stepAll(c, opt, scheds, k);
        expectAt(c, opt, scheds, k + 1);
      }
    });

    it(`${c.id}: stateDict round trip mid-schedule, and PyTorch's keys and values`, () => {
      const { opt, scheds } = build(c);
      for (let k = 0; k < c.state_dict_step; k++) stepAll(c, opt, scheds, k);
      const osd = opt.stateDict();
      const ssd = scheds.map((s) => JSON.parse(JSON.stringify(s.stateDict(), (_, v: unknown) => (v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v))) as Record<string, unknown>);
      scheds.forEach((_, i) => expectSame(`${c.id} scheduler ${i}`, comparable(decode(ssd[i]) as Record<string, unknown>), decode(c.scheduler_state_dicts[i])));
      const fresh = build(c);
      fresh.opt.loadStateDict(osd);
      fresh.scheds.forEach((s, i) => s.loadStateDict(decode(ssd[i]) as Record<string, unknown>));
      for (let k = c.state_dict_step; k < c.lrs.length - 1; k++) {
        stepAll(c, fresh.opt, fresh.scheds, k);
        expectAt(c, fresh.opt, fresh.scheds, k + 1);
      }
    });
  }
});
