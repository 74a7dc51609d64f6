#!/usr/bin/python3
"""Generate fixtures/autograd/*.json: gradients of every differentiable op of handbook chapters 1-4,
with PyTorch 1.13 as the oracle.

Run with the Debian PyTorch build:  /usr/bin/python3 scripts/gen_grad_fixtures.py

Each case applies one op (named by a key of OPS below; conformance/autograd.test.ts has the same table
in TypeScript) to float64 inputs that require grad, and records what PyTorch computes:
  id        unique, human-readable name
  op        the key of the op in OPS
  args      the op's non-tensor arguments (dims, sizes, scalars, subscript items), JSON
  inputs    float64 tensors that require grad: {dtype, shape, values}
  consts    tensors that do not (indices, masks, conditions): {dtype, shape, values}
  outputs   the op's differentiable outputs, {dtype, shape, values}
  gradFns   PyTorch's grad_fn name of each output (SumBackward0 ...)
  upstream  a random gradient for each output
  grads     d(sum_k <output_k, upstream_k>)/d(input_i) for each input (null: input unused)
  second    for a subset of smooth ops: {v, grads}: with g = the grads above built with create_graph,
            grads = d(sum_i <g_i, v_i>)/d(input_i) (null where PyTorch returns None for an input)
  edge      true when the inputs sit on a non-differentiable point on purpose (ties, clamp bounds,
            abs at 0, pow with zero exponents): the case records PyTorch's choice of subgradient,
            and finite differences (gradcheck) do not apply
Values are well-conditioned and away from kinks except in edge cases. Element encoding as in
fixtures/conformance: numbers, or "nan", "inf", "-inf", "-0".
Output is deterministic: each area seeds its own generator.
"""
import json
import math
import os
import sys

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "fixtures", "autograd")
F64 = torch.float64
NAMES = {torch.bool: "bool", torch.int64: "int64", torch.float64: "float64"}


def enc_elem(v, dtype):
    if dtype == torch.bool:
        return bool(v)
    if not dtype.is_floating_point:
        return int(v)
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0 and math.copysign(1, v) < 0:
        return "-0"
    return v


def enc(t):
    if t is None:
        return None
    t = t.detach()
    return {"dtype": NAMES[t.dtype], "shape": list(t.shape), "values": [enc_elem(v, t.dtype) for v in t.reshape(-1).tolist()]}


# ---- the ops: (inputs, consts, args) -> tensor or list of tensors --------------------------------
# Keep in sync with OPS in conformance/autograd.test.ts.


def _item(x, cs):
    if isinstance(x, dict) and "$const" in x:
        return cs[x["$const"]]
    if x == "...":
        return Ellipsis
    if isinstance(x, str):
        parts = [int(p) if p.strip() else None for p in x.split(":")]
        return slice(*parts)
    return x


def subscript(a, cs):
    items = tuple(_item(i, cs) for i in a["items"])
    return items[0] if len(items) == 1 else items


def dim_kw(a):
    """Reduction keyword arguments from args: dim (absent = all) and keepdim."""
    kw = {}
    if a.get("dim") is not None:
        kw["dim"] = tuple(a["dim"]) if isinstance(a["dim"], list) else a["dim"]
    if "keepdim" in a:
        kw["keepdim"] = a["keepdim"]
    return kw


UNARY = ["exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "square", "sin", "cos", "tan",
         "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "sigmoid", "erf", "erfc",
         "reciprocal", "neg", "abs", "sign", "floor", "ceil", "round", "trunc", "frac"]

