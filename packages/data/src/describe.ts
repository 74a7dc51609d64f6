/**
 * Turning a dataset into a recipe a worker thread can rebuild it from (see recipe.ts), and
 * `loadDataset`, which builds a dataset from a module and remembers where it came from.
 */
import { Tensor } from '@kindling/tensor';
import { encodeShared, encodeTree, mapTree } from './codec.js';
import { typeName } from './dataset.js';
import { type DatasetModuleSpec, type DatasetRecipe, isDescribable, toRecipe } from './recipe.js';

const specs = new WeakMap<object, DatasetModuleSpec>();

/** Remember that `dataset` can be rebuilt in a worker from `spec`. Returns `dataset`. */
export function setDatasetSpec<D extends object>(dataset: D, spec: DatasetModuleSpec): D {
  checkSpec(spec);
  specs.set(dataset, spec);
  return dataset;
}

function checkSpec(spec: DatasetModuleSpec): void {
  if (typeof spec !== 'object' || spec === null || typeof spec.module !== 'string' || spec.module === '') {
    throw new TypeError('a dataset module spec needs `module`: a module URL or specifier, e.g. new URL("./my-dataset.js", import.meta.url).href');
  }
  if (/^\.\.?\//.test(spec.module)) {
    // import() would resolve it against this package's files, not the caller's.
    throw new TypeError(
      `a dataset module spec needs an absolute URL or a package name, not the relative '${spec.module}': ` +
        `use new URL('${spec.module}', import.meta.url).href`,
    );
  }
  if (spec.export !== undefined && typeof spec.export !== 'string') throw new TypeError('`export` must be the name of an export');
  if (spec.args !== undefined && !Array.isArray(spec.args)) throw new TypeError('`args` must be an array');
}

/** Construct (or call, or take) the export `spec.export` of an imported module. */
export async function instantiate(mod: Record<string, unknown>, spec: { module: string; export?: string }, args: readonly unknown[]): Promise<unknown> {
  const name = spec.export ?? 'default';
  if (!(name in mod)) {
    throw new TypeError(`module ${spec.module} has no export '${name}' (its exports: ${Object.keys(mod).join(', ') || 'none'})`);
  }
  const value = mod[name];
  if (typeof value !== 'function') return value;
  // A class cannot be called and a plain function need not be constructible: tell them apart.
  const isClass = /^class[\s{]/.test(Function.prototype.toString.call(value));
  const ctor = value as new (...a: unknown[]) => unknown;
  return isClass ? new ctor(...args) : await (value as (...a: unknown[]) => unknown)(...args);
}

/**
 * Import a dataset module and build the dataset, in this thread; the dataset remembers `spec`, so
 * a DataLoader with `numWorkers > 0` builds the same dataset in each worker.
 *
 * ```ts
 * const ds = await loadDataset({ module: new URL('./images.js', import.meta.url).href, export: 'Images', args: ['train'] });
 * const loader = new DataLoader(ds, { batchSize: 32, numWorkers: 4 });
 * ```
 */
export async function loadDataset<T = unknown>(spec: DatasetModuleSpec): Promise<T> {
  checkSpec(spec);
  const mod = (await import(spec.module)) as Record<string, unknown>;
  const ds = await instantiate(mod, spec, spec.args ?? []);
  if (typeof ds !== 'object' || ds === null) {
    throw new TypeError(`${spec.module}#${spec.export ?? 'default'} gave ${typeName(ds)}, not a dataset object`);
  }
  return setDatasetSpec(ds, spec) as T;
}

/** A constructor argument as a worker receives it: tensors shared, datasets as recipes. */
export interface EncodedDataset {
  __kindlingDataset__: 1;
  recipe: DatasetRecipe;
}
export function isEncodedDataset(x: unknown): x is EncodedDataset {
  return typeof x === 'object' && x !== null && (x as EncodedDataset).__kindlingDataset__ === 1;
}

function encodeArgs(args: readonly unknown[]): unknown[] {
  return mapTree([...args], (x) => {
    if (x instanceof Tensor) return encodeShared(x);
    if (typeof x === 'object' && x !== null && (specs.has(x) || isDescribable(x))) {
      return { __kindlingDataset__: 1, recipe: describeDataset(x) } satisfies EncodedDataset;
    }
    return x;
  }) as unknown[];
}

/**
 * The recipe for `dataset`, or an error that says how to make it loadable in a worker.
 * `explicit` (the DataLoader's `workerDataset` option) wins over everything else.
 */
export function describeDataset(dataset: unknown, explicit?: DatasetModuleSpec): DatasetRecipe {
  const spec = explicit ?? (typeof dataset === 'object' && dataset !== null ? specs.get(dataset) : undefined);
  if (spec) {
    checkSpec(spec);
    return { kind: 'module', module: spec.module, export: spec.export ?? 'default', args: encodeArgs(spec.args ?? []) };
  }
  if (isDescribable(dataset)) return dataset[toRecipe]();
  if (Array.isArray(dataset)) {
    // Samples with tensors move like batches: each worker gets its own copy.
    return { kind: 'array', items: encodeTree(dataset, new Set()) as unknown[] };
  }
  throw new TypeError(
    `DataLoader with numWorkers > 0 builds the dataset in each worker thread, and a ${typeName(dataset)} instance cannot be ` +
      'sent to a thread. Load it with `await loadDataset({ module, export, args })`, or pass the option ' +
      '`workerDataset: { module, export, args }` saying which module and export build it ' +
      '(e.g. { module: new URL("./my-dataset.js", import.meta.url).href, export: "MyDataset", args: [...] }).',
  );
}
