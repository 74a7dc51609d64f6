import { describe, test } from 'vitest';
import * as nn from '../src/index.js';
import { loadFixture, runCase } from './nn2-harness.js';

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const rnnUtils = nn.utils.rnn as unknown as Record<string, (...a: unknown[]) => unknown>;

describe('recurrent layers vs PyTorch (fixtures/nn2/recurrent.json)', () => {
  for (const c of loadFixture('recurrent').cases) test(c.id, () => runCase(c), 30_000);
});
describe('nn.utils.rnn vs PyTorch (fixtures/nn2/rnn_utils.json)', () => {
  for (const c of loadFixture('rnn_utils').cases) test(c.id, () => runCase(c, { call: rnnUtils[camel(c.fn!)] }));
});