OPS = {
    # arithmetic
    "add": lambda x, c, a: x[0] + x[1],
    "add_alpha": lambda x, c, a: torch.add(x[0], x[1], alpha=a["alpha"]),
    "add_scalar": lambda x, c, a: x[0] + a["s"],
    "radd_scalar": lambda x, c, a: a["s"] + x[0],
    "sub": lambda x, c, a: x[0] - x[1],
    "sub_scalar": lambda x, c, a: x[0] - a["s"],
    "rsub_scalar": lambda x, c, a: a["s"] - x[0],
    "mul": lambda x, c, a: x[0] * x[1],
    "mul_scalar": lambda x, c, a: x[0] * a["s"],
    "div": lambda x, c, a: x[0] / x[1],
    "div_scalar": lambda x, c, a: x[0] / a["s"],
    "rdiv_scalar": lambda x, c, a: a["s"] / x[0],
    "pow": lambda x, c, a: x[0] ** x[1],
    "pow_scalar": lambda x, c, a: x[0] ** a["p"],
    "rpow_scalar": lambda x, c, a: a["s"] ** x[0],
    "remainder": lambda x, c, a: torch.remainder(x[0], x[1]),
    "remainder_scalar": lambda x, c, a: torch.remainder(x[0], a["s"]),
    "maximum": lambda x, c, a: torch.maximum(x[0], x[1]),
    "minimum": lambda x, c, a: torch.minimum(x[0], x[1]),
    "where": lambda x, c, a: torch.where(c[0], x[0], x[1]),
    "clamp": lambda x, c, a: torch.clamp(x[0], min=a.get("min"), max=a.get("max")),
    "clamp_tensor": lambda x, c, a: torch.clamp(x[0], x[1], x[2]),
    "lerp": lambda x, c, a: torch.lerp(x[0], x[1], a["w"]),
    "lerp_tensor": lambda x, c, a: torch.lerp(x[0], x[1], x[2]),
    "atan2": lambda x, c, a: torch.atan2(x[0], x[1]),
    "clone": lambda x, c, a: x[0].clone(),
    # matrices
    "mm": lambda x, c, a: torch.mm(x[0], x[1]),
    "bmm": lambda x, c, a: torch.bmm(x[0], x[1]),
    "matmul": lambda x, c, a: torch.matmul(x[0], x[1]),
    "mv": lambda x, c, a: torch.mv(x[0], x[1]),
    "dot": lambda x, c, a: torch.dot(x[0], x[1]),
    "outer": lambda x, c, a: torch.outer(x[0], x[1]),
    "inverse": lambda x, c, a: torch.inverse(x[0]),
    "det": lambda x, c, a: torch.det(x[0]),
    "trace": lambda x, c, a: torch.trace(x[0]),
    # reductions
    "sum": lambda x, c, a: x[0].sum(**dim_kw(a)),
    "mean": lambda x, c, a: x[0].mean(**dim_kw(a)),
    "prod": lambda x, c, a: x[0].prod(**dim_kw(a)) if "dim" in a else x[0].prod(),
    "std": lambda x, c, a: x[0].std(**dim_kw(a), unbiased=a.get("unbiased", True)),
    "var": lambda x, c, a: x[0].var(**dim_kw(a), unbiased=a.get("unbiased", True)),
    "amax": lambda x, c, a: x[0].amax(**dim_kw(a)) if "dim" in a else x[0].amax(),
    "amin": lambda x, c, a: x[0].amin(**dim_kw(a)) if "dim" in a else x[0].amin(),
    "max": lambda x, c, a: x[0].max(),
    "min": lambda x, c, a: x[0].min(),
    "max_dim": lambda x, c, a: x[0].max(a["dim"], keepdim=a.get("keepdim", False)).values,
    "min_dim": lambda x, c, a: x[0].min(a["dim"], keepdim=a.get("keepdim", False)).values,
    "median": lambda x, c, a: x[0].median(),
    "median_dim": lambda x, c, a: x[0].median(a["dim"], keepdim=a.get("keepdim", False)).values,
    "kthvalue": lambda x, c, a: x[0].kthvalue(a["k"], a["dim"], keepdim=a.get("keepdim", False)).values,
    "mode": lambda x, c, a: x[0].mode(a["dim"], keepdim=a.get("keepdim", False)).values,
    "sort": lambda x, c, a: x[0].sort(dim=a["dim"], descending=a.get("descending", False)).values,
    "topk": lambda x, c, a: x[0].topk(a["k"], a["dim"], largest=a.get("largest", True)).values,
    "cumsum": lambda x, c, a: x[0].cumsum(a["dim"]),
    "cumprod": lambda x, c, a: x[0].cumprod(a["dim"]),
    "logsumexp": lambda x, c, a: x[0].logsumexp(a["dim"], keepdim=a.get("keepdim", False)),
    "softmax": lambda x, c, a: x[0].softmax(a["dim"]),
    "log_softmax": lambda x, c, a: x[0].log_softmax(a["dim"]),
    # views and shape ops
    "view": lambda x, c, a: x[0].view(a["shape"]),
    "reshape": lambda x, c, a: x[0].reshape(a["shape"]),
    "reshape_t": lambda x, c, a: x[0].t().reshape(a["shape"]),
    "transpose": lambda x, c, a: x[0].transpose(a["dim0"], a["dim1"]),
    "permute": lambda x, c, a: x[0].permute(a["dims"]),
    "expand": lambda x, c, a: x[0].expand(a["shape"]),
    "squeeze": lambda x, c, a: x[0].squeeze(a["dim"]) if "dim" in a else x[0].squeeze(),
    "unsqueeze": lambda x, c, a: x[0].unsqueeze(a["dim"]),
    "flatten": lambda x, c, a: x[0].flatten(a.get("start", 0), a.get("end", -1)),
    "narrow": lambda x, c, a: x[0].narrow(a["dim"], a["start"], a["length"]),
    "select": lambda x, c, a: x[0].select(a["dim"], a["index"]),
    "diagonal": lambda x, c, a: x[0].diagonal(a.get("offset", 0), a.get("dim1", 0), a.get("dim2", 1)),
    "unfold": lambda x, c, a: x[0].unfold(a["dim"], a["size"], a["step"]),
    "split": lambda x, c, a: list(x[0].split(a["split"], a["dim"])),
    "chunk": lambda x, c, a: list(x[0].chunk(a["chunks"], a["dim"])),
    "unbind": lambda x, c, a: list(x[0].unbind(a["dim"])),
    "T": lambda x, c, a: x[0].T,
    "mT": lambda x, c, a: x[0].mT,
    "movedim": lambda x, c, a: x[0].movedim(a["src"], a["dst"]),
    "contiguous": lambda x, c, a: x[0].t().contiguous(),
    "cat": lambda x, c, a: torch.cat(x, a["dim"]),
    "stack": lambda x, c, a: torch.stack(x, a["dim"]),
    "flip": lambda x, c, a: x[0].flip(a["dims"]),
    "roll": lambda x, c, a: x[0].roll(a["shifts"], a["dims"]) if "dims" in a else x[0].roll(a["shifts"]),
    "repeat": lambda x, c, a: x[0].repeat(*a["sizes"]),
    # indexing
    "index": lambda x, c, a: x[0][subscript(a, c)],
    "gather": lambda x, c, a: x[0].gather(a["dim"], c[0]),
    "scatter": lambda x, c, a: x[0].scatter(a["dim"], c[0], x[1]),
    "scatter_value": lambda x, c, a: x[0].scatter(a["dim"], c[0], a["value"]),
    "scatter_add": lambda x, c, a: x[0].scatter_add(a["dim"], c[0], x[1]),
    "index_select": lambda x, c, a: x[0].index_select(a["dim"], c[0]),
    "index_add": lambda x, c, a: x[0].index_add(a["dim"], c[0], x[1]),
    "masked_fill": lambda x, c, a: x[0].masked_fill(c[0], a["value"]),
    "take": lambda x, c, a: x[0].take(c[0]),
    "index_put": lambda x, c, a: x[0].index_put(tuple(c), x[1], accumulate=a["accumulate"]),
}
for _name in UNARY:
    OPS[_name] = (lambda n: lambda x, c, a: getattr(torch, n)(x[0]))(_name)


