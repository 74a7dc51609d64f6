// Handbook 15.2 CNN 模型 (the CNN): the section's code block in TypeScript, run as a test that checks
// the shapes and the parameter count of the model it defines.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

class CNN extends nn.Module {
  features: nn.Sequential;
  classifier: nn.Linear;
  constructor(numClasses = 10) {
    super();
    this.features = new nn.Sequential(
      new nn.Conv2d(3, 64, 3, { padding: 1 }), // kernel_size=3
      new nn.BatchNorm2d(64),
      new nn.ReLU(true), // inplace=True
      new nn.MaxPool2d(2, 2),

      new nn.Conv2d(64, 128, 3, { padding: 1 }),
      new nn.BatchNorm2d(128),
      new nn.ReLU(true),
      new nn.MaxPool2d(2, 2),

      new nn.Conv2d(128, 256, 3, { padding: 1 }),
      new nn.BatchNorm2d(256),
      new nn.ReLU(true),
      new nn.AdaptiveAvgPool2d([1, 1]),
    );
    this.classifier = new nn.Linear(256, numClasses);
  }

  override forward(x: torch.Tensor): torch.Tensor {
    x = this.features.forward(x) as torch.Tensor;
    x = x.flatten(1);
    x = this.classifier.forward(x);
    return x;
  }
}

describe('15.2 the CNN', () => {
  test('logits of shape [batch, num_classes]; PyTorch\'s parameter count; one training step', () => {
    torch.manualSeed(0);
    const model = new CNN();
    const x = torch.randn(2, 3, 16, 16);
    expect((model.features.forward(x) as torch.Tensor).shape).toEqual([2, 256, 1, 1]);
    const logits = model.forward(x);
    expect(logits.shape).toEqual([2, 10]);
    // sum(p.numel() for p in CNN().parameters()): 3·64·9+64 + 64·128·9+128 + 128·256·9+256 (convs),
    // 2·(64+128+256) (batch-norm affine), 256·10+10 (classifier)
    expect(model.parameters().reduce((n, p) => n + p.numel(), 0)).toBe(374_282);
    const loss = nn.functional.crossEntropy(logits, torch.tensor([1, 7]));
    loss.backward();
    expect(model.classifier.weight.grad!.shape).toEqual([10, 256]);
    expect((model.features.get(0) as nn.Conv2d).weight.grad!.shape).toEqual([64, 3, 3, 3]);
  });
});
