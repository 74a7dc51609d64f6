// Runs Kindling's main job and the PyTorch reference (bench/mnist_reference.py) with the same
// settings, one after the other, and prints held-out accuracy and seconds per epoch side by side.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const epochs = process.argv.find((a) => a.startsWith('--epochs='))?.split('=')[1] ?? '10';
const python = process.env.PYTHON ?? '/usr/bin/python3';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: { ...process.env, CI: '1' }, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

const k = run('node', [join(root, 'examples/mnist/dist/train.js'), `--epochs=${epochs}`, '--out=bench/results/mnist']);
const kAcc = Number(/Held-out accuracy: ([\d.]+)%/.exec(k)?.[1]) / 100;
const kSec = Number(/\(([\d.]+)s per epoch\)/.exec(k)?.[1]);
let pAcc = NaN;
let pSec = NaN;
if (existsSync(python)) {
  const lines = run(python, [join(root, 'bench/mnist_reference.py'), `--epochs=${epochs}`]).trim().split('\n');
  const res = JSON.parse(lines[lines.length - 1]);
  pAcc = res.heldout_accuracy;
  pSec = res.seconds_per_epoch;
} else {
  console.log(`(${python} not found: PyTorch reference skipped)`);
}
console.log(`MNIST Classifier, ${epochs} epochs, batch 64, AdamW 1e-3, cosine schedule`);
console.log(`               held-out acc   s/epoch`);
console.log(`Kindling       ${(100 * kAcc).toFixed(2).padStart(8)}%   ${kSec.toFixed(2).padStart(7)}`);
console.log(`PyTorch 1.13   ${(100 * pAcc).toFixed(2).padStart(8)}%   ${pSec.toFixed(2).padStart(7)}`);
console.log(`difference     ${(100 * (kAcc - pAcc)).toFixed(2).padStart(8)} pts  ratio ${(kSec / pSec).toFixed(2)}`);
