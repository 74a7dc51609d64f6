// Exact checkpoint round trips through a real PyTorch: Kindling → PyTorch → Kindling (torch.save of
// torch.load of a file Kindling wrote) and PyTorch → Kindling → PyTorch (a checkpoint PyTorch writes,
// loaded and re-saved here, compared in Python), for every dtype with its edge values and for a
// checkpoint holding a model state dict, an AdamW state dict after a few steps and a
// CosineAnnealingLR state dict. Tensors are compared by their raw bytes, numbers with Object.is.
// The PyTorch legs run only where /usr/bin/python3 can import torch; elsewhere they are skipped with
// a note, and only the Kindling → Kindling leg (the same comparison) runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import { Tensor } from '@kindling/tensor';
import * as nn from '@kindling/nn';
import { AdamW, CosineAnnealingLR } from '@kindling/optim';
import { load, save } from '../src/index.js';

const PYTHON = '/usr/bin/python3';
const HAS_TORCH = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
if (!HAS_TORCH) {
  console.warn(`note: skipping the PyTorch checkpoint round trips: ${PYTHON} with torch (python3-torch) is not installed`);
}

function python(script: string, ...args: string[]): string {
  const run = spawnSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`python failed:\n${run.stderr}`);
  return run.stdout;
}

/** The raw bytes of a tensor's elements, in order (float16/bfloat16 as their bits). */
function rawBytes(t: Tensor): Uint8Array {
  const a = t.detach().contiguous().clone().numpy();
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
}

/** Bit-exact deep equality: tensors by dtype, shape and raw bytes; numbers with Object.is. */
function expectSame(got: unknown, want: unknown, path = '$'): void {
  if (want instanceof Tensor) {
    expect(got, `${path}: a tensor`).toBeInstanceOf(Tensor);
    const g = got as Tensor;
    expect(g.dtype, `${path}: dtype`).toBe(want.dtype);
    expect(g.shape, `${path}: shape`).toEqual(want.shape);
    expect(Buffer.from(rawBytes(g)).toString('hex'), `${path}: bytes`).toBe(Buffer.from(rawBytes(want)).toString('hex'));
    return;
  }
  if (typeof want === 'number' || typeof want === 'bigint') {
    expect(typeof got, `${path}: type`).toBe(typeof want);
    expect(Object.is(got, want), `${path}: ${String(got)} vs ${String(want)}`).toBe(true);
    return;
  }
  if (want === null || typeof want !== 'object') return void expect(got, path).toBe(want);
  if (want instanceof Map) {
    expect(got, `${path}: a Map`).toBeInstanceOf(Map);
    const g = got as Map<unknown, unknown>;
    expect([...g.keys()], `${path}: keys`).toEqual([...want.keys()]);
    for (const [k, v] of want) expectSame(g.get(k), v, `${path}[${String(k)}]`);
    return;
  }
  if (Array.isArray(want)) {
    expect(Array.isArray(got), `${path}: an array`).toBe(true);
    expect((got as unknown[]).length, `${path}: length`).toBe(want.length);
    want.forEach((v, i) => expectSame((got as unknown[])[i], v, `${path}[${i}]`));
    return;
  }
  expect(got !== null && typeof got === 'object', `${path}: an object`).toBe(true);
  const g = got as Record<string, unknown>;
  expect(Object.keys(g), `${path}: keys`).toEqual(Object.keys(want));
  for (const [k, v] of Object.entries(want)) expectSame(g[k], v, `${path}.${k}`);
}

