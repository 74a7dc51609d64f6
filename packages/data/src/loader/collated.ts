import type { Tensor } from '@kindling/tensor';

/**
 * The type `defaultCollate` makes of a list of samples of type `T`: tensors, numbers, booleans and
 * typed arrays become a Tensor, strings a string[], and arrays, tuples, objects and Maps are
 * collated position by position, key by key.
 */
export type Collated<T> = T extends Tensor
  ? Tensor
  : T extends number | bigint | boolean | ArrayBufferView
    ? Tensor
    : T extends string
      ? string[]
      : T extends Map<infer K, infer V>
        ? Map<K, Collated<V>>
        : T extends readonly unknown[]
          ? { -readonly [K in keyof T]: Collated<T[K]> }
          : T extends object
            ? { [K in keyof T]: Collated<T[K]> }
            : unknown;
