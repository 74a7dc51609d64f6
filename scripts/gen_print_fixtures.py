#!/usr/bin/python3
"""Generate fixtures/print.json: PyTorch 1.13's repr() of ~100 varied tensors.

Run with the Debian PyTorch build:  /usr/bin/python3 scripts/gen_print_fixtures.py

Each case is {name, values, shape, dtype, device, requiresGrad, gradFnName, options, expected}.
`values` is the row-major element list. Integers of int64 tensors are strings (exact beyond
2**53); non-finite floats are the strings "nan", "inf", "-inf" (JSON has no literal for them);
-0.0 is written as -0.0, which JSON.parse reads back as -0. float16/bfloat16 values are already
decoded to the double they represent, float32 values are the double of the float32.
`options` holds the keyword arguments given to torch.set_printoptions before repr (or null);
defaults are restored after every case.
"""
import json
import math
import os

import torch

torch.manual_seed(1234)

DTYPE_NAMES = {
    torch.float32: "float32",
    torch.float64: "float64",
    torch.float16: "float16",
    torch.bfloat16: "bfloat16",
    torch.int8: "int8",
    torch.uint8: "uint8",
    torch.int16: "int16",
    torch.int32: "int32",
    torch.int64: "int64",
    torch.bool: "bool",
}

cases = []


def enc_value(v, dtype):
    if dtype == torch.bool:
        return 1 if v else 0
    if dtype == torch.int64:
        return str(int(v))
    if not dtype.is_floating_point:
        return int(v)
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def add(name, t, options=None):
    """Record repr(t) (under `options`, if given) as a case."""
    if options:
        torch.set_printoptions(**options)
    try:
        expected = repr(t)
    finally:
        torch.set_printoptions(profile="default")
    flat = t.detach().reshape(-1).tolist()
    grad_fn = type(t.grad_fn).__name__ if t.grad_fn is not None else None
    opts = None
    if options:
        # Option names as the TypeScript API spells them.
        key = {"sci_mode": "sciMode"}
        opts = {key.get(k, k): (("inf" if v == math.inf else v) if isinstance(v, float) else v)
                for k, v in options.items()}
    cases.append(
        {
            "name": name,
            "values": [enc_value(v, t.dtype) for v in flat],
            "shape": list(t.shape),
            "dtype": DTYPE_NAMES[t.dtype],
            "device": str(t.device),
            "requiresGrad": bool(t.requires_grad),
            "gradFnName": grad_fn,
            "options": opts,
            "expected": expected,
        }
    )


nan, inf = float("nan"), float("inf")

# --- integers -------------------------------------------------------------------------------
add("int64 small", torch.tensor([1, 2, 3]))
add("int64 negatives", torch.tensor([-5, 10, -200, 7]))
add("int64 2-D", torch.arange(12).reshape(3, 4))
add("int64 big", torch.tensor([2**40 + 1, -(2**62), 2**63 - 1, 0]))
add("int64 beyond 2^53", torch.tensor([2**53 + 1, 2**53 + 3, -(2**53) - 7]))
add("int64 min", torch.tensor([-(2**63), 5]))
add("int32", torch.tensor([1, -2, 300000], dtype=torch.int32))
add("int16", torch.tensor([[1, -2], [32767, -32768]], dtype=torch.int16))
add("int8", torch.tensor([-128, 0, 127], dtype=torch.int8))
add("uint8", torch.tensor([0, 17, 255], dtype=torch.uint8))
add("int32 arange 30", torch.arange(30, dtype=torch.int32))
add("int64 arange 2000 summarized", torch.arange(2000))
add("int64 0-d", torch.tensor(42))
add("int64 0-d negative", torch.tensor(-7))
add("int8 0-d", torch.tensor(-3, dtype=torch.int8))
add("uint8 3-D", torch.arange(24, dtype=torch.uint8).reshape(2, 3, 4))

# --- bool -----------------------------------------------------------------------------------
add("bool 1-D", torch.tensor([True, False, True]))
add("bool all true", torch.tensor([True, True]))
add("bool 2-D", torch.tensor([[True, False], [False, False]]))
add("bool 0-d", torch.tensor(False))
add("bool summarized", torch.arange(1500) % 3 == 0)

