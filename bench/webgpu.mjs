// Kindling on webgpu beside Kindling on cpu: matmul 256/512/1024 and an MLP training step, printed as
// webgpu time / cpu time. Run from a built checkout (pnpm exec turbo run build):
//   node bench/webgpu.mjs [--quick]
// In Node the GPU is reached through Dawn (the `webgpu` package); on a machine without a GPU that is
// Mesa's lavapipe, a Vulkan driver that runs on the CPU (scripts/install-webgpu-driver.sh), so expect
// webgpu to be slower than cpu there: the numbers show the backend's overheads, not a GPU's speed.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const icd = fileURLToPath(new URL('../.cache/webgpu-driver/lvp_icd.json', import.meta.url));
if (existsSync(icd) && !process.env.VK_DRIVER_FILES) process.env.VK_DRIVER_FILES = icd;

const torch = await import('@kindling/tensor');
await import('@kindling/backend-cpu');
await import('@kindling/autograd');
const nn = await import('@kindling/nn');
const { Adam } = await import('@kindling/optim');
const webgpu = await import('@kindling/backend-webgpu');

let info;
try {
  info = await webgpu.initWebGPU();
} catch (e) {
  console.log(`bench/webgpu: no WebGPU adapter here (${e.message}); nothing to measure.`);
  process.exit(0);
}
const quick = process.argv.includes('--quick');
const iters = quick ? 3 : 10;

/** Median milliseconds per call of `step` (which queues work), waiting for the device after each. */
async function time(device, step) {
  const sync = device === 'webgpu' ? () => webgpu.synchronize() : async () => {};
  for (let i = 0; i < 2; i++) step();
  await sync();
  const samples = [];
  for (let i = 0; i < iters; i++) {
    const t0 = performance.now();
    step();
    await sync();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

const rows = [];
for (const n of [256, 512, 1024]) {
  torch.manualSeed(0);
  const a = torch.randn(n, n);
  const b = torch.randn(n, n);
  const ga = a.to('webgpu');
  const gb = b.to('webgpu');
  const cpu = await time('cpu', () => a.matmul(b).dispose());
  const gpu = await time('webgpu', () => ga.matmul(gb).dispose());
  rows.push([`matmul ${n}x${n}`, gpu, cpu]);
  console.error(`bench/webgpu: matmul ${n}: webgpu ${gpu.toFixed(1)} ms, cpu ${cpu.toFixed(1)} ms`);
}

async function trainingStep(device) {
  torch.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10)).to(device);
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  // Cross-entropy written out: nn.CrossEntropyLoss checks the targets with a synchronous read,
  // which webgpu tensors refuse.
  const lossFn = (logits, target) => torch.logSoftmax(logits, 1).gather(1, target.unsqueeze(1)).mean().neg();
  const x = torch.randn(128, 784).to(device);
  const y = torch.randint(0, 10, [128]).to(device);
  // No tidy: the step's gradients must outlive it (the optimizer zeroes them next time); dropped
  // intermediates are freed by the tensor package's finalizers.
  return time(device, () => {
    opt.zeroGrad();
    const loss = lossFn(model.forward(x), y);
    loss.backward();
    opt.step();
  });
}
rows.push(['MLP 784-256-10 Adam step, batch 128', await trainingStep('webgpu'), await trainingStep('cpu')]);

console.log(`webgpu adapter: ${info.adapter}`);
console.log('| workload | webgpu ms | cpu ms | webgpu / cpu |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, g, c] of rows) console.log(`| ${name} | ${g.toFixed(2)} | ${c.toFixed(2)} | ${(g / c).toFixed(2)} |`);
