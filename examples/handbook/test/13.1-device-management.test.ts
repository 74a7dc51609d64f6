// Handbook 13.1 设备管理 (device management): the section's code block in TypeScript.
//
// Why this file checks errors: this suite runs on machines without a GPU (CI has none), and the
// umbrella package does not install @kindling/backend-cuda (GPU backends are opt-in). There,
// torch.cuda.isAvailable() is false, exactly as PyTorch on a machine without a GPU, and every call
// that needs a GPU throws an error that says why. Where CUDA is available the same file runs the
// handbook's code on the GPU.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

const cuda = torch.cuda.isAvailable();

describe('13.1 device management', () => {
  test('检查 CUDA 可用性', () => {
    expect(typeof torch.cuda.isAvailable()).toBe('boolean');
    if (cuda) {
      expect(torch.cuda.deviceCount()).toBeGreaterThan(0);
      expect(torch.cuda.currentDevice()).toBe(0);
      expect(torch.cuda.getDeviceName(0).length).toBeGreaterThan(0);
    } else {
      expect(torch.cuda.deviceCount()).toBe(0);
      expect(torch.cuda.unavailableReason()).toMatch(/backend-cuda|driver|device/);
      expect(() => torch.cuda.currentDevice()).toThrow(/CUDA is not available/);
      expect(() => torch.cuda.getDeviceName(0)).toThrow(/CUDA is not available/);
    }
  });

  test('设置设备: the cpu fallback idiom, and a named GPU', () => {
    const device = torch.device(torch.cuda.isAvailable() ? 'cuda' : 'cpu');
    expect(device.type).toBe(cuda ? 'cuda' : 'cpu');
    const gpu0 = torch.device('cuda:0'); // 指定 GPU: naming a device needs no GPU
    expect([gpu0.type, gpu0.index]).toEqual(['cuda', 0]);
    expect(String(gpu0)).toBe('cuda:0');
  });

  test('张量移动到 GPU, 模型移动到 GPU', () => {
    const device = torch.device(cuda ? 'cuda' : 'cpu');
    let x = torch.randn(3, 4);
    x = x.to(device);
    expect(x.device.type).toBe(device.type);
    const model = new nn.Linear(4, 2).to(device);
    expect(model.weight.device.type).toBe(device.type);
    if (cuda) {
      expect(x.cuda().device.type).toBe('cuda');
      expect(x.cuda(0).device.index).toBe(0);
      expect(model.cuda().weight.device.type).toBe('cuda');
    } else {
      // x.cuda(), x.cuda(0), model.cuda(): the error names the package that provides the device.
      expect(() => x.cuda()).toThrow(/@kindling\/backend-cuda/);
      expect(() => x.cuda(0)).toThrow(/@kindling\/backend-cuda/);
      expect(() => new nn.Linear(4, 2).cuda()).toThrow(/@kindling\/backend-cuda/);
    }
  });
});
