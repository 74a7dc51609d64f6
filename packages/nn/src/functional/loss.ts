// Losses (handbook 7), grouped by family; `F.ctcLoss` lives in ctc.ts.
export * from './reduction.js';
export * from './loss-regression.js';
export * from './loss-classification.js';
export * from './loss-embedding.js';
export * from './ctc.js';
