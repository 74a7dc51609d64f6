/**
 * A tqdm-style progress bar: rate, ETA and live metrics on one line in a terminal; in a log
 * (not a TTY) a plain line at each quarter and at the end, so CI output stays readable.
 */
export class ProgressBar {
  private readonly start = performance.now();
  private lastDraw = 0;
  private lastQuarter = -1;
  private readonly tty: boolean;
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {
    this.tty = Boolean(out.isTTY) && !process.env['CI'];
  }

  update(done: number, metrics: Record<string, string>): void {
    const now = performance.now();
    const elapsed = (now - this.start) / 1000;
    const rate = done / Math.max(elapsed, 1e-9);
    const eta = rate > 0 ? (this.total - done) / rate : 0;
    const info = Object.entries(metrics).map(([k, v]) => `${k}=${v}`).join(' ');
    const stats = `${done}/${this.total} [${fmtTime(elapsed)}<${fmtTime(eta)}, ${rate.toFixed(1)}it/s] ${info}`;
    if (this.tty) {
      if (done < this.total && now - this.lastDraw < 80) return;
      this.lastDraw = now;
      const width = Math.max(10, Math.min(30, (this.out.columns ?? 100) - stats.length - this.label.length - 12));
      const filled = Math.round((width * done) / this.total);
      const bar = '█'.repeat(filled) + ' '.repeat(width - filled);
      const pct = `${Math.floor((100 * done) / this.total)}%`.padStart(4);
      this.out.write(`\r${this.label}: ${pct}|${bar}| ${stats}\x1b[K`);
      if (done === this.total) this.out.write('\n');
      return;
    }
    const quarter = Math.floor((4 * done) / this.total);
    if (quarter !== this.lastQuarter && (quarter > this.lastQuarter || done === this.total)) {
      this.lastQuarter = quarter;
      this.out.write(`${this.label}: ${Math.floor((100 * done) / this.total)}% ${stats}\n`);
    }
  }
}

function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  const sec = Math.floor(s % 60);
  return `${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}
