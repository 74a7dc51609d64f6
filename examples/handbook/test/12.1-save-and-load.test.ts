// Handbook 12.1 保存与加载方式 (saving and loading): the section's code block in TypeScript. With a path,
// `torch.save` and `torch.load` return promises (file I/O); the files are PyTorch's format.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';
import { registerModule, registerModules } from '@kindling/io';
import { tempDir } from './helpers/tmp.js';

const file = tempDir();

class MyModel extends nn.Module {
  fc1 = new nn.Linear(8, 16);
  fc2 = new nn.Linear(16, 2);
  override forward(x: torch.Tensor): torch.Tensor {
    return this.fc2.forward(nn.functional.relu(this.fc1.forward(x)));
  }
}

describe('12.1 save and load', () => {
  const x = torch.randn(3, 8);

  test('方式1: 只保存参数 (推荐) — state_dict to a file and back', async () => {
    const model = new MyModel();
    await torch.save(model.stateDict(), file('model_weights.pth'));

    // 加载参数
    const loaded = new MyModel();
    loaded.loadStateDict(await torch.load(file('model_weights.pth')));
    expect(loaded.forward(x).tolist()).toEqual(model.forward(x).tolist());
  });

  test('方式2: 保存整个模型 (包含结构) — the class is registered to be rebuilt', async () => {
    // Python's pickle finds MyModel by its module path; Kindling never runs code from a file, so the
    // classes a file may rebuild are registered first (nn's own, and the user's).
    registerModules(nn);
    registerModule('MyModel', MyModel);
    const model = new MyModel();
    await torch.save(model, file('model_complete.pth'));

    // 加载完整模型
    const loaded = await torch.load<MyModel>(file('model_complete.pth'));
    expect(loaded).toBeInstanceOf(MyModel);
    expect(loaded.fc1).toBeInstanceOf(nn.Linear);
    expect(loaded.forward(x).tolist()).toEqual(model.forward(x).tolist());
  });
});
