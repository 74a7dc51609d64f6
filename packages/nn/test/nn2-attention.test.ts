import { describe, test } from 'vitest';
import { loadFixture, runCase } from './nn2-harness.js';

describe('attention vs PyTorch (fixtures/nn2/attention.json)', () => {
  for (const c of loadFixture('attention').cases) test(c.id, () => runCase(c));
});
describe('Transformer layers vs PyTorch (fixtures/nn2/transformer.json)', () => {
  for (const c of loadFixture('transformer').cases) test(c.id, () => runCase(c), 30_000);
});
