// nn.functional, imported as F: `import { functional as F } from '@kindling/nn'`.
export * from './activation.js';
export * from './dropout.js';
export * from './linear.js';
export * from './normalization.js';
export * from './embedding.js';
export * from './loss.js';
export * from './one-hot.js';
export * from './conv.js';
export * from './pooling.js';
export * from './padding.js';
export * from './attention.js';
