// nn.utils (handbook 14.2) against PyTorch 1.13: clip_grad_norm_ (norm types 1, 2, 3, inf; the returned
// total norm; parameters without grads), clip_grad_value_, parameters_to_vector, vector_to_parameters.
import { describe, expect, test } from 'vitest';
import * as torch from '@kindling/tensor';
import * as nn from '../src/index.js';
import { type TensorSpec, decodeTensor, expectTensor, loadFixture } from './helpers/fixtures.js';

type Grads = (TensorSpec | null)[];
type UtilsCase =
  | { id: string; fn: 'clip_grad_norm_'; grads: Grads; max_norm: number; norm_type: number | 'inf'; total_norm: TensorSpec; after: Grads }
  | { id: string; fn: 'clip_grad_value_'; grads: Grads; clip_value: number; after: Grads }
  | { id: string; fn: 'parameters_to_vector'; params: TensorSpec[]; output: TensorSpec }
  | { id: string; fn: 'vector_to_parameters'; vector: TensorSpec; shapes: number[][]; after: TensorSpec[] };

function withGrads(grads: Grads): nn.Parameter[] {
  return grads.map((g) => {
    const p = new nn.Parameter(g ? torch.zerosLike(decodeTensor(g)) : torch.zeros(3));
    p.grad = g ? decodeTensor(g) : null;
    return p;
  });
}
function expectGrads(ps: nn.Parameter[], after: Grads, id: string): void {
  after.forEach((g, i) => {
    if (g === null) expect(ps[i]!.grad, `${id}: grad ${i}`).toBeNull();
    else expectTensor(ps[i]!.grad, g, `${id}: grad ${i}`);
  });
}

describe('nn.utils (PyTorch fixtures)', () => {
  for (const c of loadFixture<{ cases: UtilsCase[] }>('utils').cases) {
    test(c.id, () => {
      switch (c.fn) {
        case 'clip_grad_norm_': {
          const ps = withGrads(c.grads);
          const total = nn.utils.clipGradNorm_(ps, c.max_norm, c.norm_type);
          expectTensor(total, c.total_norm, `${c.id}: total norm`);
          expectGrads(ps, c.after, c.id);
          break;
        }
        case 'clip_grad_value_': {
          const ps = withGrads(c.grads);
          nn.utils.clipGradValue_(ps, c.clip_value);
          expectGrads(ps, c.after, c.id);
          break;
        }
        case 'parameters_to_vector':
          expectTensor(nn.utils.parametersToVector(c.params.map((p) => new nn.Parameter(decodeTensor(p)))), c.output, c.id);
          break;
        case 'vector_to_parameters': {
          const ps = c.shapes.map((s) => new nn.Parameter(torch.zeros(s)));
          nn.utils.vectorToParameters(decodeTensor(c.vector), ps);
          c.after.forEach((a, i) => expectTensor(ps[i], a, `${c.id}: parameter ${i}`));
          break;
        }
      }
    });
  }
});

describe('nn.utils behaviour', () => {
  test('clip_grad_norm_ accepts a single tensor, the options form, and a module\'s parameters', () => {
    const p = new nn.Parameter(torch.zeros(2));
    p.grad = torch.tensor([3, 4], { dtype: 'float32' });
    const total = nn.utils.clipGradNorm_(p, 1, { normType: 2 });
    expect(total.item()).toBeCloseTo(5, 6);
    expect(p.grad.norm().item()).toBeCloseTo(1, 5);
    const m = new nn.Linear(3, 2);
    m.forward(torch.ones(4, 3)).sum().backward();
    expect(() => nn.utils.clipGradNorm_(m.parameters(), 0.1)).not.toThrow();
  });
  test('parameters_to_vector is differentiable', () => {
    const a = new nn.Parameter(torch.ones(2, 2));
    const v = nn.utils.parametersToVector([a]);
    v.mul(torch.arange(4).float()).sum().backward();
    expect(a.grad!.tolist()).toEqual([[0, 1], [2, 3]]);
  });
  test('vector_to_parameters checks its arguments', () => {
    expect(() => nn.utils.vectorToParameters(torch.zeros(3), [new nn.Parameter(torch.zeros(2))])).toThrow(/3 elements but the parameters have 2/);
  });
});
