// Module behaviour against PyTorch 1.13 (fixtures/nn/modules.json): print(model) for the handbook's
// models and every layer, state_dict keys, named_parameters/modules/children/buffers, parameter counts,
// and load_state_dict's missing/unexpected keys and error messages.
import { describe, expect, test } from 'vitest';
import * as torch from '@kindling/tensor';
import * as nn from '../src/index.js';
import { type Arg, loadFixture } from './helpers/fixtures.js';
import { buildModule } from './helpers/run-case.js';
import { Classifier, handbookModels } from './helpers/models.js';

interface ModelInfo {
  model: string;
  repr: string;
  state_dict_keys: string[];
  named_parameters: [string, number[]][];
  named_modules: [string, string][];
  named_children: string[];
  named_buffers: string[];
  total_params: number;
}
interface ReprCase {
  module: string;
  args: Arg[];
  kwargs: Record<string, Arg>;
  factory: string | null;
  repr: string;
}
type LoadCase =
  | { id: 'non-strict'; keys: string[]; missing_keys: string[]; unexpected_keys: string[] }
  | { id: 'strict'; keys: string[]; error: string }
  | { id: 'size-mismatch' | 'size-mismatch-non-strict'; replace: Record<string, number[]>; delete?: string[]; strict?: boolean; error: string };

const fixture = loadFixture<{ models: ModelInfo[]; reprs: ReprCase[]; extra_reprs: { id: string; repr: string }[]; loads: LoadCase[] }>('modules');

describe('handbook models: print, state_dict, named_* (PyTorch fixtures)', () => {
  const models = handbookModels();
  for (const info of fixture.models) {
    const m = models[info.model]!;
    test(`${info.model}: print(model)`, () => expect(m.toString()).toBe(info.repr));
    test(`${info.model}: state_dict keys`, () => expect(Object.keys(m.stateDict())).toEqual(info.state_dict_keys));
    test(`${info.model}: named_parameters`, () => expect(m.namedParameters().map(([k, p]) => [k, [...p.shape]])).toEqual(info.named_parameters));
    test(`${info.model}: named_modules`, () => expect(m.namedModules().map(([k, v]) => [k, v.constructor.name])).toEqual(info.named_modules));
    test(`${info.model}: named_children and named_buffers`, () => {
      expect(m.namedChildren().map(([k]) => k)).toEqual(info.named_children);
      expect(m.namedBuffers().map(([k]) => k)).toEqual(info.named_buffers);
    });
    test(`${info.model}: parameter count (handbook 14.3)`, () => {
      let total = 0;
      for (const p of m.parameters()) total += p.numel();
      expect(total).toBe(info.total_params);
    });
  }
});

describe('print(layer) (PyTorch fixtures)', () => {
  for (const r of fixture.reprs) {
    test(r.repr, () => expect(buildModule(r).toString()).toBe(r.repr));
  }
  const extra = Object.fromEntries(fixture.extra_reprs.map((e) => [e.id, e.repr]));
  test('ParameterList', () => {
    const plist = new nn.ParameterList([new nn.Parameter(torch.zeros(3, 4)), new nn.Parameter(torch.zeros([5], { dtype: 'float64' }))]);
    expect(plist.toString()).toBe(extra['ParameterList']);
  });
  test('ParameterDict', () => {
    const pdict = new nn.ParameterDict({ a: new nn.Parameter(torch.zeros(2)), b: new nn.Parameter(torch.zeros(1, 2)) });
    expect(pdict.toString()).toBe(extra['ParameterDict']);
  });
  test('Sequential slice keeps the children\'s names', () => {
    expect(handbookModels()['Sequential']!.toString()).toContain('(4): Linear');
    const seq = handbookModels()['Sequential'] as nn.Sequential;
    expect(seq.slice(1, 3).toString()).toBe(extra['Sequential-slice']);
  });
  test('Parameter', () => {
    expect(new nn.Parameter(torch.tensor([1, 2], { dtype: 'float32' })).toString()).toBe(extra['Parameter']);
  });
});

describe('load_state_dict (PyTorch fixtures)', () => {
  const fresh = () => new Classifier(8, 6, 3);
  const withKeys = (m: nn.Module, keys: string[]) => {
    const sd = m.stateDict();
    return Object.fromEntries(keys.map((k) => [k, sd[k] ?? torch.zeros(k === 'extra.weight' ? 2 : 1)]));
  };
  for (const c of fixture.loads) {
    test(c.id, () => {
      const m = fresh();
      if (c.id === 'non-strict') {
        const res = m.loadStateDict(withKeys(m, c.keys), { strict: false });
        expect(res).toEqual({ missingKeys: c.missing_keys, unexpectedKeys: c.unexpected_keys });
      } else if (c.id === 'strict') {
        expect(() => m.loadStateDict(withKeys(m, c.keys))).toThrow(c.error);
      } else {
        const sd = m.stateDict();
        for (const [k, shape] of Object.entries(c.replace)) sd[k] = torch.zeros(shape);
        for (const k of c.delete ?? []) delete sd[k];
        const before = m.fc1.weight.clone();
        expect(() => m.loadStateDict(sd, { strict: c.strict ?? true })).toThrow(c.error);
        // A failed load changes nothing.
        expect(m.fc1.weight.equal(before)).toBe(true);
      }
    });
  }
});
