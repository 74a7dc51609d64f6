// Default initialisation and printing: after torch.manualSeed(s), each layer gets PyTorch's weights (the
// same draws in the same order) and prints as PyTorch prints it (fixtures/nn2/modules.json).
import { describe, expect, test } from 'vitest';
import * as torch from '@kindling/tensor';
import { Module } from '../src/index.js';
import { type Arg, decodeArg, expectClose, loadFixture } from './nn2-harness.js';

describe('default init and repr vs PyTorch (fixtures/nn2/modules.json)', () => {
  for (const c of loadFixture('modules').cases) {
    test(c.id, () => {
      torch.manualSeed(c.seed!);
      const m = decodeArg(c.module as Arg, []) as Module;
      expect(m.toString()).toBe(c.repr);
      const sd = m.stateDict();
      expect(Object.keys(sd)).toEqual(Object.keys(c.state!));
      for (const [k, v] of Object.entries(c.state!)) expectClose(sd[k], v, `${c.id}: ${k}`);
    });
  }
});