def as_list(r):
    return list(r) if isinstance(r, (list, tuple)) else [r]


class Area:
    def __init__(self, name, seed):
        self.name = name
        self.cases = []
        self.ids = set()
        self.g = torch.Generator().manual_seed(seed)

    # input makers -----------------------------------------------------------------------------
    def u(self, *shape, lo=-2.0, hi=2.0):
        """Uniform in [lo, hi), float64."""
        return torch.rand(shape, generator=self.g, dtype=F64) * (hi - lo) + lo

    def pos(self, *shape, lo=0.5, hi=2.0):
        return self.u(*shape, lo=lo, hi=hi)

    def away(self, *shape, lo=0.3, hi=2.0):
        """Magnitude in [lo, hi), random sign: away from 0."""
        mag = self.u(*shape, lo=lo, hi=hi)
        sign = torch.where(torch.rand(shape, generator=self.g, dtype=F64) < 0.5, -1.0, 1.0)
        return mag * sign

    def randn(self, shape):
        return torch.randn(shape, generator=self.g, dtype=F64)

    def well_conditioned(self, *shape):
        """Batches of square matrices: identity-dominated, so inverse/det are well conditioned."""
        n = shape[-1]
        return torch.eye(n, dtype=F64) * 2.0 + self.u(*shape, lo=-0.5, hi=0.5)

    # a case --------------------------------------------------------------------------------------
    def case(self, op, inputs, consts=(), args=None, second=False, edge=False, label=None):
        args = args or {}
        xs = [t.detach().clone().to(F64).requires_grad_(True) for t in inputs]
        cs = list(consts)
        outs = [o for o in as_list(OPS[op](xs, cs, args))]
        for o in outs:
            assert o.requires_grad, f"{op}: output does not require grad"
        ups = [self.randn(o.shape) for o in outs]
        grads = torch.autograd.grad(outs, xs, ups, allow_unused=True, retain_graph=True)
        shapes = ",".join("x".join(map(str, t.shape)) or "s" for t in xs)
        base = f"{op}({shapes}){'' if not args else ' ' + json.dumps(args, separators=(',', ':'))}"
        cid = f"{base} {label}" if label else base
        n = 2
        while cid in self.ids:
            cid = f"{base} #{n}"
            n += 1
        self.ids.add(cid)
        c = {
            "id": cid,
            "op": op,
            "args": args,
            "inputs": [enc(t) for t in xs],
            "consts": [enc(t) for t in cs],
            "outputs": [enc(o) for o in outs],
            "gradFns": [o.grad_fn.name() for o in outs],
            "upstream": [enc(u) for u in ups],
            "grads": [enc(g) for g in grads],
        }
        if edge:
            c["edge"] = True
        if second:
            g1 = torch.autograd.grad(outs, xs, ups, allow_unused=True, create_graph=True)
            vs = [self.randn(x.shape) for x in xs]
            terms = [(g * v).sum() for g, v in zip(g1, vs) if g is not None and g.requires_grad]
            assert terms, f"{op}: second order requested but the first-order grads do not depend on the inputs"
            g2 = torch.autograd.grad(sum(terms), xs, allow_unused=True)
            c["second"] = {"v": [enc(v) for v in vs], "grads": [enc(g) for g in g2]}
        self.cases.append(c)

    def write(self):
        os.makedirs(OUT_DIR, exist_ok=True)
        path = os.path.join(OUT_DIR, f"{self.name}.json")
        with open(path, "w") as f:
            json.dump({"area": self.name, "torch": torch.__version__, "cases": self.cases}, f, separators=(",", ":"))
            f.write("\n")
        return path


def t(values):
    return torch.tensor(values, dtype=F64)


def idx(values):
    return torch.tensor(values, dtype=torch.int64)


def mask(values):
    return torch.tensor(values, dtype=torch.bool)


# ---- areas ------------------------------------------------------------------------------------------


