// Every example of handbook sections 5.1, 5.4, 5.5, 5.8, 5.9, 6, 7, 14.1–14.3 and 15.1 in its
// TypeScript form, with the shapes and values its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from '@kindling/tensor';
import * as nn from '../src/index.js';
import { Classifier, MultiTaskModel, MyModel } from './helpers/models.js';

const F = nn.functional;
const init = nn.init;

describe('5.1 linear layers', () => {
  test('Linear(in_features=128, out_features=64, bias=True)', () => {
    const linear = new nn.Linear({ inFeatures: 128, outFeatures: 64, bias: true });
    const x = torch.randn(32, 128);
    const y = linear.forward(x);
    expect(y.shape).toEqual([32, 64]);
    expect(linear.weight.shape).toEqual([64, 128]);
    expect(linear.bias!.shape).toEqual([64]);
  });
  test('LazyLinear infers in_features on the first call', () => {
    const x = torch.randn(32, 128);
    const lazy = new nn.LazyLinear(64);
    expect(lazy.weight).toBeNull();
    const y = lazy.forward(x);
    expect(y.shape).toEqual([32, 64]);
    expect(lazy.inFeatures).toBe(128);
    expect(lazy.weight!.shape).toEqual([64, 128]);
    expect(lazy.toString()).toBe('Linear(in_features=128, out_features=64, bias=True)');
  });
  test('Bilinear and Identity', () => {
    const bl = new nn.Bilinear(20, 30, 40);
    expect(bl.forward(torch.randn(128, 20), torch.randn(128, 30)).shape).toEqual([128, 40]);
    const id = new nn.Identity(54, { unusedArgument1: 0.1 });
    const x = torch.randn(128, 20);
    expect(id.forward(x)).toBe(x);
  });
});

describe('5.4 normalization layers', () => {
  test('BatchNorm2d: batch statistics in training, running averages in eval', () => {
    const bn = new nn.BatchNorm2d({ numFeatures: 64 });
    const x = torch.randn(16, 64, 32, 32);
    const y = bn.forward(x);
    expect(y.shape).toEqual([16, 64, 32, 32]);
    // Training normalises each channel to mean 0, variance 1.
    expect(Math.abs(Number(y.mean().item()))).toBeLessThan(1e-5);
    expect(Number(bn.numBatchesTracked!.item())).toBe(1);
    bn.eval();
    const z = bn.forward(x);
    expect(z.equal(y)).toBe(false);
    expect(Number(bn.numBatchesTracked!.item())).toBe(1);
  });
  test('LayerNorm over the last dim, and over the last two', () => {
    let ln = new nn.LayerNorm({ normalizedShape: 768 });
    const x = torch.randn(32, 10, 768);
    expect(ln.forward(x).shape).toEqual([32, 10, 768]);
    ln = new nn.LayerNorm([10, 768]);
    expect(ln.weight!.shape).toEqual([10, 768]);
    expect(ln.forward(x).shape).toEqual([32, 10, 768]);
  });
  test('GroupNorm and InstanceNorm2d', () => {
    const gn = new nn.GroupNorm({ numGroups: 8, numChannels: 64 });
    const x = torch.randn(16, 64, 32, 32);
    expect(gn.forward(x).shape).toEqual([16, 64, 32, 32]);
    const insNorm = new nn.InstanceNorm2d(64);
    expect(insNorm.forward(x).shape).toEqual([16, 64, 32, 32]);
    expect(insNorm.parameters()).toEqual([]);
  });
});

