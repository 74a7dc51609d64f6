// A small stand-in for the part of vitest's API the cuda suites use (describe/it/test with skip,
// skipIf and each; expect with the matchers below; before/after hooks), so the suites run on a GPU
// machine that has neither Node's package tree nor a network: scripts/cuda-bundle.mjs installs this
// file as the bundle's `vitest` package. run-tests.mjs imports the test files, then calls run().
import { isDeepStrictEqual, inspect } from 'node:util';

const root = { name: '', children: [], hooks: { beforeAll: [], afterAll: [], beforeEach: [], afterEach: [] }, skip: false };
let current = root;

function addSuite(name, fn, skip) {
  const suite = { name, children: [], hooks: { beforeAll: [], afterAll: [], beforeEach: [], afterEach: [] }, skip, parent: current };
  current.children.push(suite);
  const prev = current;
  current = suite;
  try {
    fn?.();
  } finally {
    current = prev;
  }
}
function addTest(name, fn, skip) {
  current.children.push({ name, fn, skip, test: true });
}
const fmtName = (name, arg) => name.replace(/\$([A-Za-z_]\w*)/g, (_, k) => String(arg?.[k])).replace(/%s/, String(arg));

export const describe = (name, fn) => addSuite(name, fn, false);
describe.skip = (name, fn) => addSuite(name, fn, true);
describe.skipIf = (cond) => (name, fn) => addSuite(name, fn, Boolean(cond));
describe.each = (rows) => (name, fn) => rows.forEach((r) => addSuite(fmtName(name, r), () => fn(r), false));
export const it = (name, fn) => addTest(name, fn, false);
it.skip = (name, fn) => addTest(name, fn, true);
it.skipIf = (cond) => (name, fn) => addTest(name, fn, Boolean(cond));
it.each = (rows) => (name, fn) => rows.forEach((r) => addTest(fmtName(name, r), () => fn(r), false));
export const test = it;
export const beforeAll = (fn) => current.hooks.beforeAll.push(fn);
export const afterAll = (fn) => current.hooks.afterAll.push(fn);
export const beforeEach = (fn) => current.hooks.beforeEach.push(fn);
export const afterEach = (fn) => current.hooks.afterEach.push(fn);

class AssertionError extends Error {
  name = 'AssertionError';
}
const show = (v) => inspect(v, { depth: 4, breakLength: 120 });

function matchers(actual, negate, message) {
  const check = (ok, text) => {
    if (ok === negate) throw new AssertionError(`${message ? `${message}: ` : ''}expected ${show(actual)} ${negate ? 'not ' : ''}${text}`);
  };
  const thrown = () => {
    try {
      actual();
    } catch (err) {
      return { err };
    }
    return null;
  };
  return {
    toBe: (e) => check(Object.is(actual, e), `to be ${show(e)}`),
    toEqual: (e) => check(isDeepStrictEqual(actual, e) || isDeepStrictEqual(JSON.parse(JSON.stringify(actual ?? null, big)), JSON.parse(JSON.stringify(e ?? null, big))), `to equal ${show(e)}`),
    toBeNull: () => check(actual === null, 'to be null'),
    toBeUndefined: () => check(actual === undefined, 'to be undefined'),
    toBeDefined: () => check(actual !== undefined, 'to be defined'),
    toBeTruthy: () => check(Boolean(actual), 'to be truthy'),
    toBeGreaterThan: (e) => check(actual > e, `to be > ${e}`),
    toBeGreaterThanOrEqual: (e) => check(actual >= e, `to be >= ${e}`),
    toBeLessThan: (e) => check(actual < e, `to be < ${e}`),
    toBeLessThanOrEqual: (e) => check(actual <= e, `to be <= ${e}`),
    toContain: (e) => check(actual?.includes?.(e) ?? false, `to contain ${show(e)}`),
    toMatch: (e) => check(typeof actual === 'string' && (typeof e === 'string' ? actual.includes(e) : e.test(actual)), `to match ${e}`),
    toBeCloseTo: (e, digits = 2) => check(Math.abs(actual - e) < 10 ** -digits / 2, `to be close to ${e}`),
    toHaveLength: (n) => check(actual?.length === n, `to have length ${n}`),
    toThrow: (e) => {
      const t = thrown();
      const msg = t ? String(t.err?.message ?? t.err) : '';
      const ok = t !== null && (e === undefined || (typeof e === 'string' ? msg.includes(e) : e instanceof RegExp ? e.test(msg) : t.err instanceof e));
      check(ok, `to throw ${e ?? ''}${t ? ` (threw: ${msg})` : ' (did not throw)'}`);
    },
  };
}
const big = (_k, v) => (typeof v === 'bigint' ? `${v}n` : v);

export function expect(actual, message) {
  const m = matchers(actual, false, message);
  m.not = matchers(actual, true, message);
  return m;
}
expect.fail = (message) => {
  throw new AssertionError(message);
};

/** Run every registered test; returns { passed, failed, skipped, failures }. */
export async function run(log = console.log) {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  async function visit(node, path, skip, eachHooks) {
    const name = [...path, node.name].filter(Boolean).join(' > ');
    if (node.test) {
      if (skip || node.skip) {
        counts.skipped++;
        log(`  - ${name} (skipped)`);
        return;
      }
      try {
        for (const h of eachHooks.before) await h();
        await node.fn?.();
        counts.passed++;
      } catch (err) {
        counts.failed++;
        counts.failures.push(`${name}: ${err?.stack ?? err}`);
        log(`  x ${name}\n      ${String(err?.message ?? err).split('\n').slice(0, 6).join('\n      ')}`);
      } finally {
        for (const h of eachHooks.after) await h();
      }
      return;
    }
    const s = skip || node.skip;
    if (!s) for (const h of node.hooks.beforeAll) await h();
    const hooks = { before: [...eachHooks.before, ...node.hooks.beforeEach], after: [...node.hooks.afterEach, ...eachHooks.after] };
    for (const c of node.children) await visit(c, node.name ? [...path, node.name] : path, s, hooks);
    if (!s) for (const h of node.hooks.afterAll) await h();
  }
  await visit(root, [], false, { before: [], after: [] });
  return counts;
}