def arithmetic():
    A = Area("arithmetic", 1)
    # add/sub/mul/div with broadcasting (same shape, trailing dim, both sides, 0-d tensor) and scalars
    for op in ["add", "sub", "mul", "div"]:
        second = op in ("mul", "div")
        rhs = (lambda *s: A.away(*s, lo=0.5)) if op == "div" else A.u
        A.case(op, [A.u(2, 3), rhs(2, 3)], second=second)
        A.case(op, [A.u(2, 3), rhs(3)], second=second)
        A.case(op, [A.u(2, 1), rhs(1, 3)], second=second)
        A.case(op, [A.u(4, 1, 3), rhs(2, 1)], second=second)
        A.case(op, [A.u(2, 3), rhs()], second=second)
        A.case(op, [A.u(), rhs(2, 3)], second=second)
    A.case("add_alpha", [A.u(2, 3), A.u(3)], args={"alpha": 2.5})
    A.case("add_scalar", [A.u(2, 3)], args={"s": 1.5})
    A.case("radd_scalar", [A.u(2, 3)], args={"s": -2})
    A.case("sub_scalar", [A.u(2, 3)], args={"s": 0.25})
    A.case("rsub_scalar", [A.u(2, 3)], args={"s": 3})
    A.case("mul_scalar", [A.u(2, 3)], args={"s": -1.5})
    A.case("div_scalar", [A.u(2, 3)], args={"s": 4})
    A.case("rdiv_scalar", [A.away(2, 3, lo=0.5)], args={"s": 2.5}, second=True)
    # pow: tensor ** scalar (incl. 0, 1, negative, fractional), tensor ** tensor, scalar ** tensor
    for p in [2, 3, 0.5, -1, -2.5, 1]:
        A.case("pow_scalar", [A.pos(2, 3)], args={"p": p}, second=True)
    A.case("pow_scalar", [A.u(2, 3)], args={"p": 3}, second=True, label="negative base")
    A.case("pow_scalar", [t([[0.0, 1.5, -2.0], [0.0, 0.7, 3.0]])], args={"p": 0}, edge=True, label="zero exponent")
    A.case("pow_scalar", [t([0.0, 1.5, -2.0])], args={"p": 2}, edge=True, label="zero base")
    A.case("pow", [A.pos(2, 3), A.u(2, 3)], second=True)
    A.case("pow", [A.pos(2, 3), A.u(3)], second=True)
    A.case("pow", [A.pos(3, 1), A.u()], second=True)
    A.case("pow", [t([0.0, 0.0, 2.0, 1.5]), t([0.0, 2.0, 0.0, 1.0])], edge=True, label="zero base and exponent")
    A.case("rpow_scalar", [A.u(2, 3)], args={"s": 2}, second=True)
    A.case("rpow_scalar", [A.u(4)], args={"s": 0.5}, second=True)
    A.case("square", [A.u(2, 3)], second=True)
    A.case("neg", [A.u(2, 3)])
    A.case("abs", [A.away(2, 3)])
    A.case("abs", [t([-1.5, 0.0, 2.0, -0.0])], edge=True, label="at zero")
    # remainder away from its jumps: a/b at least 0.1 from an integer
    a = t([[5.3, -5.3, 2.7], [-1.2, 7.9, 0.45]])
    b = t([[2.0, 2.0, -1.0], [0.7, -3.0, 0.2]])
    A.case("remainder", [a, b])
    A.case("remainder", [a, t([1.5, -1.3, 2.1])])
    A.case("remainder_scalar", [a], args={"s": 1.5})
    A.case("remainder_scalar", [a], args={"s": -2})
    # maximum/minimum, with and without ties (ties split the gradient)
    for op in ["maximum", "minimum"]:
        A.case(op, [A.u(2, 3), A.u(2, 3)])
        A.case(op, [A.u(2, 3), A.u(3)])
        A.case(op, [t([1.0, 2.0, 3.0, -1.0]), t([1.0, 0.5, 3.0, 2.0])], edge=True, label="ties")
    # where: condition as a const, broadcast branches
    A.case("where", [A.u(2, 3), A.u(2, 3)], [mask([[True, False, True], [False, False, True]])])
    A.case("where", [A.u(2, 3), A.u(3)], [mask([[True, False, True], [False, True, True]])])
    A.case("where", [A.u(1, 3), A.u(2, 1)], [mask([True, False, False])])
    # clamp: interior, both bounds, min or max only, values exactly at the bounds, tensor bounds
    A.case("clamp", [t([[-2.0, -0.7, 0.1], [0.4, 0.95, 1.7]])], args={"min": -0.5, "max": 0.9})
    A.case("clamp", [t([-1.0, -0.5, 0.0, 0.9, 1.0, 2.0])], args={"min": -0.5, "max": 0.9}, edge=True, label="at bounds")
    A.case("clamp", [t([-1.0, -0.5, 0.0, 0.9])], args={"min": -0.5}, edge=True, label="min only at bound")
    A.case("clamp", [t([-1.0, 0.0, 0.9, 1.2])], args={"max": 0.9}, edge=True, label="max only at bound")
    A.case("clamp", [A.u(2, 3)], args={"min": 0.0}, label="min only")
    A.case("clamp", [A.u(2, 3)], args={"max": 0.0}, label="max only")
    A.case("clamp", [t([-1.0, 0.0, 1.0])], args={"min": 0.5, "max": -0.5}, edge=True, label="min > max")
    A.case("clamp_tensor", [t([[-2.0, 0.3, 1.7], [0.2, -0.1, 0.8]]), t([-1.0, 0.5, 0.0]), t([1.0, 1.0, 1.5])])
    A.case("clamp_tensor", [t([-1.0, 0.5, 1.5, 0.2]), t([-1.0, 0.0, 0.0, 0.3]), t([1.0, 0.5, 1.5, 0.4])], edge=True, label="at bounds")
    A.case("clone", [A.u(2, 3)])
    return A


