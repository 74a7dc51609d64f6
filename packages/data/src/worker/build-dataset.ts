/** Rebuild a dataset from its recipe (recipe.ts), inside a worker thread. */
import { Tensor } from '@kindling/tensor';
import { decodeTensor, decodeTree, isEncodedTensor, isPlainObject } from '../codec.js';
import { type DatasetRecipe } from '../recipe.js';
import { instantiate, isEncodedDataset } from '../describe.js';
import { ChainDataset } from '../datasets/chain-dataset.js';
import { ConcatDataset } from '../datasets/concat-dataset.js';
import { Subset } from '../datasets/subset.js';
import { TensorDataset } from '../datasets/tensor-dataset.js';
import type { IterableDataset, MapDatasetLike } from '../dataset.js';

/** Constructor arguments: tensors adopted from shared memory, nested datasets rebuilt. */
async function decodeArgs(x: unknown): Promise<unknown> {
  if (isEncodedTensor(x)) return decodeTensor(x);
  if (isEncodedDataset(x)) return buildDataset(x.recipe);
  if (Array.isArray(x)) return Promise.all(x.map(decodeArgs));
  if (x instanceof Map) return new Map(await Promise.all([...x].map(async ([k, v]) => [k, await decodeArgs(v)] as const)));
  if (isPlainObject(x)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x)) out[k] = await decodeArgs(x[k]);
    return out;
  }
  return x;
}

export async function buildDataset(recipe: DatasetRecipe): Promise<unknown> {
  switch (recipe.kind) {
    case 'module': {
      const mod = (await import(recipe.module)) as Record<string, unknown>;
      return instantiate(mod, recipe, (await decodeArgs(recipe.args)) as unknown[]);
    }
    case 'array':
      return decodeTree(recipe.items);
    case 'tensors':
      return new TensorDataset(...recipe.tensors.map((t) => decodeTensor(t) as Tensor));
    case 'subset':
      return new Subset((await buildDataset(recipe.dataset)) as MapDatasetLike, recipe.indices);
    case 'concat':
      return new ConcatDataset((await Promise.all(recipe.datasets.map(buildDataset))) as MapDatasetLike[]);
    case 'chain':
      return new ChainDataset((await Promise.all(recipe.datasets.map(buildDataset))) as IterableDataset[]);
  }
}
