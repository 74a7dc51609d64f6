// How results are printed: one table, then notes (errors, threads, a missing PyTorch).

/** Seconds as a short human time: 812 µs, 12.3 ms, 1.52 s. */
export function formatTime(s) {
  if (s < 1e-3) return `${(s * 1e6).toPrecision(3)} µs`;
  if (s < 1) return `${(s * 1e3).toPrecision(3)} ms`;
  return `${s.toPrecision(3)} s`;
}

function cell(r) {
  if (r === undefined) return '—';
  return 'error' in r ? 'error' : formatTime(r.medianS);
}

/**
 * rows: [{ name, kindling, torch }] where kindling and torch are { medianS, iters } or { error },
 * and torch is undefined when PyTorch did not run. Returns the table as lines of text.
 */
export function formatTable(rows, { withTorch }) {
  const header = withTorch ? ['workload', 'Kindling', 'PyTorch', 'ratio', 'iters K/P'] : ['workload', 'Kindling', 'iters'];
  const body = rows.map(({ name, kindling, torch }) => {
    const iters = (r) => (r && 'iters' in r ? String(r.iters) : '—');
    if (!withTorch) return [name, cell(kindling), iters(kindling)];
    const ratio = kindling && torch && 'medianS' in kindling && 'medianS' in torch ? (kindling.medianS / torch.medianS).toFixed(2) : '—';
    return [name, cell(kindling), cell(torch), ratio, `${iters(kindling)}/${iters(torch)}`];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  // Workload names align left, numbers right.
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
}

/** The error lines under the table: the exact text of each exception, per library. */
export function formatErrors(rows) {
  const out = [];
  for (const { name, kindling, torch } of rows) {
    if (kindling && 'error' in kindling) out.push(`Kindling ${name}: ${kindling.error}`);
    if (torch && 'error' in torch) out.push(`PyTorch ${name}: ${torch.error}`);
  }
  return out;
}