def mathfns():
    A = Area("math", 2)
    domains = {
        "log": A.pos, "log2": A.pos, "log10": A.pos, "sqrt": A.pos, "rsqrt": A.pos,
        "log1p": lambda *s: A.u(*s, lo=-0.5, hi=2.0), "asin": lambda *s: A.u(*s, lo=-0.8, hi=0.8),
        "acos": lambda *s: A.u(*s, lo=-0.8, hi=0.8), "atanh": lambda *s: A.u(*s, lo=-0.8, hi=0.8),
        "acosh": lambda *s: A.u(*s, lo=1.2, hi=3.0), "tan": lambda *s: A.u(*s, lo=-1.2, hi=1.2),
        "reciprocal": lambda *s: A.away(*s, lo=0.5),
        # rounding functions: away from integers and half-integers, where they jump
        "floor": lambda *s: A.u(*s).floor() + A.u(*s, lo=0.1, hi=0.4),
        "ceil": lambda *s: A.u(*s).floor() + A.u(*s, lo=0.1, hi=0.4),
        "round": lambda *s: A.u(*s).floor() + A.u(*s, lo=0.1, hi=0.4),
        "trunc": lambda *s: A.away(*s, lo=0.1, hi=0.4) + A.u(*s).trunc(),
        "frac": lambda *s: A.away(*s, lo=0.1, hi=0.9) + A.u(*s).trunc(),
        "sign": lambda *s: A.away(*s),
    }
    piecewise = {"sign", "floor", "ceil", "round", "trunc", "frac", "neg", "abs", "square"}
    for fn in UNARY:
        if fn in ("neg", "abs", "square"):
            continue  # arithmetic area
        make = domains.get(fn, A.u)
        A.case(fn, [make(2, 3)], second=fn not in piecewise)
        A.case(fn, [make()], label="0-d")
    A.case("sign", [t([-1.0, 0.0, 2.0])], edge=True, label="at zero")
    A.case("atan2", [A.u(2, 3), A.away(2, 3)], second=True)
    A.case("atan2", [A.away(2, 3), A.away(3)], second=True)
    A.case("lerp", [A.u(2, 3), A.u(2, 3)], args={"w": 0.3})
    A.case("lerp", [A.u(2, 3), A.u(3)], args={"w": 1.25})
    A.case("lerp_tensor", [A.u(2, 3), A.u(2, 3), A.u(2, 3, lo=0, hi=1)], second=True)
    A.case("lerp_tensor", [A.u(2, 3), A.u(3), A.u(2, 1, lo=0, hi=1)], second=True)
    # handbook 2.5 example values
    A.case("exp", [t([0.5, 1.0, 2.0])], label="handbook")
    A.case("clamp", [t([1.2, 2.5, 3.8])], args={"min": 2.0, "max": 3.0}, label="handbook")
    return A


def linalg():
    A = Area("linalg", 3)
    A.case("mm", [A.u(3, 4), A.u(4, 5)], second=True)
    A.case("mm", [A.u(1, 3), A.u(3, 1)])
    A.case("bmm", [A.u(2, 3, 4), A.u(2, 4, 2)], second=True)
    A.case("matmul", [A.u(3, 4), A.u(4, 2)])
    A.case("matmul", [A.u(4), A.u(4)], second=True)
    A.case("matmul", [A.u(3, 4), A.u(4)])
    A.case("matmul", [A.u(4), A.u(4, 3)])
    A.case("matmul", [A.u(2, 3, 4), A.u(4)])
    A.case("matmul", [A.u(4), A.u(2, 4, 3)])
    A.case("matmul", [A.u(2, 1, 3, 4), A.u(3, 4, 2)], second=True)
    A.case("matmul", [A.u(3, 4), A.u(2, 4, 5)])
    A.case("matmul", [A.u(2, 3, 4), A.u(4, 2)])
    A.case("mv", [A.u(3, 4), A.u(4)], second=True)
    A.case("dot", [A.u(5), A.u(5)], second=True)
    A.case("dot", [t([1.0, 2.0, 3.0]), t([4.0, 5.0, 6.0])], label="handbook")
    A.case("outer", [A.u(3), A.u(4)], second=True)
    A.case("inverse", [A.well_conditioned(3, 3)], second=True)
    A.case("inverse", [A.well_conditioned(2, 2, 2)], second=True)
    A.case("det", [A.well_conditioned(3, 3)], second=True)
    A.case("det", [A.well_conditioned(2, 3, 3)], second=True)
    A.case("det", [A.u(2, 2)])
    A.case("trace", [A.u(3, 3)])
    A.case("trace", [A.u(3, 4)])
    return A


