// Kindling vs PyTorch on the same workloads, in one run: `node bench/run.mjs [options]` after a build
// (`pnpm bench` builds first). Kindling runs here, from the built packages; PyTorch runs in
// bench/torch_bench.py, spawned once for all workloads. See bench/README.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { backendInfo, setNumThreads } from '@kindling/backend-cpu';
import { flops, selectWorkloads, setupKindling, WORKLOADS } from './workloads.mjs';
import { measure, TIMING } from './timing.mjs';
import { formatErrors, formatTable } from './report.mjs';

const USAGE = `usage: node bench/run.mjs [--only WORDS] [--quick] [--threads N] [--python PATH]
  --only WORDS   comma-separated; keep workloads whose group or op is a word, or whose name contains one
                 (groups: matmul, elementwise, reduction, conv, training; ops: matmul, add, mul, exp, sum,
                 softmax, conv2d, conv2d_backward, mlp_step, cnn_step, lstm_step, transformer_step)
  --quick        fewer repetitions (${JSON.stringify(TIMING.quick)})
  --threads N    threads for both: PyTorch's torch.set_num_threads and Kindling's setNumThreads (default 1;
                 without the native addon Kindling runs on one thread)
  --python PATH  the Python with torch (default /usr/bin/python3)
  --stock-malloc run PyTorch with glibc malloc's default settings (see "Memory reuse" in bench/README.md)`;

// PyTorch's CPU allocator is plain malloc/free. With glibc's defaults a block over 32 MiB (a 10M-element
// float32 result) is mmapped and unmapped on every call, so each iteration pays fresh page faults;
// Kindling's caching allocator reuses its buffers. These settings make glibc keep and reuse freed
// memory, so both sides reuse buffers. Values already set in the environment win.
const MALLOC_REUSE = { MALLOC_MMAP_THRESHOLD_: String(2 ** 30), MALLOC_TRIM_THRESHOLD_: String(2 ** 32) };

