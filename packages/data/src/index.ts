// @kindling/data: PyTorch's torch.utils.data (handbook chapter 10) — datasets, samplers, splits,
// collation and a DataLoader that can load in worker threads.
import '@kindling/backend-cpu'; // batches are made on the cpu device, in this thread and in workers

export {
  Dataset, IterableDataset, type MapStyleDataset, type MapDatasetLike, type DatasetLike, type DatasetOptions,
} from './dataset.js';
export { TensorDataset } from './datasets/tensor-dataset.js';
export { ConcatDataset } from './datasets/concat-dataset.js';
export { ChainDataset } from './datasets/chain-dataset.js';
export { Subset } from './datasets/subset.js';
export { randomSplit, splitLengths, type RandomSplitOptions } from './random-split.js';

export { Sampler } from './samplers/sampler.js';
export { SequentialSampler } from './samplers/sequential-sampler.js';
export { RandomSampler, type RandomSamplerOptions } from './samplers/random-sampler.js';
export { SubsetRandomSampler } from './samplers/subset-random-sampler.js';
export { WeightedRandomSampler, type WeightedRandomSamplerOptions } from './samplers/weighted-random-sampler.js';
export { BatchSampler } from './samplers/batch-sampler.js';
export { DistributedSampler, type DistributedSamplerOptions } from './samplers/distributed-sampler.js';

export { defaultCollate, defaultConvert } from './collate.js';
export { DataLoader, type DataLoaderOptions, type CollateFunction } from './loader/dataloader.js';
export type { Collated } from './loader/collated.js';
export type { WorkerFunction } from './loader/config.js';
export { getWorkerInfo, type WorkerInfo } from './worker-info.js';
export { loadDataset, setDatasetSpec } from './describe.js';
export type { DatasetModuleSpec } from './recipe.js';
export { DataLoaderWorkerError, DataLoaderTimeoutError, DataLoaderWorkerExitError, type FailurePhase } from './errors.js';