describe('5.5 dropout', () => {
  test('Dropout zeroes in training and is the identity in eval', () => {
    const dropout = new nn.Dropout({ p: 0.5 });
    const x = torch.randn(32, 128);
    const y = dropout.forward(x);
    const zeros = Number(y.eq(0).sum().item());
    expect(zeros).toBeGreaterThan(32 * 128 * 0.4);
    expect(zeros).toBeLessThan(32 * 128 * 0.6);
    // The survivors are scaled by 1/(1 − p).
    expect(y.ne(0).logicalAnd(y.ne(x.mul(2))).any().item()).toBe(false);
    dropout.eval();
    expect(dropout.forward(x)).toBe(x);
  });
  test('Dropout2d drops whole channels', () => {
    const dropout2d = new nn.Dropout2d({ p: 0.5 });
    const x = torch.randn(16, 64, 32, 32);
    const y = dropout2d.forward(x);
    const perChannel = y.eq(0).all(3).all(2); // (16, 64): channel entirely zero
    const anyZero = y.eq(0).any(3).any(2);
    expect(perChannel.equal(anyZero)).toBe(true);
    expect(Number(perChannel.sum().item())).toBeGreaterThan(0);
  });
  test('model.eval() / model.train() switch every dropout', () => {
    const model = new nn.Sequential(new nn.Linear(8, 8), new nn.Dropout(0.5));
    model.eval();
    expect(model.training).toBe(false);
    expect(model.get(1).training).toBe(false);
    model.train();
    expect(model.get(1).training).toBe(true);
  });
});

describe('5.8 embeddings', () => {
  test('Embedding with padding_idx', () => {
    const embedding = new nn.Embedding({ numEmbeddings: 10000, embeddingDim: 256, paddingIdx: 0 });
    const inputIds = torch.tensor([[1, 2, 4, 5], [4, 3, 2, 0]]);
    const embedded = embedding.forward(inputIds);
    expect(embedded.shape).toEqual([2, 4, 256]);
    expect(embedding.weight.select(0, 0).abs().sum().item()).toBe(0);
    embedded.sum().backward();
    expect(embedding.weight.grad!.select(0, 0).abs().sum().item()).toBe(0);
    expect(embedding.weight.grad!.select(0, 4).tolist()).toEqual(new Array(256).fill(2));
  });
  test('from_pretrained(freeze=False) shares and trains the given tensor', () => {
    const pretrained = torch.randn(10000, 256);
    const embedding = nn.Embedding.fromPretrained(pretrained, { freeze: false });
    expect(embedding.weight.requiresGrad).toBe(true);
    expect(embedding.weight.equal(pretrained)).toBe(true);
    expect(nn.Embedding.fromPretrained(pretrained).weight.requiresGrad).toBe(false);
  });
  test('EmbeddingBag(mode=mean) with offsets', () => {
    const embag = new nn.EmbeddingBag(1000, 128, { mode: 'mean' });
    const inputIds = torch.tensor([1, 2, 4, 5, 4, 3, 2]);
    const offsets = torch.tensor([0, 4]);
    const output = embag.forward(inputIds, offsets);
    expect(output.shape).toEqual([2, 128]);
    const w = embag.weight;
    expect(output.select(0, 1).allclose(w.index(torch.tensor([4, 3, 2])).mean(0))).toBe(true);
  });
});

