// DataLoader throughput with worker threads on a CPU-bound dataset (bench/datasets/cpu-heavy.mjs).
// Run after a build: `node bench/dataloader.mjs [--batches N] [--batch-size N] [--runs N] [--workers 0,1,2,4]`.
// For each numWorkers: build the loader, iterate a fixed number of batches, report samples/s as the
// median of the runs and the speed-up over numWorkers = 0. Worker start-up is part of each run (a
// fresh pool per epoch, as without persistentWorkers), so the table is what a training epoch sees.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import '@kindling/backend-cpu';
import * as torch from '@kindling/tensor';
import { DataLoader, loadDataset } from '@kindling/data';

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

async function once(numWorkers) {
  const loader = new DataLoader(dataset, { batchSize, numWorkers, shuffle: false });
  const start = performance.now();
  let n = 0;
  for await (const [x, y] of loader) {
    if (x.shape[0] !== y.shape[0] || x.shape[1] !== 3) throw new Error('bad batch');
    n += x.shape[0];
    x.dispose?.();
    y.dispose?.();
  }
  const s = (performance.now() - start) / 1000;
  if (n !== samples) throw new Error(`expected ${samples} samples, got ${n}`);
  return samples / s;
}

console.log(`DataLoader throughput: ${batches} batches of ${batchSize} (3x32x32 float32 + label), ` +
  `${msPerSample.toFixed(2)} ms per sample on one thread; median of ${runs} runs; ` +
  `${os.availableParallelism?.() ?? os.cpus().length} CPUs; Node ${process.version}`);
console.log(`2 bare threads run ${probe.toFixed(2)}x the work of 1 in the same time (2.00 = two free cores)`);
await once(0); // warm-up: JIT the dataset and the collate path in the main thread
const rows = [];
for (const numWorkers of workerCounts) {
  const rates = [];
  for (let r = 0; r < runs; r++) rates.push(await once(numWorkers));
  rows.push({ numWorkers, rate: median(rates), min: Math.min(...rates), max: Math.max(...rates) });
}
const base = rows.find((r) => r.numWorkers === 0)?.rate ?? rows[0].rate;
const pad = (s, n) => String(s).padStart(n);
console.log(`${pad('numWorkers', 10)}  ${pad('samples/s', 10)}  ${pad('range', 15)}  ${pad('speed-up', 8)}`);
for (const r of rows) {
  console.log(`${pad(r.numWorkers, 10)}  ${pad(r.rate.toFixed(0), 10)}  ${pad(`${r.min.toFixed(0)}-${r.max.toFixed(0)}`, 15)}  ${pad(`${(r.rate / base).toFixed(2)}x`, 8)}`);
}
void torch;
