import { describe, expect, it } from 'vitest';
import * as torch from 'kindling';

describe("import * as torch from 'kindling'", () => {
  it('gives the PyTorch-shaped namespace', () => {
    const x = torch.tensor([[1, 2], [3, 4]], { dtype: torch.float32 });
    expect(x.matmul(x).tolist()).toEqual([[7, 10], [15, 22]]);
    expect(typeof torch.nn.Linear).toBe('function');
    expect(typeof torch.nn.functional.crossEntropy).toBe('function');
    expect(typeof torch.nn.init.kaimingUniform_).toBe('function');
    expect(typeof torch.nn.utils.clipGradNorm_).toBe('function');
    expect(typeof torch.optim.AdamW).toBe('function');
    expect(typeof torch.optim.lr_scheduler.CosineAnnealingLR).toBe('function');
    expect(typeof torch.utils.data.DataLoader).toBe('function');
    expect(typeof torch.autograd.grad).toBe('function');
    expect(String(torch.device('cuda:1'))).toBe('cuda:1');
  });

  it('reports no CUDA when @kindling/backend-cuda is not installed', () => {
    expect(torch.cuda.isAvailable()).toBe(false);
    expect(torch.cuda.deviceCount()).toBe(0);
    expect(() => torch.zeros(2, { device: 'cuda' })).toThrow(/@kindling\/backend-cuda/);
  });

  it('trains a model end to end: autograd, nn, optim, data, save/load', async () => {
    torch.manualSeed(0);
    const n = 256;
    const x = torch.randn(n, 4);
    const y = x.matmul(torch.tensor([[1], [-2], [0.5], [3]], { dtype: torch.float32 })).add(0.1);
    const loader = new torch.utils.data.DataLoader(new torch.utils.data.TensorDataset(x, y), { batchSize: 32, shuffle: true });
    const model = new torch.nn.Linear(4, 1);
    const opt = new torch.optim.SGD(model.parameters(), { lr: 0.1 });
    const lossFn = new torch.nn.MSELoss();
    let last = Infinity;
    for (let epoch = 0; epoch < 20; epoch++) {
      let total = 0;
      for await (const [bx, by] of loader) {
        opt.zeroGrad();
        const loss = lossFn.forward(model.forward(bx), by);
        loss.backward();
        opt.step();
        total += Number(loss.item());
      }
      last = total;
    }
    expect(last).toBeLessThan(1e-3);
    const bytes = torch.save(model.stateDict());
    const restored = new torch.nn.Linear(4, 1);
    restored.loadStateDict((await torch.load(bytes)) as Record<string, torch.Tensor>);
    expect(torch.allclose(restored.weight, model.weight)).toBe(true);
    expect((restored.weight.reshape(-1).tolist() as number[]).map((v) => Math.round(v * 100) / 100)).toEqual([1, -2, 0.5, 3]);
  });
});