describe('5.9 containers', () => {
  test('Sequential runs its children in order', () => {
    const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 128), new nn.ReLU(), new nn.Linear(128, 10));
    expect((model.forward(torch.randn(4, 784)) as torch.Tensor).shape).toEqual([4, 10]);
    expect(model.length).toBe(5);
    expect(model[0]).toBeInstanceOf(nn.Linear);
    expect(model.get(-1)).toBe(model[4]);
    const sub = model.slice(0, 2);
    expect(sub[0]).toBe(model[0]);
  });
  test('Sequential with names: model.fc1', () => {
    const model = new nn.Sequential({ fc1: new nn.Linear(784, 256), relu1: new nn.ReLU(), fc2: new nn.Linear(256, 10) });
    expect(model.fc1.toString()).toBe('Linear(in_features=784, out_features=256, bias=True)');
    expect(model.fc1.weight.shape).toEqual([256, 784]);
    expect(model.get('fc2')).toBe(model.fc2);
    expect(model[0]).toBe(model.fc1);
    expect(Object.keys(model.stateDict())).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
  });
  test('ModuleList', () => {
    const model = new MyModel(4);
    expect(model.layers.length).toBe(4);
    expect(model.parameters().length).toBe(8);
    expect(model.forward(torch.randn(2, 128)).shape).toEqual([2, 128]);
    model.layers.append(new nn.Linear(128, 128));
    expect(Object.keys(model.stateDict())).toContain('layers.4.weight');
  });
  test('ModuleDict', () => {
    const model = new MultiTaskModel();
    const x = torch.randn(5, 128);
    expect(model.forward(x, 'classification').shape).toEqual([5, 10]);
    expect(model.forward(x, 'regression').shape).toEqual([5, 1]);
    expect(model.heads.classification).toBe(model.heads.get('classification'));
    expect([...model.heads]).toEqual(['classification', 'regression']);
  });
  test('ParameterList and ParameterDict register their tensors', () => {
    class M extends nn.Module {
      ps = new nn.ParameterList([torch.zeros(2), torch.ones(3)]);
      pd = new nn.ParameterDict({ scale: torch.ones(1) });
    }
    const m = new M();
    expect(m.namedParameters().map(([k]) => k)).toEqual(['ps.0', 'ps.1', 'pd.scale']);
    expect(m.ps[1]).toBeInstanceOf(nn.Parameter);
    expect(m.pd.get('scale').requiresGrad).toBe(true);
  });
});

describe('6 activations', () => {
  test('module and functional forms', () => {
    const relu = new nn.ReLU({ inplace: true });
    const gelu = new nn.GELU();
    const silu = new nn.SiLU();
    const x = torch.randn(32, 128);
    expect(gelu.forward(x).allclose(F.gelu(x))).toBe(true);
    expect(silu.forward(x).allclose(F.silu(x))).toBe(true);
    expect(F.relu(x).allclose(x.clamp(0))).toBe(true);
    const y = F.leakyRelu(x, { negativeSlope: 0.01 });
    expect(y.allclose(torch.where(x.gt(0), x, x.mul(0.01)))).toBe(true);
    const x2 = x.clone();
    expect(relu.forward(x2)).toBe(x2);
    expect(x2.allclose(x.clamp(0))).toBe(true);
  });
  test('Softmax along the class dim', () => {
    const logits = torch.randn(32, 10);
    const probs = F.softmax(logits, { dim: 1 });
    expect(probs.sum(1).allclose(torch.ones(32))).toBe(true);
    const logProbs = F.logSoftmax(logits, { dim: 1 });
    expect(logProbs.exp().allclose(probs)).toBe(true);
  });
  test('Swish is SiLU; every activation of the table exists', () => {
    expect(nn.Swish).toBe(nn.SiLU);
    for (const M of [nn.ReLU, nn.LeakyReLU, nn.PReLU, nn.ELU, nn.SELU, nn.GELU, nn.SiLU, nn.Mish, nn.Sigmoid, nn.Tanh, nn.Softmax, nn.LogSoftmax, nn.Softplus, nn.Hardtanh, nn.Hardswish]) {
      expect(new M().forward(torch.randn(4, 3)).shape).toEqual([4, 3]);
    }
  });
});

