// Every optimizer, every option combination of fixtures/optim/<optimizer>.json: the parameter
// trajectory over 25 steps matches PyTorch 1.13's at every step (float32: rtol 1e-5, atol 1e-6;
// the float64 LBFGS cases: rtol 1e-7, atol 1e-9),
// run with a closure and as the handbook's loop (zeroGrad, backward, step); a stateDict saved
// mid-training and loaded into a fresh optimizer continues identically; and PyTorch's own
// state_dict, loaded mid-training, continues on PyTorch's trajectory.
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@kindling/tensor';
import * as torch from '@kindling/tensor';
import * as optim from '../src/index.js';
import { lr_scheduler, type Optimizer, type OptimizerStateDict } from '../src/index.js';
import {
  UNUSED, camelOptions, tolerances, decode, flat, loadFixture, makeLoss, mismatch, problemParams, type OptimizerCase, type OptimizerFixture,
  type Problems,
} from './helpers.js';

type AnyCtor = new (params: unknown, options?: Record<string, unknown>) => Optimizer;

interface Run {
  params: Tensor[];
  opt: Optimizer;
  sched: { step(): void } | null;
  closure: () => Tensor;
  loss: () => Tensor;
}

/** The case's params (plus the unused one) and optimizer, built as the generator builds them. */
function build(c: OptimizerCase, problems: Problems, values?: number[][]): Run {
  const dtype = c.dtype ?? 'float32';
  const params = problemParams(problems, c.problem, dtype);
  const extra = c.unused_param ? [torch.tensor(UNUSED, { dtype: 'float32', requiresGrad: true })] : [];
  const all = [...params, ...extra];
  // Resuming: the params start from the given values (as `param.data = saved` would set them).
  if (values) all.forEach((p, i) => p.set_(torch.tensor(values[i]!, { dtype: p.dtype }).reshape(p.shape)));
  const groups = c.groups
    ? c.groups.map((g, i) => ({
        ...camelOptions(Object.fromEntries(Object.entries(g).filter(([k]) => k !== 'params'))),
        params: [...g.params.map((j) => params[j]!), ...(i === c.groups!.length - 1 ? extra : [])],
      }))
    : all;
  const Ctor = (optim as unknown as Record<string, AnyCtor>)[c.optimizer]!;
  const opt = new Ctor(groups, camelOptions(c.kwargs));
  let sched: { step(): void } | null = null;
  if (c.scheduler) {
    const S = (lr_scheduler as unknown as Record<string, new (o: Optimizer, opts: Record<string, unknown>) => { step(): void }>)[c.scheduler.name]!;
    sched = new S(opt, camelOptions(c.scheduler.kwargs));
  }
  const lossFn = makeLoss(problems, c.problem, dtype);
  const sign = c.objective === 'neg' ? -1 : 1;
  const loss = () => lossFn(params).mul(sign);
  const closure = () => {
    opt.zeroGrad({ setToNone: c.set_to_none });
    const l = loss();
    l.backward();
    return l;
  };
  return { params: all, opt, sched, closure, loss };
}

function stepOnce(r: Run, c: OptimizerCase, k: number, style: 'closure' | 'loop'): number {
  if (c.manual_lr[String(k)] !== undefined) for (const g of r.opt.paramGroups) g.lr = c.manual_lr[String(k)]!;
  let loss: number;
  if (style === 'closure') {
    loss = Number((r.opt.step(r.closure) as Tensor).item());
  } else {
    r.opt.zeroGrad({ setToNone: c.set_to_none });
    const l = r.loss();
    l.backward();
    r.opt.step();
    loss = Number(l.item());
  }
  r.sched?.step();
  return loss;
}

function expectStep(r: Run, c: OptimizerCase, k: number): void {
  const { rtol, atol } = tolerances(c.dtype);
  r.params.forEach((p, i) => {
    const m = mismatch(flat(p), c.trajectory[k]![i]!, rtol, atol);
    if (m) expect.fail(`${c.id}: step ${k + 1}, param ${i}: ${m} (rtol ${rtol}, atol ${atol})`);
  });
}

