// Number formatting and warnings shared by optimizers and schedulers. Error messages quote numbers
// the way Python prints them, so a message reads exactly as PyTorch's does.

/** Python's `repr(float)` for the values hyperparameters take: `1e-05`, `-0.1`, `inf`. */
export function pyRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) {
    // Python switches to exponent notation outside [1e-4, 1e16) and pads the exponent to 2 digits.
    const [m, e] = x.toExponential().split('e') as [string, string];
    const sign = e.startsWith('-') ? '-' : '+';
    const digits = e.replace(/^[+-]/, '').padStart(2, '0');
    return `${m}e${sign}${digits}`;
  }
  return String(x);
}

/** Python's `'{:.4e}'.format(x)`, used by the verbose scheduler messages. */
export function pyExp4(x: number): string {
  const [m, e] = x.toExponential(4).split('e') as [string, string];
  const sign = e.startsWith('-') ? '-' : '+';
  return `${m}e${sign}${e.replace(/^[+-]/, '').padStart(2, '0')}`;
}

const warned = new Set<string>();

/** Python's `warnings.warn` default filter: each distinct message once per process. */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  const proc = (globalThis as { process?: { emitWarning?: (m: string, t?: string) => void } }).process;
  if (proc?.emitWarning) proc.emitWarning(message, 'UserWarning');
  else console.warn(`UserWarning: ${message}`);
}
