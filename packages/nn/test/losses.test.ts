// PyTorch 1.13's answers for every case in fixtures/nn/losses.json (scripts/gen_nn_fixtures.py).
import { describe } from 'vitest';
import { fixtureTests } from './helpers/cases.js';

describe('losses (PyTorch fixtures)', () => fixtureTests('losses'));