describe('7 losses', () => {
  test('7.1 regression losses', () => {
    const mse = new nn.MSELoss({ reduction: 'mean' });
    const yPred = torch.randn(32, 1);
    const yTrue = torch.randn(32, 1);
    expect(mse.forward(yPred, yTrue).allclose(yPred.sub(yTrue).pow(2).mean())).toBe(true);
    const huber = new nn.HuberLoss({ delta: 1.0 });
    const smoothL1 = new nn.SmoothL1Loss();
    // Smooth L1 equals Huber with delta = 1.
    expect(huber.forward(yPred, yTrue).allclose(smoothL1.forward(yPred, yTrue))).toBe(true);
  });
  test('7.2 classification losses', () => {
    const ceLoss = new nn.CrossEntropyLoss({ weight: null, ignoreIndex: -100, labelSmoothing: 0.0 });
    const logits = torch.randn(32, 10);
    const targets = torch.randint(0, 10, [32]);
    const loss = ceLoss.forward(logits, targets);
    expect(loss.shape).toEqual([]);
    expect(loss.allclose(F.nllLoss(F.logSoftmax(logits, { dim: 1 }), targets))).toBe(true);
    const bceLogits = new nn.BCEWithLogitsLoss({ posWeight: torch.tensor([2], { dtype: 'float32' }) });
    const l2 = torch.randn(32, 1);
    const t2 = torch.randint(0, 2, [32, 1]).float();
    expect(bceLogits.forward(l2, t2).shape).toEqual([]);
    const l5 = torch.randn(32, 5);
    const t5 = torch.randint(0, 2, [32, 5]).float();
    expect(bceLogits.forward(l5, t5).shape).toEqual([]);
    expect(Object.keys(bceLogits.stateDict())).toEqual(['pos_weight']);
  });
  test('7.3 other losses', () => {
    const klLoss = new nn.KLDivLoss({ reduction: 'batchmean' });
    const logProbs = F.logSoftmax(torch.randn(32, 10), { dim: 1 });
    const targets = F.softmax(torch.randn(32, 10), { dim: 1 });
    expect(Number(klLoss.forward(logProbs, targets).item())).toBeGreaterThanOrEqual(0);
    const tripletLoss = new nn.TripletMarginLoss({ margin: 1.0 });
    const [anchor, positive, negative] = [torch.randn(32, 128), torch.randn(32, 128), torch.randn(32, 128)];
    expect(tripletLoss.forward(anchor, positive, negative).shape).toEqual([]);
    const cosLoss = new nn.CosineEmbeddingLoss();
    const labels = torch.randint(-1, 2, [32]).float();
    expect(cosLoss.forward(torch.randn(32, 128), torch.randn(32, 128), labels).shape).toEqual([]);
    const ctc = new nn.CTCLoss();
    const lp = torch.randn(50, 16, 20).logSoftmax(2).detach().requiresGrad_(true);
    const tg = torch.randint(1, 20, [16, 30]);
    const loss = ctc.forward(lp, tg, new Array(16).fill(50), torch.randint(10, 30, [16]));
    loss.backward();
    expect(lp.grad!.shape).toEqual([50, 16, 20]);
  });
});

describe('14.1 initialisation', () => {
  test('the initialisers of the handbook', () => {
    const layer = new nn.Linear(128, 64);
    init.xavierUniform_(layer.weight);
    init.xavierNormal_(layer.weight);
    init.kaimingUniform_(layer.weight, { mode: 'fan_in', nonlinearity: 'relu' });
    expect(Number(layer.weight.abs().max().item())).toBeLessThanOrEqual(Math.sqrt(6 / 128));
    init.kaimingNormal_(layer.weight, { mode: 'fan_out', nonlinearity: 'relu' });
    init.constant_(layer.bias!, 0);
    expect(layer.bias!.abs().sum().item()).toBe(0);
    init.zeros_(layer.weight);
    init.ones_(layer.weight);
    expect(layer.weight.sum().item()).toBe(64 * 128);
    init.normal_(layer.weight, { mean: 0, std: 0.01 });
    init.uniform_(layer.weight, { a: -1, b: 1 });
    init.orthogonal_(layer.weight);
    const wwt = layer.weight.matmul(layer.weight.T);
    expect(wwt.allclose(torch.eye(64), { atol: 1e-5 })).toBe(true);
    expect(layer.weight.requiresGrad).toBe(true);
    expect(layer.weight.gradFn).toBeNull();
  });
  test('model.apply(init_weights)', () => {
    const model = new Classifier(20, 16, 3);
    const seen: string[] = [];
    model.apply((m) => {
      seen.push(m.constructor.name);
      if (m instanceof nn.Linear) {
        init.kaimingNormal_(m.weight);
        if (m.bias !== null) init.zeros_(m.bias);
      }
    });
    expect(seen).toEqual(['Linear', 'Linear', 'Linear', 'Dropout', 'BatchNorm1d', 'BatchNorm1d', 'Classifier']);
    expect(model.fc2.bias!.abs().sum().item()).toBe(0);
  });
});

