// Kindling on cuda beside PyTorch on the same GPU: matmul (float32, TF32, bfloat16) and an MLP
// training step. Run from a built checkout or from the bundle scripts/cuda-bundle.sh makes:
//   node bench/cuda.mjs [--quick]
// PyTorch's numbers come from bench/cuda_torch.py when python3 with a CUDA torch is on PATH
// (KINDLING_BENCH_PYTHON chooses another interpreter); without it Kindling's column is printed alone.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');

async function importFirst(...specs) {
  let last;
  for (const s of specs) {
    try {
      return await import(s);
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

const torch = await importFirst('kindling', join(here, '..', 'packages', 'torch', 'dist', 'index.js'));
const cuda = await importFirst('@kindling/backend-cuda', join(here, '..', 'packages', 'backend-cuda', 'dist', 'index.js'));

const status = cuda.cudaStatus();
if (!status.available) {
  console.log(`bench/cuda: CUDA is not available here (${status.reason}); nothing to measure.`);
  process.exit(0);
}

function timed(fn, warmup, iters) {
  for (let i = 0; i < warmup; i++) fn();
  torch.cuda.synchronize();
  const start = new cuda.Event({ enableTiming: true });
  const end = new cuda.Event({ enableTiming: true });
  start.record();
  for (let i = 0; i < iters; i++) fn();
  end.record();
  end.synchronize();
  return start.elapsedTime(end) / iters;
}

const n = quick ? 2048 : 4096;
const iters = quick ? 5 : 20;
const ours = {};
torch.manualSeed(0);
const a = torch.randn(n, n).cuda();
const b = torch.randn(n, n).cuda();
for (const [name, dtype, tf32] of [['matmul_fp32', 'float32', false], ['matmul_tf32', 'float32', true], ['matmul_bf16', 'bfloat16', false]]) {
  torch.backends.cuda.matmul.allowTf32 = tf32;
  const x = a.to(dtype);
  const y = b.to(dtype);
  const ms = timed(() => torch.mm(x, y).dispose(), 3, iters);
  ours[name] = { ms, tflops: (2 * n ** 3) / (ms * 1e-3) / 1e12 };
}
torch.backends.cuda.matmul.allowTf32 = false;

try {
  const nn = torch.nn;
  const model = new nn.Sequential(new nn.Linear(784, 1024), new nn.ReLU(), new nn.Linear(1024, 1024), new nn.ReLU(), new nn.Linear(1024, 10)).to('cuda');
  const opt = new torch.optim.SGD(model.parameters(), { lr: 0.01 });
  const xb = torch.randn(512, 784).cuda();
  const yb = torch.randn(512, 10).cuda();
  const step = () => {
    opt.zeroGrad();
    const loss = nn.functional.mseLoss(model.forward(xb), yb);
    loss.backward();
    opt.step();
  };
  ours.mlp_step = { ms: timed(step, 3, iters) };
} catch (err) {
  ours.mlp_step = { error: String(err?.message ?? err).split('\n')[0] };
}

const python = process.env.KINDLING_BENCH_PYTHON ?? 'python3';
const py = spawnSync(python, [join(here, 'cuda_torch.py'), ...(quick ? ['--quick'] : [])], { encoding: 'utf8' });
const theirs = py.status === 0 ? JSON.parse(py.stdout.trim().split('\n').pop()) : null;

console.log(`bench/cuda on ${torch.cuda.getDeviceName(0)} (n = ${n}; PyTorch: ${theirs ? theirs.torch : `unavailable: ${(py.stderr || String(py.error)).trim().split('\n').pop()}`})`);
console.log('workload        kindling            pytorch             ratio (kindling / pytorch time)');
for (const [name, r] of Object.entries(ours)) {
  const t = theirs?.results?.[name];
  const fmt = (x) => (x ? (x.error ? `error: ${x.error}` : `${x.ms.toFixed(3)} ms${x.tflops ? ` ${x.tflops.toFixed(1)} TF/s` : ''}`) : '-');
  const ratio = r.ms && t?.ms ? (r.ms / t.ms).toFixed(2) : '-';
  console.log(`${name.padEnd(16)}${fmt(r).padEnd(20)}${fmt(t).padEnd(20)}${ratio}`);
}
console.log(JSON.stringify({ kindling: ours, pytorch: theirs }));