const { values: opts } = parseArgs({
  options: {
    only: { type: 'string', default: '' },
    quick: { type: 'boolean', default: false },
    threads: { type: 'string', default: '1' },
    python: { type: 'string', default: '/usr/bin/python3' },
    'stock-malloc': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
const threads = Number(opts.threads);
if (!Number.isInteger(threads) || threads < 1) {
  console.error(`--threads must be a positive integer, not ${opts.threads}\n${USAGE}`);
  process.exit(2);
}
const only = opts.only.split(',').map((s) => s.trim()).filter(Boolean);
const workloads = selectWorkloads(only);
if (workloads.length === 0) {
  console.error(`--only ${opts.only} matches no workload; there are: ${WORKLOADS.map((w) => w.name).join(', ')}`);
  process.exit(2);
}
const timing = opts.quick ? TIMING.quick : TIMING.full;
setNumThreads(threads);
const info = backendInfo();
const kindlingOn = info.native
  ? `Kindling on ${info.threads} thread${info.threads === 1 ? '' : 's'} (native addon, ${info.isa})`
  : `Kindling on one thread (TypeScript kernels: ${info.reason})`;

// Kindling: a workload that throws is reported with its error and skipped.
const kindling = new Map();
for (const w of workloads) {
  console.error(`  kindling ${w.name}`);
  let bench;
  try {
    bench = setupKindling(w);
    kindling.set(w.name, measure(bench.iteration, timing));
  } catch (err) {
    kindling.set(w.name, { error: String(err) });
  } finally {
    try {
      bench?.dispose();
    } catch {
      // Already reported through the workload's own error.
    }
  }
}

// PyTorch: one process for all workloads, after Kindling's, so the two never share the CPU.
const torchRun = runTorch();
const notes = [];
if (torchRun.error) notes.push(`PyTorch did not run (${torchRun.error}); Kindling's times are shown alone.`);

const torchResults = new Map((torchRun.results ?? []).map((r) => [r.name, r]));
const rows = workloads.map((w) => ({ name: w.name, kindling: kindling.get(w.name), torch: torchResults.get(w.name) }));
const withTorch = !torchRun.error;

console.log();
console.log(withTorch
  ? 'Median time per iteration; ratio = Kindling / PyTorch (< 1: Kindling is faster, > 1: PyTorch is faster)'
  : 'Median time per iteration (Kindling only)');
console.log(`CPU: ${cpus()[0]?.model ?? 'unknown'} (${cpus().length} logical cores) · Node ${process.version}`);
console.log(withTorch
  ? `PyTorch ${torchRun.version} (Python ${torchRun.python}) on ${torchRun.threads} thread${torchRun.threads === 1 ? '' : 's'}; ${kindlingOn}`
  : kindlingOn);
if (withTorch) {
  console.log(opts['stock-malloc']
    ? 'PyTorch memory: glibc malloc defaults (--stock-malloc): 10M-element results are mmapped afresh each call'
    : 'PyTorch memory: glibc malloc set to reuse freed blocks, as Kindling\'s caching allocator does (--stock-malloc: defaults)');
}
console.log(`Timing: ${timing.warmup} warm-up iteration(s), then at least ${timing.minIters} iterations and ${timing.minTimeS} s per workload${opts.quick ? ' (--quick)' : ''}`);
console.log();
for (const l of formatTable(rows, { withTorch })) console.log(l);
const errors = formatErrors(rows);
if (errors.length) {
  console.log('\nSkipped (the workload threw):');
  for (const e of errors) console.log(`  ${e}`);
}
const gflops = gflopsLines(rows);
if (gflops.length) {
  console.log(`\nMatmul throughput (GFLOP/s); peak = ${peakNote()}`);
  for (const l of gflops) console.log(`  ${l}`);
}
for (const n of notes) console.log(`\nNote: ${n}`);

/**
 * The machine's float32 peak for `threads` threads, measured: bench/peak.c (fused multiply-adds in the
 * widest vector registers the CPU has, on that many threads at once), compiled here with `cc -O3`.
 * When it cannot be compiled or run, an estimate from the clock: AVX2 FMA, 2 × 8 × 2 = 32 flop per
 * cycle per core.
 */
function peak() {
  peak.cached ??= measurePeak() ?? estimatePeak() ?? false;
  return peak.cached || null;
}
function measurePeak() {
  const cc = process.env.CC || 'cc';
  const dir = mkdtempSync(join(tmpdir(), 'kindling-peak-'));
  try {
    const exe = join(dir, 'peak');
    const src = fileURLToPath(new URL('./peak.c', import.meta.url));
    const build = spawnSync(cc, ['-O3', '-o', exe, src, '-lpthread'], { encoding: 'utf8' });
    if (build.error || build.status !== 0) {
      notes.push(`bench/peak.c did not compile with ${cc} (${build.error?.message ?? (build.stderr || '').trim().split('\n')[0]}); "% of peak" uses an estimate.`);
      return null;
    }
    const run = spawnSync(exe, [String(threads)], { encoding: 'utf8' });
    const r = run.status === 0 ? JSON.parse(run.stdout) : null;
    if (!r || !(r.gflops > 0)) {
      notes.push(`bench/peak.c did not run (${run.error?.message ?? `exit ${run.status}`}); "% of peak" uses an estimate.`);
      return null;
    }
    return { gflops: r.gflops, note: `${r.gflops.toFixed(0)} measured (${r.isa} FMA loop on ${threads} thread${threads === 1 ? '' : 's'}, bench/peak.c)` };
  } catch (err) {
    notes.push(`bench/peak.c failed (${err.message}); "% of peak" uses an estimate.`);
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
function cpuMhz() {
  const fromNode = Math.max(0, ...cpus().map((c) => c.speed));
  if (fromNode > 0) return fromNode;
  try {
    // Virtual machines often report 0 to Node; /proc/cpuinfo still has the clock.
    const m = /cpu MHz\s*:\s*([\d.]+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}
function estimatePeak() {
  const mhz = cpuMhz();
  const cores = Math.min(threads, cpus().length);
  return mhz > 0
    ? { gflops: (mhz / 1000) * 32 * cores, note: `${((mhz / 1000) * 32 * cores).toFixed(0)} estimated (${cores} core${cores === 1 ? '' : 's'} × ${mhz.toFixed(0)} MHz × 32 flop/cycle, AVX2 FMA)` }
    : null;
}
function peakNote() {
  return peak()?.note ?? 'unknown';
}
function gflopsLines(rows) {
  const peakG = peak()?.gflops ?? null;
  const out = [];
  for (const w of workloads) {
    const f = flops(w);
    if (!f) continue;
    const row = rows.find((r) => r.name === w.name);
    const rate = (r) => (r && 'medianS' in r ? f / r.medianS / 1e9 : null);
    const k = rate(row.kindling);
    const t = rate(row.torch);
    const pct = (g) => (g !== null && peakG ? ` (${((100 * g) / peakG).toFixed(0)}% of peak)` : '');
    out.push(`${w.name.padEnd(18)} Kindling ${k === null ? '—' : k.toFixed(1)}${pct(k)}` + (withTorch ? `, PyTorch ${t === null ? '—' : t.toFixed(1)}${pct(t)}` : ''));
  }
  return out;
}

/** Spawn torch_bench.py with the workloads and timing settings; returns its JSON or { error }. */
function runTorch() {
  const script = fileURLToPath(new URL('./torch_bench.py', import.meta.url));
  const proc = spawnSync(opts.python, [script, '--threads', String(threads)], {
    input: JSON.stringify({ workloads, timing }),
    stdio: ['pipe', 'pipe', 'inherit'],
    encoding: 'utf8',
    env: opts['stock-malloc'] ? process.env : { ...MALLOC_REUSE, ...process.env },
    maxBuffer: 1 << 24,
  });
  if (proc.error) return { error: `${opts.python}: ${proc.error.message}` };
  if (proc.status !== 0) return { error: `${opts.python} ${script} exited with ${proc.status ?? proc.signal}` };
  try {
    return JSON.parse(proc.stdout);
  } catch {
    return { error: `torch_bench.py printed no JSON: ${proc.stdout.slice(0, 200)}` };
  }
}
