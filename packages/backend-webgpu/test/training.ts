// The training loop the webgpu training tests share: steps of a classifier on fixed data, with the
// loss read back after each. Cross-entropy is written out, −mean(log_softmax(x)[y]): nn.CrossEntropyLoss
// checks the targets' range with a synchronous read, which a webgpu tensor refuses.
import * as torch from '@kindling/tensor';
import type * as nn from '@kindling/nn';

interface Optimizer {
  zeroGrad(): void;
  step(): void;
}

export function crossEntropy(logits: torch.Tensor, target: torch.Tensor): torch.Tensor {
  return torch.logSoftmax(logits, 1).gather(1, target.unsqueeze(1)).mean().neg();
}

/** The loss of each of `steps` training steps of `model` on (x, y). */
export async function trainLosses(model: nn.Module, opt: Optimizer, x: torch.Tensor, y: torch.Tensor, steps: number): Promise<number[]> {
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    const loss = crossEntropy(model.forward(x) as torch.Tensor, y);
    loss.backward();
    opt.step();
    losses.push((await loss.itemAsync()) as number);
  }
  return losses;
}
