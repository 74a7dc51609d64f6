// PyTorch's calling convention in TypeScript: positional arguments in PyTorch's order, then (optionally)
// one trailing options object holding the keyword arguments, camelCased. So `nn.Dropout(0.5, inplace=True)`
// is `new nn.Dropout(0.5, { inplace: true })`, and `nn.Dropout(p=0.5)` is `new nn.Dropout({ p: 0.5 })`.

/** The prefixes of a tuple: Prefixes<[A, B]> = [] | [A] | [A, B]. */
type Prefixes<T extends unknown[]> = T extends [...infer H, unknown] ? Prefixes<H> | T : [];

/** Any prefix of the positional parameters P, optionally followed by the options object O. */
export type PyArgs<P extends unknown[], O> = Prefixes<P> extends infer X ? (X extends unknown[] ? [...X, O?] : never) : never;

/** True for `{ … }` literals (not tensors, arrays, Maps or other class instances). */
export function isOptions(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Resolve PyArgs into one object: positional values fill `names` in order, then the options object
 * (if the last argument is one), then `defaults`. Like Python, an argument given both ways is an error,
 * and so is an unknown option (a typo would otherwise be silently ignored).
 */
export function pyArgs<T extends object>(fn: string, args: readonly unknown[], names: readonly (keyof T & string)[], defaults: T): T {
  const last = args[args.length - 1];
  const opts = args.length > 0 && isOptions(last) ? last : undefined;
  const positional = opts ? args.slice(0, -1) : args;
  if (positional.length > names.length) {
    throw new TypeError(`${fn}() takes ${names.length} positional argument${names.length === 1 ? '' : 's'} but ${positional.length} were given`);
  }
  const out = { ...defaults } as Record<string, unknown>;
  positional.forEach((v, i) => {
    if (v !== undefined) out[names[i]!] = v;
  });
  if (opts) {
    for (const [k, v] of Object.entries(opts)) {
      if (!(k in defaults)) throw new TypeError(`${fn}() got an unexpected keyword argument '${k}'`);
      const i = names.indexOf(k as keyof T & string);
      if (i >= 0 && i < positional.length && positional[i] !== undefined) {
        throw new TypeError(`${fn}() got multiple values for argument '${k}'`);
      }
      if (v !== undefined) out[k] = v;
    }
  }
  return out as T;
}

/** PyTorch's spelling of a camelCase option name, for error messages. */
export function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The value of a required argument, or Python's "missing argument" TypeError. */
export function need<T>(fn: string, name: string, value: T | undefined): T {
  if (value === undefined) throw new TypeError(`${fn}() missing 1 required positional argument: '${snake(name)}'`);
  return value;
}
