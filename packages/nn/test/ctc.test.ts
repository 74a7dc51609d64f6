// CTC loss against PyTorch 1.13 (fixtures/nn/ctc.json): padded and concatenated targets, tensor and
// array lengths, blank elsewhere, zero-length targets, impossible alignments with zero_infinity, every
// reduction, float64, unbatched input; gradients w.r.t. log-probs (PyTorch's convention) and w.r.t.
// logits through log_softmax.
import { describe, test } from 'vitest';
import * as nn from '../src/index.js';
import { fixtureTests } from './helpers/cases.js';
import { type TensorSpec, decodeTensor, expectTensor, loadFixture } from './helpers/fixtures.js';

const F = nn.functional;

interface LogitsCase {
  id: string;
  kind: 'ctc-logits';
  logits: TensorSpec;
  targets: TensorSpec;
  input_lengths: TensorSpec;
  target_lengths: TensorSpec;
  kwargs: { blank: number; reduction: nn.functional.Reduction; zero_infinity: boolean };
  output: TensorSpec;
  grad_output: TensorSpec;
  grad_logits: TensorSpec;
}

describe('CTC (PyTorch fixtures)', () => {
  fixtureTests('ctc');
  const { cases } = loadFixture<{ cases: (LogitsCase | { kind?: string })[] }>('ctc');
  for (const c of cases.filter((x): x is LogitsCase => x.kind === 'ctc-logits')) {
    test(c.id, () => {
      const x = decodeTensor(c.logits).requiresGrad_(true);
      const loss = F.ctcLoss(F.logSoftmax(x, 2), decodeTensor(c.targets), decodeTensor(c.input_lengths), decodeTensor(c.target_lengths), {
        blank: c.kwargs.blank, reduction: c.kwargs.reduction, zeroInfinity: c.kwargs.zero_infinity,
      });
      expectTensor(loss, c.output, `${c.id}: loss`);
      loss.backward(loss.ndim === 0 ? undefined : decodeTensor(c.grad_output));
      expectTensor(x.grad, c.grad_logits, `${c.id}: grad of logits`);
    });
  }
});
