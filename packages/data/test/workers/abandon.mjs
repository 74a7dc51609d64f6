// Run as a child process by lifecycle.test.ts: a program that stops iterating without closing
// anything must still exit by itself (the worker threads must not keep it alive).
import { DataLoader, loadDataset } from '@kindling/data';

const ds = await loadDataset({ module: new URL('./datasets.mjs', import.meta.url).href, export: 'RangeDataset', args: [100] });

// next(iter(loader)) and nothing more: the iterator is abandoned with its threads running.
const it = new DataLoader(ds, { batchSize: 2, numWorkers: 2 })[Symbol.asyncIterator]();
const first = await it.next();

// A full epoch with persistent workers, never closed.
const persistent = new DataLoader(ds, { batchSize: 50, numWorkers: 2, persistentWorkers: true });
let batches = 0;
for await (const _ of persistent) batches++;

console.log(JSON.stringify({ first: first.value.y.tolist(), batches }));
