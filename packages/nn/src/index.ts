// @kindling/nn: `import * as nn from '@kindling/nn'`; `nn.functional` is F, `nn.init`, `nn.utils`.
import '@kindling/backend-cpu';
import '@kindling/autograd';

export {
  Module, type StateDict, type LoadResult, type ForwardHook, type ForwardPreHook, type RemovableHandle, type NamedOptions, type NamedModulesOptions,
} from './module.js';
export { Parameter } from './parameter.js';
export { type PyArgs } from './args.js';
export * from './containers/index.js';
export * from './modules/linear.js';
export * from './modules/activation.js';
export * from './modules/dropout.js';
export * from './modules/normalization.js';
export * from './modules/embedding.js';
export * from './modules/loss.js';
export * from './modules/flatten.js';
export * as functional from './functional/index.js';
export * as init from './init.js';
export * as utils from './utils.js';
export * from './conv/conv.js';
export * from './pooling/pooling.js';
export * from './recurrent/rnn.js';
export * from './attention/multihead.js';
export * from './attention/transformer.js';