/** Every dtype, with the values that a lossy path would damage. */
function kindlingDtypes(): Record<string, Tensor> {
  const floats = [0, -0, 1.5, -2.25, NaN, Infinity, -Infinity, 1e-3, 3.4e38];
  return {
    float32: torch.tensor(floats, { dtype: 'float32' }),
    float64: torch.tensor([...floats, 1e308, 5e-324, Math.PI], { dtype: 'float64' }),
    float16: torch.tensor([...floats.slice(0, 8), 65504, 6e-8], { dtype: 'float16' }),
    bfloat16: torch.tensor(floats, { dtype: 'bfloat16' }),
    int8: torch.tensor([-128, -1, 0, 127], { dtype: 'int8' }),
    int16: torch.tensor([-32768, -1, 0, 32767], { dtype: 'int16' }),
    int32: torch.tensor([-(2 ** 31), -1, 0, 2 ** 31 - 1], { dtype: 'int32' }),
    int64: torch.tensor([-(2n ** 63n), -(2n ** 53n) - 1n, -1n, 0n, 2n ** 53n + 1n, 2n ** 63n - 1n]),
    uint8: torch.tensor([0, 1, 128, 255], { dtype: 'uint8' }),
    bool: torch.tensor([true, false, true]),
    matrix: torch.arange(12, { dtype: 'float32' }).reshape(3, 4),
    scalar: torch.tensor(-0, { dtype: 'float64' }),
  };
}

/** A small MLP trained for a few AdamW steps under a cosine schedule. */
function kindlingCheckpoint(): Record<string, unknown> {
  torch.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 2));
  const opt = new AdamW(model.parameters(), { lr: 0.01, weightDecay: 0.05 });
  const sched = new CosineAnnealingLR(opt, { T_max: 10, etaMin: 1e-4 });
  const x = torch.randn(5, 4);
  for (let i = 0; i < 3; i++) {
    opt.zeroGrad();
    (model.forward(x) as Tensor).pow(2).mean().backward();
    opt.step();
    sched.step();
  }
  return {
    model: model.stateDict(), optimizer: opt.stateDict(), scheduler: sched.stateDict(),
    dtypes: kindlingDtypes(), epoch: 3, loss: 0.125, neg_zero: -0, nan: NaN, inf: -Infinity, name: 'mlp', done: false,
  };
}

describe('checkpoint round trips', () => {
  it('Kindling → Kindling: every dtype, model, AdamW and CosineAnnealingLR state, bit for bit', () => {
    const ckpt = kindlingCheckpoint();
    expectSame(load(save(ckpt)), ckpt);
    const opt = ckpt['optimizer'] as { state: Record<string, Record<string, unknown>> };
    expect(Object.keys(opt.state).length).toBe(4); // every parameter has Adam moments after the steps
  });
});

describe.skipIf(!HAS_TORCH)(`checkpoint round trips through PyTorch${HAS_TORCH ? '' : ' (skipped: no python3-torch)'}`, () => {
  const dir = HAS_TORCH ? mkdtempSync(join(tmpdir(), 'kindling-io-rt-')) : '';
  const file = (name: string) => join(dir, name);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('Kindling → PyTorch → Kindling', () => {
    const ckpt = kindlingCheckpoint();
    writeFileSync(file('k.pth'), save(ckpt));
    python('import sys, torch; torch.save(torch.load(sys.argv[1], weights_only=False), sys.argv[2])', file('k.pth'), file('kp.pth'));
    const back = load(new Uint8Array(readFileSync(file('kp.pth'))));
    expectSame(back, ckpt);
  }, 60_000);

  it('PyTorch → Kindling → PyTorch', () => {
    python(WRITE_CHECKPOINT, file('p.pth'));
    const fromTorch = load(new Uint8Array(readFileSync(file('p.pth'))));
    writeFileSync(file('pk.pth'), save(fromTorch));
    // Kindling reads back what it wrote exactly, and PyTorch finds its own checkpoint again.
    expectSame(load(new Uint8Array(readFileSync(file('pk.pth')))), fromTorch);
    expect(python(COMPARE, file('p.pth'), file('pk.pth')).trim()).toBe('same');
  }, 60_000);
});