def reduction():
    A = Area("reduction", 4)
    x = A.u
    for op in ["sum", "mean"]:
        A.case(op, [x(2, 3)])
        A.case(op, [x(2, 3)], args={"dim": 1})
        A.case(op, [x(2, 3, 4)], args={"dim": [0, 2]})
        A.case(op, [x(2, 3)], args={"dim": 0, "keepdim": True})
        A.case(op, [x(2, 3)], args={"dim": -1, "keepdim": True})
        A.case(op, [x()], label="0-d")
    A.case("sum", [t([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])], args={"dim": 1, "keepdim": True}, label="handbook")
    # prod, also with one and with two zeros on a line (the gradient of the others stays exact)
    A.case("prod", [A.away(2, 3)], second=True)
    A.case("prod", [A.away(2, 3)], args={"dim": 1}, second=True)
    A.case("prod", [A.away(2, 3)], args={"dim": 0, "keepdim": True}, second=True)
    A.case("prod", [t([[1.5, 0.0, -2.0], [0.5, 3.0, 1.2]])], args={"dim": 1}, label="one zero")
    A.case("prod", [t([[1.5, 0.0, -2.0], [0.0, 3.0, 0.0]])], args={"dim": 1}, label="two zeros")
    A.case("prod", [t([1.5, 0.0, -2.0, 0.5])], label="one zero")
    A.case("prod", [t([1.5, 0.0, -2.0, 0.0])], label="two zeros")
    for op in ["std", "var"]:
        A.case(op, [x(2, 3)], second=True)
        A.case(op, [x(2, 4)], args={"dim": 1}, second=True)
        A.case(op, [x(3, 4)], args={"dim": 0, "keepdim": True}, second=True)
        A.case(op, [x(2, 3, 2)], args={"dim": [0, 2]}, second=True)
        A.case(op, [x(2, 4)], args={"dim": 1, "unbiased": False}, second=True)
    A.case("std", [t([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])], label="handbook")
    for op in ["amax", "amin"]:
        A.case(op, [x(2, 3)])
        A.case(op, [x(2, 4)], args={"dim": 1})
        A.case(op, [x(2, 3, 2)], args={"dim": [0, 2], "keepdim": True})
        A.case(op, [t([[1.0, 3.0, 3.0], [-2.0, -2.0, 0.5]])], args={"dim": 1}, edge=True, label="ties")
        A.case(op, [t([[1.0, 3.0, 3.0], [3.0, -2.0, -2.0]])], edge=True, label="ties")
    # full reductions to one value spread the gradient evenly over the elements that tie for it
    for op in ["max", "min", "median"]:
        A.case(op, [x(2, 3)])
    A.case("max", [t([[1.0, 3.0, 3.0, 2.0], [3.0, -1.0, -1.0, 0.0]])], edge=True, label="ties")
    A.case("min", [t([[1.0, 3.0, 3.0, 2.0], [3.0, -1.0, -1.0, 0.0]])], edge=True, label="ties")
    A.case("median", [t([[1.0, 3.0, 3.0, 2.0], [3.0, 2.0, -1.0, 0.0]])], edge=True, label="ties")
    A.case("median", [x(2, 4)], label="even count")
    for op in ["max_dim", "min_dim", "median_dim"]:
        A.case(op, [x(3, 4)], args={"dim": 1})
        A.case(op, [x(3, 4)], args={"dim": 0, "keepdim": True})
        A.case(op, [t([[1.0, 3.0, 3.0, 0.0], [-1.0, -1.0, 2.0, 2.0]])], args={"dim": 1}, edge=True, label="ties")
    A.case("kthvalue", [x(3, 4)], args={"k": 2, "dim": 1})
    A.case("kthvalue", [x(3, 4)], args={"k": 3, "dim": 0, "keepdim": True})
    A.case("kthvalue", [t([[2.0, 1.0, 2.0, 3.0]])], args={"k": 2, "dim": 1}, edge=True, label="ties")
    A.case("mode", [t([[1.0, 2.0, 2.0, 3.0], [4.0, 4.0, 1.0, 0.5]])], args={"dim": 1}, edge=True)
    A.case("mode", [t([[1.0, 2.0, 2.0, 3.0, 2.0], [4.0, 1.0, 1.0, 4.0, 0.5]])], args={"dim": 1, "keepdim": True}, edge=True)
    A.case("sort", [x(3, 4)], args={"dim": 1})
    A.case("sort", [x(3, 4)], args={"dim": 0, "descending": True})
    A.case("topk", [x(3, 5)], args={"k": 2, "dim": 1})
    A.case("topk", [x(4, 3)], args={"k": 3, "dim": 0, "largest": False})
    A.case("cumsum", [x(3, 4)], args={"dim": 1})
    A.case("cumsum", [x(3, 4)], args={"dim": 0})
    A.case("cumsum", [t([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])], args={"dim": 1}, label="handbook")
    A.case("cumprod", [A.away(3, 4)], args={"dim": 1}, second=True)
    A.case("cumprod", [A.away(3, 4)], args={"dim": 0}, second=True)
    A.case("cumprod", [t([[1.5, 0.0, -2.0, 0.5], [0.7, 3.0, 1.2, -1.1]])], args={"dim": 1}, label="a zero")
    A.case("cumprod", [t([[1.5, 0.0, -2.0, 0.0], [0.7, 3.0, 0.0, -1.1]])], args={"dim": 1}, label="zeros")
    A.case("logsumexp", [x(3, 4)], args={"dim": 1}, second=True)
    A.case("logsumexp", [x(3, 4)], args={"dim": 0, "keepdim": True}, second=True)
    A.case("logsumexp", [x(2, 3, 2)], args={"dim": [0, 2]}, second=True)
    for op in ["softmax", "log_softmax"]:
        A.case(op, [x(3, 4)], args={"dim": 1}, second=True)
        A.case(op, [x(3, 4)], args={"dim": 0}, second=True)
        A.case(op, [x(2, 3, 2)], args={"dim": -2}, second=True)
    return A


