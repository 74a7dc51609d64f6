/**
 * The worker entry script. Threads run compiled JavaScript: from the published package that is
 * `dist/worker/entry.js` beside this module's folder. When this module itself runs from the
 * TypeScript sources (tests, bundlers using the `source` export condition) the compiled entry is
 * taken from the package's `dist/`, which `pnpm run build` writes.
 */
export function workerEntryUrl(): URL {
  const here = new URL(import.meta.url);
  return here.pathname.endsWith('.ts') ? new URL('../../dist/worker/entry.js', here) : new URL('../worker/entry.js', here);
}

/**
 * The Node options for a worker: the parent's (Node's default, `undefined`), unless they carry a
 * `source` export condition. Test runners and bundlers add `--conditions source` to resolve
 * workspace packages to their TypeScript sources, which a worker thread (plain Node, no TypeScript
 * loader) cannot run; then the parent's options less that condition.
 */
export function workerExecArgv(parent: readonly string[]): string[] | undefined {
  const out: string[] = [];
  for (let i = 0; i < parent.length; i++) {
    const a = parent[i]!;
    if ((a === '--conditions' || a === '-C') && parent[i + 1] === 'source') {
      i++;
      continue;
    }
    if (a === '--conditions=source' || a === '-C=source') continue;
    out.push(a);
  }
  return out.length === parent.length ? undefined : out;
}

/**
 * Options Node refuses in an explicit worker `execArgv` (process-wide ones such as `--expose-gc`,
 * which Node silently skips when it copies the parent's options itself), read from its error.
 */
export function refusedExecArgv(err: unknown): string[] | null {
  if ((err as { code?: string } | null)?.code !== 'ERR_WORKER_INVALID_EXEC_ARGV') return null;
  const m = /flags: (.*)$/.exec((err as Error).message);
  return m ? m[1]!.split(/,\s*|\s+/).filter(Boolean) : null;
}