/** The trajectory tests of one fixture file (one test file per optimizer, so they run in parallel). */
export function describeTrajectories(file: string): void {
  const fx = loadFixture<OptimizerFixture>(file);
  describe(`${file}: trajectories match PyTorch ${fx.torch_version}`, () => {
    for (const c of fx.cases) {
      it(`${c.id} (closure)`, { timeout: 60_000 }, () => {
        const r = build(c, fx.problems);
        r.params.forEach((p, i) => expect(mismatch(flat(p), c.initial[i]!)).toBeNull());
        for (let k = 0; k < c.trajectory.length; k++) {
          const loss = stepOnce(r, c, k, 'closure');
          const { rtol, atol } = tolerances(c.dtype);
          const m = mismatch([loss], [c.losses[k]!], rtol, atol);
          if (m) expect.fail(`${c.id}: loss returned by step ${k + 1}: ${m}`);
          expectStep(r, c, k);
        }
      });

      if (c.optimizer !== 'LBFGS') {
        it(`${c.id} (zeroGrad / backward / step loop)`, () => {
          const r = build(c, fx.problems);
          for (let k = 0; k < c.trajectory.length; k++) {
            stepOnce(r, c, k, 'loop');
            expectStep(r, c, k);
          }
        });
      }

      // Resuming needs the scheduler's state as well; the scheduler tests cover that.
      if (c.scheduler) continue;

      it(`${c.id}: stateDict at step ${c.state_dict_step}, loaded into a fresh optimizer, continues identically`, { timeout: 60_000 }, () => {
        const r = build(c, fx.problems);
        for (let k = 0; k < c.state_dict_step; k++) stepOnce(r, c, k, 'closure');
        // Saved as torch.save would: a deep copy, so the rest of this run cannot change it.
        const sd = structuredCopy(r.opt.stateDict());
        const fresh = build(c, fx.problems, r.params.map(flat));
        fresh.opt.loadStateDict(sd);
        for (let k = c.state_dict_step; k < c.trajectory.length; k++) {
          stepOnce(r, c, k, 'closure');
          stepOnce(fresh, c, k, 'closure');
          // Bit for bit what the uninterrupted run computes, and on PyTorch's trajectory.
          expect(fresh.params.map(flat), `${c.id}: step ${k + 1} after resuming`).toEqual(r.params.map(flat));
          expectStep(fresh, c, k);
        }
      });

      it(`${c.id}: PyTorch's state_dict at step ${c.state_dict_step} loads and continues on PyTorch's trajectory`, { timeout: 60_000 }, () => {
        const sd = decode(c.state_dict) as unknown as OptimizerStateDict;
        const r = build(c, fx.problems, c.trajectory[c.state_dict_step - 1]!);
        r.opt.loadStateDict(sd);
        for (let k = c.state_dict_step; k < c.trajectory.length; k++) {
          stepOnce(r, c, k, 'closure');
          expectStep(r, c, k);
        }
      });

      it(`${c.id}: stateDict() has PyTorch's layout, keys and values`, { timeout: 60_000 }, () => {
        const r = build(c, fx.problems);
        for (let k = 0; k < c.state_dict_step; k++) stepOnce(r, c, k, 'closure');
        const ours = r.opt.stateDict();
        const theirs = decode(c.state_dict) as unknown as OptimizerStateDict;
        expect(plain(ours.param_groups)).toEqual(plain(theirs.param_groups));
        expect(Object.keys(ours.state).sort()).toEqual(Object.keys(theirs.state).sort());
        for (const [i, entry] of Object.entries(theirs.state)) {
          const mine = ours.state[i]!;
          expect(Object.keys(mine).sort(), `state[${i}] keys`).toEqual(Object.keys(entry).sort());
          for (const [k, v] of Object.entries(entry)) {
            // LBFGS's curvature history near convergence is rounding noise (differences of nearly
            // equal gradients): compare its form and the counters, not those values.
            if (c.optimizer === 'LBFGS' && !['func_evals', 'n_iter'].includes(k)) sameForm(`${c.id} state[${i}].${k}`, mine[k], v);
            else compareState(`${c.id} state[${i}].${k}`, mine[k], v, tolerances(c.dtype));
          }
        }
      });
    }
  });
}

/** A deep copy of a state dict (tensors cloned), standing in for torch.save + torch.load. */
function structuredCopy(sd: OptimizerStateDict): OptimizerStateDict {
  const copy = (v: unknown): unknown => {
    if (v instanceof torch.Tensor) return v.clone();
    if (Array.isArray(v)) return v.map(copy);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)]));
    return v;
  };
  return copy(sd) as OptimizerStateDict;
}

/** Tensors as {dtype, shape, values} so toEqual compares them. */
function plain(v: unknown): unknown {
  if (v instanceof torch.Tensor) return { dtype: v.dtype, shape: [...v.shape], values: flat(v) };
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** Same kind of value: tensors of the same dtype and shape, lists of the same length, numbers, nulls. */
function sameForm(label: string, mine: unknown, theirs: unknown): void {
  if (theirs instanceof torch.Tensor) {
    expect(mine, label).toBeInstanceOf(torch.Tensor);
    expect([(mine as Tensor).dtype, [...(mine as Tensor).shape]], label).toEqual([theirs.dtype, [...theirs.shape]]);
  } else if (Array.isArray(theirs)) {
    expect((mine as unknown[]).length, label).toBe(theirs.length);
    theirs.forEach((t, i) => sameForm(`${label}[${i}]`, (mine as unknown[])[i], t));
  } else {
    expect(typeof mine, label).toBe(typeof theirs);
    if (theirs === null) expect(mine, label).toBeNull();
  }
}

function compareState(label: string, mine: unknown, theirs: unknown, tol: { rtol: number; atol: number }): void {
  if (theirs instanceof torch.Tensor) {
    expect(mine, label).toBeInstanceOf(torch.Tensor);
    const m = mine as Tensor;
    expect([m.dtype, [...m.shape]], label).toEqual([theirs.dtype, [...theirs.shape]]);
    const bad = mismatch(flat(m), flat(theirs), tol.rtol, tol.atol);
    if (bad) expect.fail(`${label}: ${bad}`);
  } else if (Array.isArray(theirs)) {
    expect(Array.isArray(mine), label).toBe(true);
    expect((mine as unknown[]).length, label).toBe(theirs.length);
    theirs.forEach((t, i) => compareState(`${label}[${i}]`, (mine as unknown[])[i], t, tol));
  } else if (typeof theirs === 'number') {
    expect(typeof mine, label).toBe('number');
    const bad = mismatch([mine as number], [theirs], tol.rtol, tol.atol);
    if (bad) expect.fail(`${label}: ${bad}`);
  } else {
    expect(mine, label).toEqual(theirs);
  }
}
