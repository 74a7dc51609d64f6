// Handbook 7.2 分类损失 (classification losses): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

const F = nn.functional;

describe('7 losses', () => {
  test('7.2 classification losses', () => {
    const ceLoss = new nn.CrossEntropyLoss({ weight: null, ignoreIndex: -100, labelSmoothing: 0.0 });
    const logits = torch.randn(32, 10);
    const targets = torch.randint(0, 10, [32]);
    const loss = ceLoss.forward(logits, targets);
    expect(loss.shape).toEqual([]);
    expect(loss.allclose(F.nllLoss(F.logSoftmax(logits, { dim: 1 }), targets))).toBe(true);
    const bceLogits = new nn.BCEWithLogitsLoss({ posWeight: torch.tensor([2], { dtype: 'float32' }) });
    const l2 = torch.randn(32, 1);
    const t2 = torch.randint(0, 2, [32, 1]).float();
    expect(bceLogits.forward(l2, t2).shape).toEqual([]);
    const l5 = torch.randn(32, 5);
    const t5 = torch.randint(0, 2, [32, 5]).float();
    expect(bceLogits.forward(l5, t5).shape).toEqual([]);
    expect(Object.keys(bceLogits.stateDict())).toEqual(['pos_weight']);
  });
});
