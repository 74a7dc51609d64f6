// PyTorch 1.13's answers for every case in fixtures/nn/activations.json (scripts/gen_nn_fixtures.py).
import { describe } from 'vitest';
import { fixtureTests } from './helpers/cases.js';

describe('activations (PyTorch fixtures)', () => fixtureTests('activations'));