describe('14.2 gradient operations', () => {
  const setup = () => {
    const model = new MultiTaskModel();
    (model.forward(torch.randn(8, 128), 'classification')).pow(2).sum().backward();
    return model;
  };
  test('clip_grad_norm_ and clip_grad_value_', () => {
    const model = setup();
    nn.utils.clipGradNorm_(model.parameters(), 1.0);
    const norms = model.parameters().filter((p) => p.grad).map((p) => p.grad!.norm());
    expect(Number(torch.stack(norms).norm().item())).toBeLessThanOrEqual(1.0001);
    nn.utils.clipGradValue_(model.parameters(), 0.01);
    for (const p of model.parameters()) if (p.grad) expect(Number(p.grad.abs().max().item())).toBeLessThanOrEqual(0.01);
  });
  test('inspecting, freezing and filtering parameters', () => {
    const model = setup();
    const lines: string[] = [];
    for (const [name, param] of model.namedParameters()) {
      if (param.grad !== null) lines.push(`${name}: grad_norm = ${Number(param.grad.norm().item()).toFixed(4)}`);
    }
    expect(lines.map((l) => l.split(':')[0])).toEqual(['backbone.weight', 'backbone.bias', 'heads.classification.weight', 'heads.classification.bias']);
    for (const param of model.backbone.parameters()) param.requiresGrad = false;
    const trainable = model.parameters().filter((p) => p.requiresGrad);
    expect(trainable.length).toBe(4);
  });
});

describe('14.3 model information', () => {
  test('print(model), parameter counts, named parameters and modules', () => {
    const model = new Classifier(784, 256, 10);
    expect(model.toString().split('\n')[0]).toBe('Classifier(');
    let totalParams = 0;
    let trainableParams = 0;
    for (const p of model.parameters()) {
      totalParams += p.numel();
      if (p.requiresGrad) trainableParams += p.numel();
    }
    // 784·256 + 256 + 256·256 + 256 + 256·10 + 10 + 2·(256 + 256)
    expect(totalParams).toBe(270_346);
    expect(trainableParams).toBe(totalParams);
    expect(`Total: ${totalParams.toLocaleString('en-US')}, Trainable: ${trainableParams.toLocaleString('en-US')}`).toBe('Total: 270,346, Trainable: 270,346');
    const lines = model.namedParameters().map(([name, param]) => `${name}: [${param.shape.join(', ')}], requires_grad=${param.requiresGrad}`);
    expect(lines[0]).toBe('fc1.weight: [256, 784], requires_grad=true');
    const mods = model.namedModules().map(([name, m]) => `${name}: ${m.constructor.name}`);
    expect(mods).toEqual([': Classifier', 'fc1: Linear', 'fc2: Linear', 'fc3: Linear', 'dropout: Dropout', 'bn1: BatchNorm1d', 'bn2: BatchNorm1d']);
  });
});

describe('15.1 the classification model', () => {
  test('forward gives logits; eval mode is deterministic', () => {
    const model = new Classifier(784, 256, 10, 0.5);
    const x = torch.randn(32, 784);
    const logits = model.forward(x);
    expect(logits.shape).toEqual([32, 10]);
    model.eval();
    expect(model.forward(x).equal(model.forward(x))).toBe(true);
  });
});
