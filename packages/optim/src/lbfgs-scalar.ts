// PyTorch's LBFGS mixes Python floats with 0-dim tensors (dot products, step lengths, curvature
// pairs), and the mix decides rounding: `float op tensor` computes in the tensor's dtype with the
// float rounded to it first, `float / tensor` is `tensor.reciprocal() * float`, and a comparison
// with a tensor compares in the tensor's dtype. Its line search branches on those comparisons, so
// to follow PyTorch's iterates exactly each scalar here remembers which of the two it is.

/** A scalar as PyTorch's LBFGS holds it: a Python float (`t: false`) or a 0-dim tensor (`t: true`). */
export interface Num {
  readonly v: number;
  readonly t: boolean;
}

export type Round = (x: number) => number;

/** Scalar arithmetic with PyTorch's promotion, for tensors whose dtype rounds with `round`. */
export class ScalarMath {
  constructor(readonly round: Round) {}

  /** A Python float. */
  py(v: number): Num {
    return { v, t: false };
  }
  /** A 0-dim tensor's value (already in its dtype, e.g. from `.item()`). */
  ten(v: number): Num {
    return { v: this.round(v), t: true };
  }

  private bin(a: Num, b: Num, f: (x: number, y: number) => number): Num {
    if (!a.t && !b.t) return { v: f(a.v, b.v), t: false };
    return { v: this.round(f(this.round(a.v), this.round(b.v))), t: true };
  }
  add(a: Num, b: Num): Num {
    return this.bin(a, b, (x, y) => x + y);
  }
  sub(a: Num, b: Num): Num {
    return this.bin(a, b, (x, y) => x - y);
  }
  mul(a: Num, b: Num): Num {
    return this.bin(a, b, (x, y) => x * y);
  }
  div(a: Num, b: Num): Num {
    if (!a.t && b.t) {
      // Tensor.__rtruediv__ is `self.reciprocal() * other`.
      return { v: this.round(this.round(1 / b.v) * this.round(a.v)), t: true };
    }
    return this.bin(a, b, (x, y) => x / y);
  }
  neg(a: Num): Num {
    return { v: -a.v, t: a.t };
  }
  abs(a: Num): Num {
    return { v: Math.abs(a.v), t: a.t };
  }
  sqrt(a: Num): Num {
    return a.t ? { v: this.round(Math.sqrt(a.v)), t: true } : { v: Math.sqrt(a.v), t: false };
  }
  square(a: Num): Num {
    return this.mul(a, a);
  }

  private cmp(a: Num, b: Num): [number, number] {
    return a.t || b.t ? [this.round(a.v), this.round(b.v)] : [a.v, b.v];
  }
  lt(a: Num, b: Num): boolean {
    const [x, y] = this.cmp(a, b);
    return x < y;
  }
  le(a: Num, b: Num): boolean {
    const [x, y] = this.cmp(a, b);
    return x <= y;
  }
  gt(a: Num, b: Num): boolean {
    const [x, y] = this.cmp(a, b);
    return x > y;
  }
  ge(a: Num, b: Num): boolean {
    const [x, y] = this.cmp(a, b);
    return x >= y;
  }
  /** Python's `min(a, b)`: `a` unless `b < a`. */
  min(a: Num, b: Num): Num {
    return this.lt(b, a) ? b : a;
  }
  /** Python's `max(a, b)`: `a` unless `b > a`. */
  max(a: Num, b: Num): Num {
    return this.gt(b, a) ? b : a;
  }
}
