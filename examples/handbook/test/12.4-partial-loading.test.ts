// Handbook 12.4 部分加载 (partial loading): the section's code block in TypeScript — transfer learning
// by filtering a pretrained state dict to the keys and shapes the model has, or strict=False.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';
import { tempDir } from './helpers/tmp.js';

const file = tempDir();

/** A pretrained backbone with a 10-class head; the new model has the same backbone and a 3-class head. */
const pretrainedModel = new nn.Sequential({ backbone: new nn.Linear(8, 16), head: new nn.Linear(16, 10) });
const makeModel = () => new nn.Sequential({ backbone: new nn.Linear(8, 16), head: new nn.Linear(16, 3), extra: new nn.Linear(3, 3) });

describe('12.4 partial loading', () => {
  test('加载部分参数 (迁移学习): filter by key and shape, update, load', async () => {
    await torch.save(pretrainedModel.stateDict(), file('pretrained.pth'));
    const model = makeModel();
    const headBefore = model.get('head').stateDict();

    let pretrainedDict = await torch.load<Record<string, torch.Tensor>>(file('pretrained.pth'));
    const modelDict = model.stateDict();

    // 过滤不匹配的键
    pretrainedDict = Object.fromEntries(
      Object.entries(pretrainedDict).filter(([k, v]) => k in modelDict && String(v.shape) === String(modelDict[k]!.shape)),
    );
    expect(Object.keys(pretrainedDict)).toEqual(['backbone.weight', 'backbone.bias']); // the head's shapes differ

    // 更新并加载
    Object.assign(modelDict, pretrainedDict); // model_dict.update(pretrained_dict)
    model.loadStateDict(modelDict);
    expect(model.get('backbone').stateDict()['weight']!.tolist()).toEqual(pretrainedModel.get('backbone').stateDict()['weight']!.tolist());
    expect(model.get('head').stateDict()['weight']!.tolist()).toEqual(headBefore['weight']!.tolist());
  });

  test('或使用 strict=False: missing and unexpected keys are reported, not errors', async () => {
    const source = new nn.Sequential({ backbone: new nn.Linear(8, 16) });
    await torch.save(source.stateDict(), file('model.pth'));
    const model = makeModel();
    expect(() => model.loadStateDict(source.stateDict())).toThrow(/Missing key/);
    const result = model.loadStateDict(await torch.load(file('model.pth')), { strict: false });
    expect(result.missingKeys).toEqual(['head.weight', 'head.bias', 'extra.weight', 'extra.bias']);
    expect(result.unexpectedKeys).toEqual([]);
    expect(model.get('backbone').stateDict()['bias']!.tolist()).toEqual(source.get('backbone').stateDict()['bias']!.tolist());
  });
});
