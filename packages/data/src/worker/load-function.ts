import type { FunctionRef } from './protocol.js';

/**
 * Load a function sent to a worker: an export of a module, or source text. Source text must be a
 * self-contained function expression (an arrow function or `function (…) {…}`): it is compiled
 * anew in the worker, so it sees no variables or imports of the module that defined it.
 */
export async function loadFunction(ref: FunctionRef, what: string): Promise<(...args: never[]) => unknown> {
  if ('source' in ref) {
    let fn: unknown;
    try {
      fn = new Function(`return (${ref.source});`)();
    } catch (e) {
      throw new TypeError(
        `${what}: could not compile the function in the worker (${(e as Error).message}). Pass a self-contained ` +
          'function expression, or { module, export } naming a module that exports it.',
      );
    }
    if (typeof fn !== 'function') throw new TypeError(`${what}: the source is not a function`);
    return fn as (...args: never[]) => unknown;
  }
  const mod = (await import(ref.module)) as Record<string, unknown>;
  const fn = mod[ref.export ?? 'default'];
  if (typeof fn !== 'function') throw new TypeError(`${what}: ${ref.module} has no function export '${ref.export ?? 'default'}'`);
  return fn as (...args: never[]) => unknown;
}