/** A checkpoint as PyTorch writes it: every dtype with edge values, an MLP, AdamW after 3 steps, a cosine schedule. */
const WRITE_CHECKPOINT = `
import sys, math, torch
torch.manual_seed(0)
floats = [0.0, -0.0, 1.5, -2.25, math.nan, math.inf, -math.inf, 1e-3, 3.4e38]
dtypes = {
  'float32': torch.tensor(floats, dtype=torch.float32),
  'float64': torch.tensor(floats + [1e308, 5e-324, math.pi], dtype=torch.float64),
  'float16': torch.tensor(floats[:8] + [65504.0, 6e-8], dtype=torch.float16),
  'bfloat16': torch.tensor(floats, dtype=torch.bfloat16),
  'int8': torch.tensor([-128, -1, 0, 127], dtype=torch.int8),
  'int16': torch.tensor([-32768, -1, 0, 32767], dtype=torch.int16),
  'int32': torch.tensor([-2**31, -1, 0, 2**31 - 1], dtype=torch.int32),
  'int64': torch.tensor([-2**63, -2**53 - 1, -1, 0, 2**53 + 1, 2**63 - 1], dtype=torch.int64),
  'uint8': torch.tensor([0, 1, 128, 255], dtype=torch.uint8),
  'bool': torch.tensor([True, False, True]),
  'matrix': torch.arange(12, dtype=torch.float32).reshape(3, 4),
  'scalar': torch.tensor(-0.0, dtype=torch.float64),
}
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
opt = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.05)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10, eta_min=1e-4)
x = torch.randn(5, 4)
for _ in range(3):
  opt.zero_grad()
  model(x).pow(2).mean().backward()
  opt.step()
  sched.step()
torch.save({'model': model.state_dict(), 'optimizer': opt.state_dict(), 'scheduler': sched.state_dict(),
            'dtypes': dtypes, 'epoch': 3, 'loss': 0.125, 'neg_zero': -0.0, 'nan': math.nan, 'inf': -math.inf,
            'big': 2**60 + 1, 'name': 'mlp', 'done': False}, sys.argv[1])
`;

/**
 * Compares two files in PyTorch: tensors by dtype, shape and bytes; numbers exactly (an integral
 * float may come back as an int: a JS number cannot tell them apart); containers element by element.
 */
const COMPARE = `
import sys, math, torch
def raw(t):
  t = t.detach().contiguous().reshape(-1)
  return bytes(t.view(torch.uint8).tolist()) if t.dtype != torch.bool else bytes(t.to(torch.uint8).tolist())
def same(a, b, path):
  if isinstance(a, torch.Tensor):
    assert isinstance(b, torch.Tensor), path
    assert a.dtype == b.dtype and a.shape == b.shape, (path, a.dtype, b.dtype, a.shape, b.shape)
    assert raw(a) == raw(b), (path, a, b)
  elif isinstance(a, bool) or isinstance(b, bool):
    assert type(a) is type(b) and a == b, (path, a, b)
  elif isinstance(a, (int, float)):
    assert isinstance(b, (int, float)), (path, a, b)
    if type(a) is not type(b):
      assert float(a).is_integer() and float(b).is_integer(), (path, a, b)
    if isinstance(a, float) and math.isnan(a):
      assert math.isnan(b), (path, a, b)
    else:
      assert a == b and math.copysign(1, a) == math.copysign(1, b), (path, a, b)
  elif isinstance(a, dict):
    assert isinstance(b, dict) and list(map(str, a.keys())) == list(map(str, b.keys())), (path, list(a), list(b))
    for (k, v), w in zip(a.items(), b.values()):
      same(v, w, f'{path}.{k}')
  elif isinstance(a, (list, tuple)):
    assert isinstance(b, (list, tuple)) and len(a) == len(b), (path, a, b)
    for i, (v, w) in enumerate(zip(a, b)):
      same(v, w, f'{path}[{i}]')
  else:
    assert a == b, (path, a, b)
same(torch.load(sys.argv[1], weights_only=False), torch.load(sys.argv[2], weights_only=False), '$')
print('same')
`;