def views():
    A = Area("views", 5)
    x = A.u
    A.case("view", [x(2, 6)], args={"shape": [3, 4]})
    A.case("view", [x(2, 6)], args={"shape": [3, -1]})
    A.case("reshape", [x(2, 6)], args={"shape": [4, 3]})
    A.case("reshape_t", [x(3, 4)], args={"shape": [12]})
    A.case("transpose", [x(2, 3, 4)], args={"dim0": 0, "dim1": 2})
    A.case("permute", [x(2, 3, 4)], args={"dims": [2, 0, 1]})
    A.case("expand", [x(3, 1)], args={"shape": [3, 4]})
    A.case("expand", [x(3)], args={"shape": [2, 3]})
    A.case("expand", [x(1, 3)], args={"shape": [2, -1, 3]}, label="new leading dim")
    A.case("squeeze", [x(1, 3, 1)])
    A.case("squeeze", [x(1, 3, 1)], args={"dim": -1})
    A.case("unsqueeze", [x(3, 4)], args={"dim": 1})
    A.case("unsqueeze", [x(3, 4)], args={"dim": -1})
    A.case("flatten", [x(2, 3, 2)])
    A.case("flatten", [x(2, 3, 2)], args={"start": 1})
    A.case("narrow", [x(3, 5)], args={"dim": 1, "start": 1, "length": 3})
    A.case("narrow", [x(4, 2)], args={"dim": 0, "start": 2, "length": 2})
    A.case("select", [x(3, 4)], args={"dim": 0, "index": 1})
    A.case("select", [x(3, 4)], args={"dim": 1, "index": -1})
    A.case("diagonal", [x(3, 3)])
    A.case("diagonal", [x(3, 4)], args={"offset": 1})
    A.case("diagonal", [x(4, 3)], args={"offset": -1})
    A.case("diagonal", [x(2, 3, 3)], args={"offset": 0, "dim1": 1, "dim2": 2})
    A.case("unfold", [x(2, 6)], args={"dim": 1, "size": 3, "step": 2})
    A.case("unfold", [x(5)], args={"dim": 0, "size": 2, "step": 1}, label="overlapping")
    A.case("split", [x(6, 2)], args={"split": 2, "dim": 0})
    A.case("split", [x(5, 2)], args={"split": 2, "dim": 0}, label="uneven")
    A.case("split", [x(6, 2)], args={"split": [1, 2, 3], "dim": 0})
    A.case("chunk", [x(2, 6)], args={"chunks": 3, "dim": 1})
    A.case("chunk", [x(5, 2)], args={"chunks": 2, "dim": 0})
    A.case("unbind", [x(3, 4)], args={"dim": 0})
    A.case("unbind", [x(3, 4)], args={"dim": 1})
    A.case("T", [x(3, 4)])
    A.case("mT", [x(2, 3, 4)])
    A.case("movedim", [x(2, 3, 4)], args={"src": 0, "dst": -1})
    A.case("contiguous", [x(3, 4)])
    A.case("cat", [x(2, 3), x(1, 3)], args={"dim": 0})
    A.case("cat", [x(2, 3), x(2, 2), x(2, 1)], args={"dim": 1})
    A.case("stack", [x(2, 3), x(2, 3)], args={"dim": 0})
    A.case("stack", [x(2, 3), x(2, 3), x(2, 3)], args={"dim": 2})
    A.case("flip", [x(3, 4)], args={"dims": [0]})
    A.case("flip", [x(2, 3, 2)], args={"dims": [0, 2]})
    A.case("roll", [x(3, 4)], args={"shifts": 1, "dims": 0})
    A.case("roll", [x(3, 4)], args={"shifts": [2, -1], "dims": [1, 0]})
    A.case("roll", [x(3, 4)], args={"shifts": 5})
    A.case("repeat", [x(2, 3)], args={"sizes": [2, 1]})
    A.case("repeat", [x(3)], args={"sizes": [2, 2]})
    return A


