import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const script = join(root, 'examples/mnist/dist/train.js');
const python = '/usr/bin/python3';
const hasTorch = existsSync(python) && spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;

describe('the main job (README: npm start)', () => {
  const out = mkdtempSync(join(tmpdir(), 'kindling-mnist-'));
  let stdout = '';

  it('trains the 15.1 Classifier on the MNIST digits, saves the best checkpoint and reports held-out accuracy', () => {
    expect(existsSync(script)).toBe(true); // built by the set-up step
    const r = spawnSync(process.execPath, [script, '--epochs=2', `--out=${out}`], { encoding: 'utf8', env: { ...process.env, CI: '1' }, timeout: 600_000 });
    stdout = r.stdout;
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(stdout).toMatch(/Epoch 2\/2: 100% 125\/125/);
    const acc = Number(/Held-out accuracy: ([\d.]+)%/.exec(stdout)?.[1]);
    expect(acc).toBeGreaterThan(88);
    expect(stdout).toMatch(/Confusion matrix/);
    expect(existsSync(join(out, 'best_model.pth'))).toBe(true);
    expect(readFileSync(join(out, 'training_curve.svg'), 'utf8')).toMatch(/^<svg[^>]*>[\s\S]*polyline[\s\S]*<\/svg>$/);
  }, 600_000);

  it.skipIf(!hasTorch)('writes a checkpoint PyTorch loads (needs python3-torch; skipped without it)', () => {
    const code = [
      'import sys, torch',
      `ck = torch.load(${JSON.stringify(join(out, 'best_model.pth'))})`,
      "assert set(ck) == {'epoch', 'model_state_dict', 'optimizer_state_dict', 'best_acc'}, ck.keys()",
      "sd = ck['model_state_dict']",
      "assert list(sd)[:2] == ['fc1.weight', 'fc1.bias'] and sd['fc1.weight'].shape == (256, 784)",
      "assert ck['optimizer_state_dict']['param_groups'][0]['weight_decay'] == 0.01",
      'print("ok")',
    ].join('\n');
    const r = spawnSync(python, ['-c', code], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('ok');
  });
});

// The same script with --device webgpu: in Node, through Dawn and the Vulkan driver that
// scripts/install-webgpu-driver.sh puts in the repository (Mesa's lavapipe on a machine without a GPU).
const icd = join(root, '.cache/webgpu-driver/lvp_icd.json');
const inCI = !!process.env['CI'] && process.env['CI'] !== 'false';

describe.skipIf(!existsSync(icd) && !inCI)(`the main job on webgpu${existsSync(icd) ? '' : ' (skipped: no WebGPU driver; run scripts/install-webgpu-driver.sh)'}`, () => {
  it('trains to the same losses and accuracy as on cpu (400 digits each side, 1 epoch)', () => {
    const run = (device: string) => {
      const out = mkdtempSync(join(tmpdir(), `kindling-mnist-${device}-`));
      const r = spawnSync(process.execPath, [script, '--epochs=1', '--limit=400', `--device=${device}`, `--out=${out}`], {
        encoding: 'utf8', env: { ...process.env, CI: '1', VK_DRIVER_FILES: process.env['VK_DRIVER_FILES'] ?? icd }, timeout: 300_000,
      });
      expect(r.stderr, device).not.toMatch(/Error/);
      expect(r.status, device).toBe(0);
      expect(existsSync(join(out, 'best_model.pth'))).toBe(true);
      const m = /Train Loss: ([\d.]+), Acc: ([\d.]+) {2}\| {2}Val Loss: ([\d.]+), Acc: ([\d.]+)/.exec(r.stdout);
      expect(m, `${device} printed no epoch line:\n${r.stdout}`).not.toBeNull();
      return m!.slice(1).map(Number);
    };
    const [gTrainLoss, gTrainAcc, gValLoss, gValAcc] = run('webgpu');
    const [cTrainLoss, cTrainAcc, cValLoss, cValAcc] = run('cpu');
    // float32 on both; webgpu sums in another order, so losses agree to float32 rounding, and the
    // predictions (hence the accuracies) are the same.
    expect(gTrainAcc).toBe(cTrainAcc);
    expect(gValAcc).toBe(cValAcc);
    expect(Math.abs(gTrainLoss! - cTrainLoss!)).toBeLessThanOrEqual(2e-4);
    expect(Math.abs(gValLoss! - cValLoss!)).toBeLessThanOrEqual(2e-4);
  }, 600_000);
});
