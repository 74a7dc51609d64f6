// Handbook 5.2 卷积层 (convolution layers): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

describe('handbook 5.2 convolution layers', () => {
  test('Conv2d with every argument, ConvTranspose2d upsampling, depthwise separable', () => {
    // 2D 卷积
    const conv = new nn.Conv2d({
      inChannels: 3,
      outChannels: 64,
      kernelSize: 3,
      stride: 1,
      padding: 1,
      dilation: 1,
      groups: 1,
      bias: true,
      paddingMode: 'zeros',
    });
    const x = torch.randn(16, 3, 224, 224); // [B, C, H, W]
    const y = conv.forward(x);
    expect(y.shape).toEqual([16, 64, 224, 224]);

    // 计算输出尺寸: H_out = (H_in + 2*padding - dilation*(kernel-1) - 1) / stride + 1
    expect(Math.floor((224 + 2 * 1 - 1 * (3 - 1) - 1) / 1) + 1).toBe(y.shape[2]);

    // 转置卷积 (上采样)
    const deconv = new nn.ConvTranspose2d(64, 32, { kernelSize: 4, stride: 2, padding: 1 });
    const z = deconv.forward(y);
    expect(z.shape).toEqual([16, 32, 448, 448]);

    // 深度可分离卷积
    const depthwise = new nn.Conv2d(64, 64, { kernelSize: 3, padding: 1, groups: 64 });
    const pointwise = new nn.Conv2d(64, 128, { kernelSize: 1 });
    expect(depthwise.weight.shape).toEqual([64, 1, 3, 3]);
    expect(pointwise.weight.shape).toEqual([128, 64, 1, 1]);
    const small = torch.randn(2, 64, 8, 8);
    expect(pointwise.forward(depthwise.forward(small)).shape).toEqual([2, 128, 8, 8]);
  }, 120_000);

  test('the table: Conv1d, Conv3d, ConvTranspose2d output_padding, Unfold, Fold', () => {
    expect(new nn.Conv1d(16, 33, 3, 2).forward(torch.randn(20, 16, 50)).shape).toEqual([20, 33, 24]);
    expect(new nn.Conv3d(16, 33, 3, { stride: 2 }).forward(torch.randn(2, 16, 10, 50, 20)).shape).toEqual([2, 33, 4, 24, 9]);
    expect(new nn.ConvTranspose2d(16, 33, 3, { stride: 2, outputPadding: 1 }).forward(torch.randn(2, 16, 5, 5)).shape).toEqual([2, 33, 12, 12]);
    const unfold = new nn.Unfold([2, 3]);
    const cols = unfold.forward(torch.randn(2, 5, 3, 4));
    expect(cols.shape).toEqual([2, 30, 4]);
    const fold = new nn.Fold([4, 5], [2, 2]);
    expect(fold.forward(torch.randn(1, 3 * 2 * 2, 12)).shape).toEqual([1, 3, 4, 5]);
    // fold(unfold(x)) multiplies each pixel by the number of blocks covering it.
    const x = torch.randn(1, 2, 4, 4);
    const back = nn.functional.fold(nn.functional.unfold(x, 2), [4, 4], 2);
    const counts = nn.functional.fold(nn.functional.unfold(torch.onesLike(x), 2), [4, 4], 2);
    expect(back.allclose(x.mul(counts))).toBe(true);
  });
});
