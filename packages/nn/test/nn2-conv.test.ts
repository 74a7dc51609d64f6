import { describe, test } from 'vitest';
import { loadFixture, runCase } from './nn2-harness.js';

describe('convolution vs PyTorch (fixtures/nn2/conv.json)', () => {
  for (const c of loadFixture('conv').cases) test(c.id, () => runCase(c));
});
