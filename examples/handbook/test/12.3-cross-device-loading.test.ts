// Handbook 12.3 跨设备加载 (loading across devices): the section's code block in TypeScript. Loading
// onto 'cpu' works everywhere; 'cuda:0' needs @kindling/backend-cuda and a GPU: without them the load
// fails with an error that says so (and when CUDA is there, the tensors land on the GPU).
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';
import { tempDir } from './helpers/tmp.js';

const file = tempDir();

describe('12.3 loading across devices', () => {
  const model = new nn.Linear(4, 2);

  test('GPU 保存，CPU 加载: map_location="cpu"', async () => {
    await torch.save(model.stateDict(), file('model.pth'));
    const other = new nn.Linear(4, 2);
    other.loadStateDict(await torch.load(file('model.pth'), { mapLocation: 'cpu' }));
    expect(other.weight.device.type).toBe('cpu');
    expect(other.weight.tolist()).toEqual(model.weight.tolist());
  });

  test('CPU 保存，GPU 加载: map_location="cuda:0"', async () => {
    await torch.save(model.stateDict(), file('model.pth'));
    if (torch.cuda.isAvailable()) {
      const sd = await torch.load<Record<string, torch.Tensor>>(file('model.pth'), { mapLocation: 'cuda:0' });
      expect(sd['weight']!.device.type).toBe('cuda');
    } else {
      // No GPU here (or no @kindling/backend-cuda): a clear error naming the package to install.
      await expect(torch.load(file('model.pth'), { mapLocation: 'cuda:0' })).rejects.toThrow(/cuda/);
    }
  });

  test('多 GPU 保存，单 GPU 加载: strip the "module." prefix DataParallel adds', async () => {
    // What a DataParallel-wrapped model's state_dict looks like: every key under 'module.'.
    const wrapped = Object.fromEntries(Object.entries(model.stateDict()).map(([k, v]) => [`module.${k}`, v]));
    await torch.save(wrapped, file('model.pth'));
    const stateDict = await torch.load<Record<string, torch.Tensor>>(file('model.pth'));
    expect(Object.keys(stateDict)).toEqual(['module.weight', 'module.bias']);
    const newStateDict: Record<string, torch.Tensor> = {}; // OrderedDict: object keys keep their order
    for (const [k, v] of Object.entries(stateDict)) {
      const name = k.replace('module.', ''); // 移除 'module.' 前缀
      newStateDict[name] = v;
    }
    const other = new nn.Linear(4, 2);
    other.loadStateDict(newStateDict);
    expect(other.bias!.tolist()).toEqual(model.bias!.tolist());
  });
});
