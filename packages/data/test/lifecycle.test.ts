// Thread lifetimes and memory movement: what a DataLoader leaves behind.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as torch from '@kindling/tensor';
import type { Tensor } from '@kindling/tensor';
import '@kindling/backend-cpu';
import { describe, expect, it } from 'vitest';
import { defaultCollate } from '../src/index.js';
import { decodeTree, encodeTree } from '../src/codec.js';
import { refusedExecArgv, workerExecArgv } from '../src/loader/worker-url.js';

describe('batches move between threads without copies', () => {
  it("a freshly collated batch hands over its buffer; a view of other memory is copied", () => {
    const data = torch.arange(12, { dtype: torch.float32 }).reshape(3, 4);
    const batch = defaultCollate([data.index(0), data.index(2)]) as Tensor;
    const view = data.index(1);
    const batchBuffer = batch.numpy().buffer;
    const transfer = new Set<ArrayBuffer>();
    const encoded = encodeTree({ batch, view }, transfer) as { batch: { buffer: ArrayBuffer }; view: { buffer: ArrayBuffer } };
    expect(encoded.batch.buffer).toBe(batchBuffer); // moved, not copied
    expect(encoded.view.buffer).not.toBe(data.numpy().buffer); // copied: the dataset keeps its memory
    expect(transfer.size).toBe(2);

    // What postMessage does with the transfer list.
    const received = decodeTree(structuredClone(encoded, { transfer: [...transfer] })) as { batch: Tensor; view: Tensor };
    expect(batchBuffer.byteLength).toBe(0); // detached here: the memory now belongs to the receiver
    expect(received.batch.tolist()).toEqual([[0, 1, 2, 3], [8, 9, 10, 11]]);
    expect(received.view.tolist()).toEqual([4, 5, 6, 7]);
    expect(data.tolist()).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]); // untouched
    // The received tensors are ordinary tensors over the moved memory.
    received.batch.add_(1);
    expect(received.batch.index(0, 0).item()).toBe(1);
  });

  it('every dtype survives the trip', () => {
    for (const dtype of ['float32', 'float64', 'float16', 'bfloat16', 'int8', 'uint8', 'int16', 'int32', 'int64', 'bool'] as const) {
      const t = torch.tensor([[1, 0], [0, 1]], { dtype });
      const transfer = new Set<ArrayBuffer>();
      const back = decodeTree(structuredClone(encodeTree([t, t.T], transfer), { transfer: [...transfer] })) as Tensor[];
      expect(back.map((x) => x.dtype)).toEqual([dtype, dtype]);
      expect(back.map((x) => x.tolist())).toEqual([t.tolist(), t.T.tolist()]);
    }
  });
});

describe('process lifetime', () => {
  it('a program that abandons an iterator, or keeps persistent workers open, still exits', async () => {
    const script = fileURLToPath(new URL('./workers/abandon.mjs', import.meta.url));
    const t0 = Date.now();
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      // A plain Node process, as a user's program runs: it loads the built package.
      const child = execFile(process.execPath, [script], { timeout: 20_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
      child.stdin?.end();
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ first: [0, 1], batches: 2 });
    expect(Date.now() - t0).toBeLessThan(15_000);
  });
});

describe("worker threads' Node options", () => {
  it("inherit the parent's, less a `source` export condition (which points at TypeScript)", () => {
    expect(workerExecArgv(['--enable-source-maps'])).toBe(undefined); // Node's own inheritance
    expect(workerExecArgv(['--conditions', 'source', '--conditions', 'node', '-C=source', '--require', 'x.cjs'])).toEqual(['--conditions', 'node', '--require', 'x.cjs']);
  });

  it("read the options Node refuses from its error, to retry without them", () => {
    const err = Object.assign(new Error('Initiated Worker with invalid execArgv flags: --expose-gc, --max-semi-space-size'), { code: 'ERR_WORKER_INVALID_EXEC_ARGV' });
    expect(refusedExecArgv(err)).toEqual(['--expose-gc', '--max-semi-space-size']);
    expect(refusedExecArgv(new Error('other'))).toBe(null);
  });
});
