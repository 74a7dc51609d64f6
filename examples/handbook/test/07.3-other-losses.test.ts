// Handbook 7.3 其他损失 (other losses): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

const F = nn.functional;

describe('7 losses', () => {
  test('7.3 other losses', () => {
    const klLoss = new nn.KLDivLoss({ reduction: 'batchmean' });
    const logProbs = F.logSoftmax(torch.randn(32, 10), { dim: 1 });
    const targets = F.softmax(torch.randn(32, 10), { dim: 1 });
    expect(Number(klLoss.forward(logProbs, targets).item())).toBeGreaterThanOrEqual(0);
    const tripletLoss = new nn.TripletMarginLoss({ margin: 1.0 });
    const [anchor, positive, negative] = [torch.randn(32, 128), torch.randn(32, 128), torch.randn(32, 128)];
    expect(tripletLoss.forward(anchor, positive, negative).shape).toEqual([]);
    const cosLoss = new nn.CosineEmbeddingLoss();
    const labels = torch.randint(-1, 2, [32]).float();
    expect(cosLoss.forward(torch.randn(32, 128), torch.randn(32, 128), labels).shape).toEqual([]);
    const ctc = new nn.CTCLoss();
    const lp = torch.randn(50, 16, 20).logSoftmax(2).detach().requiresGrad_(true);
    const tg = torch.randint(1, 20, [16, 30]);
    const loss = ctc.forward(lp, tg, new Array(16).fill(50), torch.randint(10, 30, [16]));
    loss.backward();
    expect(lp.grad!.shape).toEqual([50, 16, 20]);
  });
});
