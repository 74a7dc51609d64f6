import { SerializationError } from './errors.js';

// Files through Node's fs, imported only when a path is given, so the package runs in browsers
// (and other runtimes) on bytes alone.

/** Where `load` reads from: a file path (Node) or the file's bytes. */
export type Source = string | URL | Uint8Array | ArrayBuffer;

type Fs = typeof import('node:fs');

async function fs(): Promise<Fs> {
  try {
    return await import('node:fs');
  } catch {
    throw new SerializationError('reading and writing files by path needs Node.js (node:fs); in a browser pass the bytes instead');
  }
}

export function isPath(x: unknown): x is string | URL {
  return typeof x === 'string' || (typeof URL !== 'undefined' && x instanceof URL);
}

/** Bytes given directly, as a Uint8Array view (no copy). */
export function asBytes(x: Uint8Array | ArrayBuffer): Uint8Array {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) {
    const v = x as ArrayBufferView;
    return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  }
  throw new TypeError('load: expected a file path, a Uint8Array or an ArrayBuffer');
}

/** The whole file. Read with fstat + read rather than readFile, which stops at 2 GiB. */
export async function readPath(path: string | URL): Promise<Uint8Array> {
  const f = await fs();
  const fd = f.openSync(path, 'r');
  try {
    const size = f.fstatSync(fd).size;
    const out = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const n = f.readSync(fd, out, at, Math.min(size - at, 1 << 30), at);
      if (n === 0) break;
      at += n;
    }
    return at === size ? out : out.subarray(0, at);
  } finally {
    f.closeSync(fd);
  }
}

/**
 * Write chunks to a file. `produce` runs only once the file module is loaded, and the chunks are
 * written synchronously right after, so the data cannot change between being serialized and written.
 */
export async function writePath(path: string | URL, produce: () => readonly Uint8Array[]): Promise<void> {
  const f = await fs();
  const chunks = produce();
  const fd = f.openSync(path, 'w');
  try {
    for (const c of chunks) {
      let at = 0;
      while (at < c.length) at += f.writeSync(fd, c, at, c.length - at);
    }
  } finally {
    f.closeSync(fd);
  }
}

/** torch names the zip's directory after the file: base name without its last extension. */
export function archiveNameFor(path: string | URL): string {
  const p = typeof path === 'string' ? path : decodeURIComponent(path.pathname);
  const base = p.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  // Keep it a plain relative name inside the zip.
  const clean = stem.replace(/[^\w.\-]/g, '_');
  return clean === '' || clean === '.' || clean === '..' ? 'archive' : clean;
}
