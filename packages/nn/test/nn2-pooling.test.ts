import { describe, test } from 'vitest';
import { loadFixture, runCase } from './nn2-harness.js';

describe('pooling vs PyTorch (fixtures/nn2/pooling.json)', () => {
  for (const c of loadFixture('pooling').cases) test(c.id, () => runCase(c));
});