# --- floats: fixed-point mode ---------------------------------------------------------------
add("float simple", torch.tensor([1.5, 2.25, -3.125]))
add("float integral", torch.tensor([1.0, 2.0, 3.0]))
add("float integral negatives", torch.tensor([-1.0, 20.0, -300.0]))
add("float zeros", torch.zeros(3))
add("float negative zero", torch.tensor([-0.0, 0.0]))
add("float negative zero mixed", torch.tensor([-0.0, 1.5]))
add("float ties half-even", torch.tensor([0.03125, 1.03125, 0.15625, 2.5, 0.5]))
add("float ties half-even integral check", torch.tensor([0.5, 1.5, 2.5, 3.5]))
add("float rounds to negative zero", torch.tensor([-0.00004, 0.5, 1.0]))
add("float random 2-D", torch.randn(4, 5))
add("float random 3-D", torch.randn(2, 3, 4))
add("float random 4-D", torch.randn(2, 2, 2, 3))
add("float 0-d", torch.tensor(3.5))
add("float 0-d integral", torch.tensor(3.0))
add("float 0-d zero", torch.tensor(0.0))
add("float 0-d nan", torch.tensor(nan))
add("float 0-d sci", torch.tensor(1.0e-7))
add("float 0-d large integral", torch.tensor(1.0e10))
add("float 0-d inf", torch.tensor(-inf))
add("float max ratio just under 1000", torch.tensor([0.01, 9.99]))
add("float min exactly 1e-4 boundary", torch.tensor([1.0e-4, 0.05], dtype=torch.float64))
add("float larger values", torch.tensor([12345.678, 0.5, 99999.9]))
add("float 9.99995 rounding", torch.tensor([9.99995, 1.0], dtype=torch.float64))

# --- floats: scientific mode ----------------------------------------------------------------
add("float tiny", torch.tensor([1.0e-5, 2.0e-6, 3.0]))
add("float huge", torch.tensor([1.0e9, 2.5]))
add("float ratio > 1000", torch.tensor([0.5, 1234.5]))
add("float integral huge", torch.tensor([1.0e9, 1.0]))
add("float integral ratio > 1000", torch.tensor([1.0, 5000.0]))
add("float integral ratio exactly 1000", torch.tensor([1.0, 1000.0]))
add("float integral just over 1e8", torch.tensor([100000000.0, 200000000.0], dtype=torch.float64))
add("float mixed sign sci", torch.tensor([[-1.0e-8, 3.0e5], [7.0, -2.0e10]]))
add("float sci e+100", torch.tensor([1.0e100, -3.0e-100], dtype=torch.float64))
add("float sci 9.99995e rounding", torch.tensor([9.99995e-9, 1.0], dtype=torch.float64))
add("float sci ties", torch.tensor([1.03125e0, 1.0e-7, 2.5e-6], dtype=torch.float64))
add("float32 max", torch.tensor([3.4028234663852886e38, -1.0]))
add("float32 subnormal", torch.tensor([1.0e-45, 1.0]))
add("float64 subnormal", torch.tensor([5.0e-324, 1.0], dtype=torch.float64))

# --- nan / inf ------------------------------------------------------------------------------
add("nan inf mix", torch.tensor([nan, inf, -inf, 1.5]))
add("nan inf only", torch.tensor([nan, inf, -inf]))
add("nan zero", torch.tensor([0.0, nan]))
add("nan integral", torch.tensor([nan, 2.0, -inf]))
add("nan sci", torch.tensor([nan, 1.0e-9, inf]))
add("negated nan", -torch.tensor([nan, 1.5]))
add("inf 2-D", torch.tensor([[inf, 1.0], [2.0, -inf]]))

# --- other dtypes ---------------------------------------------------------------------------
add("float64 simple", torch.tensor([1.5, 2.0, 3.14159265358979], dtype=torch.float64))
add("float64 integral", torch.tensor([1.0, 2.0], dtype=torch.float64))
add("float64 0-d", torch.tensor(2.718281828, dtype=torch.float64))
add("float16", torch.tensor([0.1, 1.0, 65504.0], dtype=torch.float16))
add("float16 small", torch.tensor([0.1, 0.2, 0.3], dtype=torch.float16))
add("float16 sci", torch.tensor([6.0e-5, 1.0, 100.0], dtype=torch.float16))
add("bfloat16", torch.tensor([0.1, 1.0, 3.0e38], dtype=torch.bfloat16))
add("bfloat16 2-D", torch.tensor([[1.5, -2.25], [0.333, 7.0]], dtype=torch.bfloat16))

# --- empty tensors --------------------------------------------------------------------------
add("empty float", torch.tensor([]))
add("empty 0x3", torch.zeros(0, 3))
add("empty 2x0", torch.zeros(2, 0))
add("empty 2x0x4", torch.zeros(2, 0, 4))
add("empty int64", torch.tensor([], dtype=torch.int64))
add("empty int64 2-D", torch.zeros(3, 0, dtype=torch.int64))
add("empty bool", torch.tensor([], dtype=torch.bool))
add("empty float64", torch.zeros(0, dtype=torch.float64))
add("empty float16 2-D", torch.zeros(0, 2, dtype=torch.float16))
add("empty requires_grad", torch.zeros(0, 3, requires_grad=True))

