// DataLoader throughput with worker threads: a CPU-bound dataset (bench/datasets/cpu-heavy.mjs) and a
// TensorDataset (MNIST-sized: 10,000 x 784 float32 + int64 labels, batch 64, where batches are cheap
// slices and workers can only add the cost of moving them between threads).
// Run after a build: `node bench/dataloader.mjs [--batches N] [--batch-size N] [--runs N] [--workers 0,1,2,4]`.
// For each numWorkers: build the loader, iterate a fixed number of batches, report samples/s and
// batches/s as the median of the runs and the speed-up over numWorkers = 0. Worker start-up is part of
// each run (a fresh pool per epoch, as without persistentWorkers), so the table is what an epoch sees.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import '@kindling/backend-cpu';
import * as torch from '@kindling/tensor';
import { DataLoader, TensorDataset, loadDataset } from '@kindling/data';

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}
const batches = Number(option('batches', '40'));
const batchSize = Number(option('batch-size', '32'));
const runs = Number(option('runs', '3'));
const workerCounts = option('workers', '0,1,2,4').split(',').map(Number);
const samples = batches * batchSize;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const dataset = await loadDataset({ module: new URL('./datasets/cpu-heavy.mjs', import.meta.url).href, export: 'CpuHeavyDataset', args: [samples] });

// The cost of one sample on this thread, for the header.
for (let i = 0; i < 20; i++) dataset.getItem(i);
const t0 = performance.now();
for (let i = 0; i < 100; i++) dataset.getItem(i);
const msPerSample = (performance.now() - t0) / 100;

// How much parallel CPU this machine gives right now: the same arithmetic on 1 and on 2 bare
// threads. A busy or CPU-capped machine shows well under 2x here, and the table cannot scale either.
async function threadProbe(n) {
  const code = `let v = 0.1; for (let k = 0; k < 4e6; k++) v = Math.sin(v * 3.1 + k) * 0.5 + v * 0.5; require('node:worker_threads').parentPort.postMessage(v);`;
  const start = performance.now();
  await Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true });
    w.once('message', () => { resolve(); void w.terminate(); });
    w.once('error', reject);
  })));
  return performance.now() - start;
}
const probe = (await threadProbe(1)) * 2 / (await threadProbe(2));

async function once(ds, numWorkers, size, expected) {
  const loader = new DataLoader(ds, { batchSize: size, numWorkers, shuffle: false });
  const start = performance.now();
  let n = 0;
  let nb = 0;
  let first = 0;
  let firstN = 0;
  for await (const [x, y] of loader) {
    if (x.shape[0] !== y.shape[0]) throw new Error('bad batch');
    n += x.shape[0];
    nb++;
    if (nb === 1) {
      first = performance.now();
      firstN = n;
    }
    x.dispose?.();
    y.dispose?.();
  }
  const s = (performance.now() - start) / 1000;
  if (n !== expected) throw new Error(`expected ${expected} samples, got ${n}`);
  // After the first batch the pool is started and warm: what a persistent pool gives every epoch.
  const steady = (n - firstN) / ((performance.now() - first) / 1000);
  return { rate: n / s, batchRate: nb / s, startup: first - start, steady };
}

const pad = (s, n) => String(s).padStart(n);
async function table(title, ds, size, expected) {
  console.log(title);
  await once(ds, 0, size, expected); // warm-up: JIT the dataset and the collate path in the main thread
  const rows = [];
  for (const numWorkers of workerCounts) {
    const runsOf = [];
    for (let r = 0; r < runs; r++) runsOf.push(await once(ds, numWorkers, size, expected));
    const rates = runsOf.map((x) => x.rate);
    rows.push({
      numWorkers, rate: median(rates), batchRate: median(runsOf.map((x) => x.batchRate)), min: Math.min(...rates), max: Math.max(...rates),
      startup: median(runsOf.map((x) => x.startup)), steady: median(runsOf.map((x) => x.steady)),
    });
  }
  const base = rows.find((r) => r.numWorkers === 0) ?? rows[0];
  console.log(`${pad('numWorkers', 10)}  ${pad('samples/s', 10)}  ${pad('batches/s', 10)}  ${pad('range', 13)}  ${pad('speed-up', 8)}  ${pad('1st batch ms', 12)}  ${pad('after 1st/s', 11)}  ${pad('speed-up', 8)}`);
  for (const r of rows) {
    console.log(`${pad(r.numWorkers, 10)}  ${pad(r.rate.toFixed(0), 10)}  ${pad(r.batchRate.toFixed(1), 10)}  ${pad(`${r.min.toFixed(0)}-${r.max.toFixed(0)}`, 13)}  ` +
      `${pad(`${(r.rate / base.rate).toFixed(2)}x`, 8)}  ${pad(r.startup.toFixed(0), 12)}  ${pad(r.steady.toFixed(0), 11)}  ${pad(`${(r.steady / base.steady).toFixed(2)}x`, 8)}`);
  }
}

console.log(`${os.availableParallelism?.() ?? os.cpus().length} CPUs; Node ${process.version}; median of ${runs} runs`);
console.log(`2 bare threads run ${probe.toFixed(2)}x the work of 1 in the same time (2.00 = two free cores)`);
await table(`CPU-heavy dataset: ${batches} batches of ${batchSize} (3x32x32 float32 + label), ${msPerSample.toFixed(2)} ms per sample on one thread`,
  dataset, batchSize, samples);
torch.manualSeed(0);
const images = torch.rand(10000, 784);
const labels = torch.randint(0, 10, [10000]);
await table('TensorDataset: 10,000 x 784 float32 + int64 labels, batches of 64', new TensorDataset(images, labels), 64, 10000);
