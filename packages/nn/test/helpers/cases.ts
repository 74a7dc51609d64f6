import { test } from 'vitest';
import { loadFixture } from './fixtures.js';
import { type FunctionalCase, type ModuleCase, runFunctionalCase, runModuleCase } from './run-case.js';

/** One test per recorded case of fixtures/nn/<file>.json. */
export function fixtureTests(file: string): void {
  const { cases } = loadFixture<{ cases: (ModuleCase | FunctionalCase)[] }>(file);
  for (const c of cases) {
    if ('module' in c) test(c.id, () => runModuleCase(c));
    else if ('fn' in c) test(c.id, () => runFunctionalCase(c));
  }
}
