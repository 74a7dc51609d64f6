// nn.init (handbook 14.1) and default initialisation, against PyTorch 1.13 after torch.manual_seed:
// random initialisers must reproduce PyTorch's values exactly (same generator stream, same transform);
// computed ones (orthogonal's QR, trunc_normal's erfinv) to the float tolerance.
import { describe, expect, test } from 'vitest';
import * as torch from '@kindling/tensor';
import * as nn from '../src/index.js';
import { type Arg, type TensorSpec, callArgs, camel, expectTensor, loadFixture } from './helpers/fixtures.js';
import { buildModule } from './helpers/run-case.js';

interface InitCase {
  id: string;
  fn: string;
  shape: number[];
  dtype: torch.DType;
  args: Arg[];
  kwargs: Record<string, Arg>;
  seed: number;
  output: TensorSpec;
}
interface DefaultCase {
  id: string;
  module: string;
  args?: Arg[];
  kwargs?: Record<string, Arg>;
  seed: number;
  state: Record<string, TensorSpec>;
}
const fixture = loadFixture<{ cases: InitCase[]; gains: { args: [nn.init.Nonlinearity, number?]; gain: number }[]; defaults: DefaultCase[] }>('init');
const COMPUTED = new Set(['orthogonal_', 'trunc_normal_']);

describe('nn.init (PyTorch fixtures)', () => {
  for (const c of fixture.cases) {
    test(c.id, () => {
      const fn = (nn.init as unknown as Record<string, (t: torch.Tensor, ...a: unknown[]) => torch.Tensor>)[camel(c.fn)];
      expect(fn, `nn.init.${camel(c.fn)}`).toBeDefined();
      torch.manualSeed(c.seed);
      const t = torch.empty(c.shape, { dtype: c.dtype });
      const ret = fn!(t, ...callArgs(c.args, c.kwargs));
      expect(ret).toBe(t);
      expectTensor(t, c.output, c.id, !COMPUTED.has(c.fn));
    });
  }
  test('calculate_gain', () => {
    for (const g of fixture.gains) expect(nn.init.calculateGain(...g.args), g.args.join(', ')).toBe(g.gain);
  });
});

describe('default initialisation after manualSeed (exact)', () => {
  for (const c of fixture.defaults) {
    test(c.id, () => {
      torch.manualSeed(c.seed);
      const m = c.module === 'Sequential-handbook'
        ? new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 128), new nn.ReLU(), new nn.Linear(128, 10))
        : buildModule({ module: c.module, args: c.args ?? [], kwargs: c.kwargs ?? {} });
      const sd = m.stateDict();
      expect(Object.keys(sd)).toEqual(Object.keys(c.state));
      for (const [k, v] of Object.entries(c.state)) expectTensor(sd[k], v, `${c.id}: ${k}`, true);
    });
  }
});