def indexing():
    A = Area("indexing", 6)
    x = A.u
    # basic subscripts (views)
    A.case("index", [x(4, 5)], args={"items": [1]})
    A.case("index", [x(4, 5)], args={"items": [0, 1]})
    A.case("index", [x(4, 5, 2)], args={"items": [0, 1, 1]})
    A.case("index", [x(4, 5)], args={"items": ["1:3"]})
    A.case("index", [x(4, 5)], args={"items": [":", "1:4"]})
    A.case("index", [x(5, 3)], args={"items": ["::2"]})
    A.case("index", [x(4, 5)], args={"items": [-1]})
    A.case("index", [x(4, 5)], args={"items": [":", -1]})
    A.case("index", [x(2, 3, 4)], args={"items": ["...", 1]})
    A.case("index", [x(2, 3)], args={"items": [None, ":", 1]})
    # advanced subscripts (copies): integer lists and tensors, duplicates, several index tensors, masks
    A.case("index", [x(4, 3)], args={"items": [[0, 2]]})
    A.case("index", [x(4, 3)], [idx([3, 0, 3, 1])], args={"items": [{"$const": 0}]}, label="duplicates")
    A.case("index", [x(4, 3)], [idx([[0, 1], [2, 2]])], args={"items": [":", {"$const": 0}]})
    A.case("index", [x(4, 3)], [idx([0, 2, 2]), idx([1, 0, 1])], args={"items": [{"$const": 0}, {"$const": 1}]})
    A.case("index", [x(3, 4, 3)], [idx([0, 2]), idx([1, 1])], args={"items": [{"$const": 0}, ":", {"$const": 1}]}, label="non-adjacent")
    A.case("index", [x(3, 4)], [mask([[True, False, True, False], [False, False, True, True], [True, True, False, False]])],
           args={"items": [{"$const": 0}]}, label="bool mask")
    A.case("index", [x(3, 4)], [mask([True, False, True])], args={"items": [{"$const": 0}]}, label="bool rows")
    A.case("index", [x(3, 4)], [mask([False, True, True, False])], args={"items": [":", {"$const": 0}]}, label="bool cols")
    # index ops
    A.case("gather", [x(3, 4)], [idx([[0, 1], [2, 2], [3, 0]])], args={"dim": 1})
    A.case("gather", [x(3, 4)], [idx([[0, 1, 2, 0], [2, 2, 1, 0]])], args={"dim": 0})
    A.case("scatter", [x(3, 4), x(3, 2)], [idx([[0, 1], [2, 3], [3, 0]])], args={"dim": 1})
    A.case("scatter", [x(3, 3), x(1, 3)], [idx([[2, 0, 1]])], args={"dim": 0})
    A.case("scatter_value", [x(3, 4)], [idx([[0, 1], [2, 3], [3, 0]])], args={"dim": 1, "value": 1.5})
    A.case("scatter_add", [x(3, 4), x(3, 3)], [idx([[0, 1, 1], [2, 3, 2], [0, 0, 0]])], args={"dim": 1})
    A.case("scatter_add", [x(3, 2), x(4, 2)], [idx([[0, 1], [2, 1], [0, 0], [2, 2]])], args={"dim": 0})
    A.case("index_select", [x(4, 3)], [idx([0, 2])], args={"dim": 0})
    A.case("index_select", [x(4, 3)], [idx([2, 0, 2, 1])], args={"dim": 1}, label="duplicates")
    A.case("index_add", [x(4, 3), x(2, 3)], [idx([0, 2])], args={"dim": 0})
    A.case("index_add", [x(4, 3), x(4, 3)], [idx([1, 1, 3, 1])], args={"dim": 0}, label="duplicates")
    A.case("index_add", [x(2, 4), x(2, 2)], [idx([3, 0])], args={"dim": 1})
    A.case("masked_fill", [x(3, 4)], [mask([[True, False, True, False], [False, False, True, True], [True, True, False, False]])], args={"value": 0.5})
    A.case("masked_fill", [x(3, 4)], [mask([True, False, False, True])], args={"value": -2.0}, label="broadcast mask")
    A.case("take", [x(3, 4)], [idx([0, 5, 11, 5])])
    A.case("take", [x(3, 4)], [idx([[1, 2], [-1, 0]])])
    A.case("index_put", [x(4, 3), x(3)], [idx([0, 2, 0])], args={"accumulate": True})
    A.case("index_put", [x(4, 3), x(2, 3)], [idx([1, 3])], args={"accumulate": False})
    A.case("index_put", [x(4, 3), x(3)], [idx([0, 2, 3]), idx([1, 1, 0])], args={"accumulate": True})
    A.case("index_put", [x(4, 3), x()], [idx([0, 0, 3]), idx([2, 2, 1])], args={"accumulate": True}, label="duplicates")
    # handbook 4.3
    A.case("index_select", [t([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])], [idx([0, 2])], args={"dim": 1}, label="handbook")
    A.case("gather", [t([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])], [idx([[0, 1], [2, 0]])], args={"dim": 1}, label="handbook")
    return A


AREAS = [arithmetic, mathfns, linalg, reduction, views, indexing]


def main():
    total = 0
    second = 0
    for make in AREAS:
        area = make()
        path = area.write()
        total += len(area.cases)
        second += sum(1 for c in area.cases if "second" in c)
        print(f"{area.name}: {len(area.cases)} cases -> {os.path.relpath(path, ROOT)} ({os.path.getsize(path) // 1024} KiB)")
    print(f"total: {total} cases, {second} with second-order grads")


if __name__ == "__main__":
    sys.exit(main())