# --- summarization --------------------------------------------------------------------------
add("float 2000 summarized", torch.randn(2000))
add("float 40x40 summarized", torch.randn(40, 40))
add("float 3x500x3 summarized", torch.randn(3, 500, 3))
add("float 20x60 summarized both dims", torch.randn(20, 60))
add("float 4x5x6x10 summarized", torch.randn(4, 5, 6, 10))
add("int 1001 summarized", torch.arange(1001) * 7 - 3000)
add("float summarized integral", torch.arange(1200, dtype=torch.float32))
add("float summarized sci decided on shown only",
    torch.cat([torch.tensor([1.0, 2.0, 3.0]), torch.full((1000,), 1.0e-9), torch.tensor([4.0, 5.0, 6.0])]))
add("float exactly 1000 not summarized", torch.arange(1000, dtype=torch.float32).reshape(10, 100) / 4)

# --- line wrapping --------------------------------------------------------------------------
add("float wide row wraps", torch.randn(30))
add("float 2-D wide rows wrap", torch.randn(3, 25))
add("float sci wraps", torch.randn(20) * 1.0e-6)
add("int wide wraps", torch.arange(0, 100000, 1000))
add("bool wraps", torch.arange(40) % 2 == 0)
add("3-D rows wrap", torch.randn(2, 2, 15))
for n in range(1, 14):
    a = (torch.arange(n, dtype=torch.float64) + 0.5).requires_grad_(True)
    add("suffix wrapping float64 grad_fn n=%d" % n, a * 2)
for n in (8, 9, 10):
    add("suffix wrapping requires_grad n=%d" % n,
        (torch.arange(n, dtype=torch.float32) + 0.25).requires_grad_(True))

# --- autograd suffixes ----------------------------------------------------------------------
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
add("requires_grad leaf", a)
add("grad_fn add", a + 1)
add("grad_fn mul", a * a)
add("grad_fn sum 0-d", (a * 2).sum())
add("grad_fn mean 0-d", a.mean())
add("requires_grad float64 leaf", torch.tensor([[1.0, 2.5], [3.0, 4.0]], dtype=torch.float64, requires_grad=True))
add("requires_grad 0-d", torch.tensor(1.25, requires_grad=True))
add("grad_fn 2-D matmul", torch.randn(3, 3, requires_grad=True) @ torch.randn(3, 2))

# --- print options --------------------------------------------------------------------------
add("precision 2", torch.tensor([1.12345, -2.5, 3.14159]), {"precision": 2})
add("precision 2 sci", torch.tensor([1.12345e-8, 3.0]), {"precision": 2})
add("precision 0", torch.tensor([0.5, 1.5, 2.5, 3.25]), {"precision": 0})
add("precision 8", torch.tensor([1.0 / 3.0, 2.0 / 3.0], dtype=torch.float64), {"precision": 8})
add("sci_mode False tiny", torch.tensor([1.0e-5, 2.0e-6, 3.0]), {"sci_mode": False})
add("sci_mode False huge", torch.tensor([1.5e25, 2.0]), {"sci_mode": False})
add("sci_mode False integral huge", torch.tensor([1.0e30, 1.0]), {"sci_mode": False})
add("sci_mode True", torch.tensor([1.5, 2.25, -3.0]), {"sci_mode": True})
add("sci_mode True integral", torch.tensor([1.0, 20.0]), {"sci_mode": True})
add("sci_mode True zeros only", torch.tensor([0.0, 0.0]), {"sci_mode": True})
add("sci_mode True nan", torch.tensor([nan, 2.5]), {"sci_mode": True})
add("sci_mode True ints unaffected", torch.tensor([1, 2, 3]), {"sci_mode": True})
add("profile full 1500", torch.arange(1500), {"profile": "full"})
add("profile full 2-D 30x40", torch.randn(30, 40), {"profile": "full"})
add("profile short", torch.randn(1200), {"profile": "short"})
add("profile short 2-D", torch.randn(50, 30), {"profile": "short"})
add("threshold 5", torch.arange(10), {"threshold": 5})
add("threshold 5 edgeitems 1", torch.arange(24).reshape(2, 3, 4), {"threshold": 5, "edgeitems": 1})
add("edgeitems 5", torch.randn(2000), {"edgeitems": 5})
add("linewidth 40", torch.randn(20), {"linewidth": 40})
add("linewidth 40 suffix", torch.randn(6, dtype=torch.float64, requires_grad=True) + 1, {"linewidth": 40})
add("linewidth 10", torch.randn(3, 4), {"linewidth": 10})
add("sci_mode False rounds to negative zero", torch.tensor([-0.00004, 1.5, -2.0]), {"sci_mode": False})
add("precision 2 and sci_mode False", torch.tensor([1.0e-5, 123.456]), {"precision": 2, "sci_mode": False})

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "print.json")
with open(out, "w") as f:
    json.dump(cases, f, indent=None, separators=(",", ":"), allow_nan=False)
    f.write("\n")
print("wrote %d cases to %s (%d bytes)" % (len(cases), os.path.normpath(out), os.path.getsize(out)))
