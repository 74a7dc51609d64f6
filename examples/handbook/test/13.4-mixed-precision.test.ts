// Handbook 13.4 混合精度训练 (mixed precision): the section's code block in TypeScript.
//
// torch.cuda.amp's autocast is a region on the cuda device; without a GPU (CI has none, see 13.1) it
// changes nothing on cpu tensors, as in PyTorch. GradScaler works on every device in Kindling (PyTorch
// 1.13 disables itself without CUDA): the loss is scaled by 2^16 before backward, the gradients are
// unscaled before the step, and the parameters move exactly as without scaling.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

const { autocast, GradScaler } = torch.cuda.amp;

describe('13.4 mixed precision', () => {
  test('autocast + GradScaler: the same step as plain float32 training', () => {
    torch.manualSeed(0);
    const inputs = torch.randn(8, 4);
    const targets = torch.randint(0, 3, [8]);
    const make = () => {
      torch.manualSeed(1);
      const model = new nn.Linear(4, 3);
      return { model, optimizer: new torch.optim.SGD(model.parameters(), { lr: 0.1 }) };
    };
    const criterion = new nn.CrossEntropyLoss();

    const amp = make();
    const scaler = new GradScaler();
    const dataloader = [[inputs, targets]];
    for (const _batch of dataloader) {
      amp.optimizer.zeroGrad();
      // 自动混合精度
      const loss = autocast(undefined, () => {
        const outputs = amp.model.forward(inputs);
        expect(outputs.dtype).toBe('float32'); // cpu tensors: the cuda region leaves them alone
        return criterion.forward(outputs, targets);
      });
      // 缩放梯度
      const scaled = scaler.scale(loss) as torch.Tensor;
      expect(scaled.item()).toBeCloseTo((loss.item() as number) * 65536, 0);
      scaled.backward();
      scaler.step(amp.optimizer);
      scaler.update();
    }
    expect(scaler.getScale()).toBe(65536); // no inf/NaN: the scale stays (it grows after 2000 clean steps)

    const plain = make();
    plain.optimizer.zeroGrad();
    criterion.forward(plain.model.forward(inputs), targets).backward();
    plain.optimizer.step();
    const a = amp.model.weight.tolist() as number[][];
    const b = plain.model.weight.tolist() as number[][];
    a.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(b[i]![j]!, 6)));
  });

  test('on a GPU the region computes matmuls in float16; without one, cuda tensors cannot be made', () => {
    if (torch.cuda.isAvailable()) {
      const x = torch.randn(4, 4, { device: 'cuda' });
      const y = autocast(undefined, () => x.matmul(x));
      expect(y.dtype).toBe('float16');
    } else {
      expect(() => torch.randn(4, 4, { device: 'cuda' })).toThrow(/@kindling\/backend-cuda/);
    }
  });
});
