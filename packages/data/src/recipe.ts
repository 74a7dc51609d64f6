/**
 * How a dataset is rebuilt inside a worker thread. A thread shares no objects with the main
 * thread, so a DataLoader with `numWorkers > 0` sends each worker a *recipe*: plain data that the
 * worker turns back into a dataset of its own (PyTorch pickles the dataset into each worker
 * process; JavaScript cannot serialise a class instance, so the worker imports the class instead).
 *
 * - `module`: import `module` (a URL or a specifier resolvable from the worker entry, e.g.
 *   `new URL('./my-dataset.js', import.meta.url).href`), take its export `export` (default:
 *   `default`) and, if it is a class, construct it with `args`; if a function, call it with `args`
 *   (it may return a Promise); otherwise use the exported value itself.
 * - The built-in datasets describe themselves: `TensorDataset` sends its tensors once in shared
 *   memory; `Subset`, `ConcatDataset` and `ChainDataset` send the recipes of what they wrap.
 */
import type { EncodedTensor } from './codec.js';

/** Where a worker finds a dataset: module, export name, constructor (or factory) arguments. */
export interface DatasetModuleSpec {
  /** A module URL (`new URL('./ds.js', import.meta.url).href`) or a package specifier. */
  module: string;
  /** The export to use; `'default'` when omitted. */
  export?: string;
  /** Arguments for the constructor or factory: structured-cloneable values, tensors, datasets. */
  args?: readonly unknown[];
}

export type DatasetRecipe =
  | { kind: 'module'; module: string; export: string; args: unknown[] }
  | { kind: 'array'; items: unknown[] }
  | { kind: 'tensors'; tensors: EncodedTensor[] }
  | { kind: 'subset'; dataset: DatasetRecipe; indices: number[] }
  | { kind: 'concat'; datasets: DatasetRecipe[] }
  | { kind: 'chain'; datasets: DatasetRecipe[] };

/** Implemented by the built-in datasets: their own recipe (`encodeArg` encodes wrapped values). */
export const toRecipe = Symbol.for('kindling.data.toRecipe');

export interface Describable {
  [toRecipe](): DatasetRecipe;
}

export function isDescribable(x: unknown): x is Describable {
  return typeof x === 'object' && x !== null && typeof (x as Partial<Describable>)[toRecipe] === 'function';
}
