#!/usr/bin/python3
"""Generate the conformance areas of handbook chapters 3-4 (shapes, views, indexing, index ops, sorting).

Run with the Debian PyTorch build:  /usr/bin/python3 scripts/gen_fixtures_ch34.py   (`pnpm fixtures` runs it
after scripts/gen_fixtures.py). It writes fixtures/conformance/{views,shape_ops,sorting,indexing,index_ops}.json
in the format scripts/gen_fixtures.py documents, with its helpers, plus three API names of its own:

  Tensor.__getitem__   args [x, item...]: PyTorch's x[items]; Kindling's x.index(...items)
  Tensor.__setitem__   args [x, [item...], value]: x[items] = value, returns x; Kindling's x.indexPut_(items, value)
  chain                args [x, [[name, arg...]...]]: calls the steps one after another on the running result
                       (a Tensor method or property by its PyTorch name, `__getitem__` with items, `__setitem__`
                       with [items, value], which keeps the running tensor; a trailing object holds keyword
                       arguments; `__getitem__` on a list of tensors (split, unbind) picks one). Views of views,
                       and mutation through views, whose effect on the input's storage is recorded in `after`.

Subscript items: integers, slices (a slice string '1:4:2' in Kindling; TorchSlice cases use torch.slice),
Ellipsis ('...'), None (null), bools, tensors and lists of integers.

Views are checked for storage sharing (`view`), and results that are copies in PyTorch for not sharing;
`Tensor.stride` / `Tensor.storage_offset` cases pin the layouts of views.

Left out on purpose (undefined behaviour, or accidents of PyTorch 1.13 that later versions changed; the run
lists them again at its end):
  - sort/argsort ties without stable=True, topk/kthvalue/median ties (which index is returned is unspecified),
    topk(sorted=False) and unique(sorted=False) (order unspecified), unique of NaN (1.13 sorts with a
    comparison NaN breaks) or of -0 beside 0 (which zero is kept is unspecified);
  - writes of different values to one element (scatter without reduce, x[idx] = v, index_copy_ with
    duplicate indices: which write wins is unspecified);
  - in-place writes into an expanded (overlapping) view, x.view(dtype) (bit reinterpretation), unique(dim=);
  - 1.13's own accidents: several Ellipses in one subscript (1.13 accepts x[..., 0, ...]); int32 index tensors
    (refused by 1.13, taken by PyTorch >= 2.0 and Kindling); masked_fill with an int64 mask (taken by 1.13,
    refused later); x.where(cond, 0) (1.13's binding wants a tensor); the messages of narrow() with a start past
    the end, expand(3, -2), unflatten(1, (-1, -1)) and index_add with a source of the wrong shape; as_strided
    over a storage of zero bytes (Kindling's storages hold at least one element).
"""
import os
import sys
import warnings

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_fixtures as G  # noqa: E402
from gen_fixtures import ALL, NAN, INF, SPECIAL, T, TorchSlice, Area, describe  # noqa: E402

LONG = torch.int64
F32 = torch.float32
F64 = torch.float64


def _getitem(x, *items):
    return x[tuple(items)]


def _setitem(x, items, value):
    x[tuple(items)] = value
    return x


def _chain(x, steps):
    for name, *args in steps:
        if name == "__getitem__":
            x = x[args[0]] if isinstance(x, (list, tuple)) else x[tuple(args)]
        elif name == "__setitem__":
            x[tuple(args[0])] = args[1]
        else:
            kw = args.pop() if args and isinstance(args[-1], dict) else {}
            attr = getattr(x, name)
            x = attr(*args, **kw) if callable(attr) else attr
    return x


SPECIAL.update({"Tensor.__getitem__": _getitem, "Tensor.__setitem__": _setitem, "chain": _chain})


def steps_text(steps):
    out = ""
    for name, *args in steps:
        if name == "__getitem__":
            out += "[" + ", ".join(describe(v) for v in args) + "]"
        elif name == "__setitem__":
            out += "[" + ", ".join(describe(v) for v in args[0]) + "]=" + describe(args[1])
        elif name in ("T", "mT"):
            out += "." + name
        else:
            out += f".{name}({', '.join(describe(v) for v in args)})"
    return out


def chain(a, x, *steps, **kw):
    a.case("chain", x, [list(s) for s in steps], note=steps_text(steps), **kw)


def left_out(area, what):
    G.LEFT_OUT.append(f"{area}: {what}")


def distinct(a, shape, dtype):
    """Values without ties (a permutation), for ops whose choice among equal values is unspecified."""
    n = 1
    for s in shape:
        n *= s
    v = torch.randperm(n, generator=a.g).reshape(shape)
    if dtype == torch.uint8:
        return v.to(dtype)
    if dtype.is_floating_point:
        return ((v - n // 2).to(F64) * 0.75).to(dtype)
    return (v - n // 2).to(dtype)


def perm_index(a, rows, cols, k, dim=1):
    """An int64 index of shape [rows, k] (dim=1) or [k, cols] (dim=0) with distinct entries along `dim`."""
    if dim == 1:
        return torch.stack([torch.randperm(cols, generator=a.g)[:k] for _ in range(rows)])
    return torch.stack([torch.randperm(rows, generator=a.g)[:k] for _ in range(cols)], 1)


# =====================================================================================================
# 3.1 / 3.2 views: view, reshape, contiguous, flatten, ravel, squeeze, unsqueeze, expand, transpose,
# permute, movedim, swapaxes, T, mT, narrow, select, unflatten, diagonal, as_strided, unfold, split,
# chunk, unbind, and chains of them (views of views, mutation through views)
# =====================================================================================================
def views():
    a = Area("views", 808)
    # view: every dtype; sizes as varargs, one list, with -1.
    for dt in ALL:
        x = a.rand([2, 3, 4], dt)
        a.case("Tensor.view", x, 4, 6)
        a.case("Tensor.view", x, -1)
        a.case("Tensor.view", x, [3, -1, 2])
        a.case("Tensor.view", a.rand([], dt), 1)
    x = a.rand([2, 3, 4], F32)
    for shape in ((24, 1), (1, 2, 1, 12), (2, 3, 4), (-1, 4), (2, 12, 1, 1), ([6, 4],)):
        a.case("Tensor.view", x, *shape)
    a.case("Tensor.view", x, -1, -1)
    a.case("Tensor.view", x, 5, -1)
    a.case("Tensor.view", x, 5)
    a.case("Tensor.view", x, 0, -1)
    a.case("Tensor.view", x, -2, 12)
    # view on non-contiguous inputs: possible when no merged dims span two contiguous subspaces.
    t = a.transposed([3, 4], F32)  # strides (1, 3)
    a.case("Tensor.view", t, -1)
    a.case("Tensor.view", t, 12)
    a.case("Tensor.view", t, 3, 2, 2)
    a.case("Tensor.view", t, 1, 3, 4, 1)
    a.case("Tensor.view", t, 3, 4)
    s = a.stepped([3, 4], F64)  # strides (9, 2), offset 1
    a.case("Tensor.view", s, 12)
    a.case("Tensor.view", s, 3, 2, 2)
    a.case("Tensor.view", s, 6, 2)
    a.case("Tensor.view", s, 3, 1, 4)
    e = a.expanded([3, 4], F32)  # strides (0, 1)
    a.case("Tensor.view", e, 12)
    a.case("Tensor.view", e, 3, 2, 2)
    a.case("Tensor.view", e, 1, 3, 4)
    p = a.rand([2, 3, 4], torch.int32).permute(2, 0, 1)  # [4, 2, 3] strides (1, 12, 4)
    a.case("Tensor.view", p, 4, 6)
    a.case("Tensor.view", p, 8, 3)
    a.case("Tensor.view", p, 4, 2, 3, 1)
    # zero-size and 0-d.
    z = a.rand([0, 3], F32)
    for shape in ((-1,), (3, 0), (0,), (0, -1), (-1, 0), (1, 0, 3), (0, 3, 1)):
        a.case("Tensor.view", z, *shape)
    s0 = a.rand([], F32)
    for shape in ((-1,), ([],), (1, 1, 1), (2,)):
        a.case("Tensor.view", s0, *shape)
    a.case("Tensor.view", a.rand([1, 1], torch.int64), [])
    left_out("views", "x.view(dtype): bit reinterpretation, not a shape")
    left_out("views", "expand(3, -2) and unflatten(1, (-1, -1)): 1.13's messages are accidents ('numel: integer multiplication "
             "overflow', 'unflatten got an unexpected error')")

    # reshape: a view when the strides allow it (view flag), else a copy.
    for dt in (F32, torch.int64, torch.bool, torch.float16):
        x = a.rand([2, 3, 4], dt)
        a.case("Tensor.reshape", x, 6, 4)
        a.case("Tensor.reshape", a.transposed([2, 3, 4], dt), 6, 4)
    for inp in (a.transposed([3, 4], F32), a.stepped([3, 4], F64), a.expanded([3, 4], F32),
                a.rand([2, 3, 4], F32).permute(2, 0, 1), a.rand([4, 6], torch.int32)[1:3]):
        for shape in ((-1,), (3, 2, 2), (2, -1), (1, *inp.shape), ([*inp.shape, 1],)):
            a.case("Tensor.reshape", inp, *shape)
    a.case("torch.reshape", a.rand([2, 6], F32), [3, 4])
    a.case("torch.reshape", a.transposed([2, 6], F32), [-1])
    a.case("torch.reshape", a.rand([2, 6], F32), [5, -1])
    a.case("Tensor.reshape", a.rand([0, 4], F32), 2, 0, -1)
    a.case("Tensor.reshape", a.rand([0, 4], F32), -1, 2)
    a.case("Tensor.reshape", a.rand([], torch.int64), [1, 1])
    a.case("Tensor.reshape", a.rand([1], torch.int64), [])
    a.case("Tensor.reshape", a.rand([2, 3], F32), -1, -1)

    # contiguous / is_contiguous (a contiguous tensor's contiguous() is itself).
    for inp in (a.rand([2, 3], F32), a.transposed([2, 3], F32), a.stepped([2, 3], torch.int64), a.expanded([3, 2], F64),
                a.rand([3, 1], F32).t(), a.transposed([0, 3], F32), a.rand([], F32), a.rand([4, 6], F32)[1:3],
                a.rand([4, 6], F32)[:, 1:3], a.rand([2, 3, 4], torch.bool).permute(0, 2, 1)):
        a.case("Tensor.contiguous", inp)
        a.case("Tensor.is_contiguous", inp)

    # flatten / ravel
    for dt in (F32, torch.int64, torch.uint8, torch.bfloat16):
        x = a.rand([2, 3, 4], dt)
        a.case("Tensor.flatten", x)
        a.case("torch.flatten", x, 1)
        a.case("Tensor.flatten", x, 0, 1)
        a.case("Tensor.ravel", x)
    x = a.rand([2, 3, 4, 5], F32)
    for args in ((-2, -1), (1, 2), (1, 1), (-1,), (0, -1), (3, 3), (2, 1), (0, 4)):
        a.case("Tensor.flatten", x, *args)
    a.case("Tensor.flatten", x, kw={"start_dim": 1, "end_dim": -2})
    for inp in (a.transposed([3, 4], F32), a.stepped([3, 4], F64), a.rand([2, 3, 4], F32).permute(0, 2, 1), a.expanded([3, 4], F32)):
        a.case("Tensor.flatten", inp)
        a.case("Tensor.flatten", inp, 1)
        a.case("Tensor.ravel", inp)
    a.case("torch.ravel", a.transposed([3, 4], F32))
    for inp in (a.rand([], F32), a.rand([0, 3], F32), a.rand([5], torch.int64)):
        a.case("Tensor.flatten", inp)
        a.case("Tensor.ravel", inp)
    a.case("Tensor.flatten", a.rand([], F32), 0, -1)
    a.case("Tensor.flatten", a.rand([], F32), 1)

    # squeeze / unsqueeze
    x = a.rand([1, 3, 1, 2], F32)
    for args in ((), (0,), (1,), (2,), (-2,), (-4,), (3,), (4,), (-5,)):
        a.case("Tensor.squeeze", x, *args)
        a.case("torch.squeeze", x, *args)
    for inp in (a.rand([], F32), a.rand([1], torch.int64), a.rand([0, 1], F32), a.rand([1, 1, 1], torch.bool),
                a.rand([4, 1, 2], F32).permute(1, 2, 0), a.rand([1, 7], F64)[:, 1::3]):
        a.case("Tensor.squeeze", inp)
        a.case("Tensor.squeeze", inp, 0)
        a.case("Tensor.squeeze", inp, -1)
    for dim in (0, 1, 2, 3, -1, -2, -4, 4, -5):
        a.case("Tensor.unsqueeze", a.rand([2, 3, 4], F32), dim)
    for inp in (a.rand([], F32), a.transposed([2, 3], torch.int64), a.stepped([2, 3], F32), a.rand([0, 3], F32)):
        for dim in (0, -1, 1):
            a.case("Tensor.unsqueeze", inp, dim)
            a.case("torch.unsqueeze", inp, dim)
    a.case("Tensor.unsqueeze", a.rand([], F32), 2)

    # expand / expand_as
    for dt in ALL:
        a.case("Tensor.expand", a.rand([3, 1], dt), 3, 4)
        # The type's name in the message ("torch.FloatTensor", "CPUBoolType") is PyTorch's legacy spelling.
        a.case("Tensor.expand", a.rand([3, 1], dt), 4,
               match="the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)")
    x = a.rand([3, 1], F32)
    for args in ((-1, 4), (2, 3, 4), ([2, 3, 4],), (-1, -1), (2, -1, 5), (3, 1), (1, 3, 1), (0, 3, 1), (3, 0)):
        a.case("Tensor.expand", x, *args)
    for args in ((4, 4), (-1, 3, 4), (2, 4)):
        a.case("Tensor.expand", x, *args)
    a.case("Tensor.expand", a.rand([], torch.int64), 3)
    a.case("Tensor.expand", a.rand([], torch.int64), 2, 3)
    a.case("Tensor.expand", a.rand([], torch.int64), [])
    a.case("Tensor.expand", a.rand([1], F32), 0)
    a.case("Tensor.expand", a.rand([0, 1], F32), 0, 4)
    a.case("Tensor.expand", a.rand([0, 1], F32), 2, 0, 4)
    a.case("Tensor.expand", a.transposed([1, 3], F32), 2, 3)
    a.case("Tensor.expand", a.stepped([3, 1], F64), 2, 3, 5)
    a.case("Tensor.expand", a.expanded([3, 1], F64), 2, 3, 4)
    a.case("Tensor.expand_as", a.rand([1, 4], F32), a.rand([3, 4], torch.int64))
    a.case("Tensor.expand_as", a.rand([4], torch.bool), a.rand([2, 3, 4], F32))
    a.case("Tensor.expand_as", a.rand([3], F32), a.rand([3, 4], F32))

    # transpose / permute / movedim / swapaxes / T / mT / t
    x = a.rand([2, 3, 4], F32)
    for dims in ((0, 2), (2, 0), (-1, 0), (1, 1), (0, -3), (1, 3), (-4, 0)):
        a.case("Tensor.transpose", x, *dims)
    for dt in ALL:
        a.case("torch.transpose", a.rand([2, 3], dt), 0, 1)
        a.case("Tensor.permute", a.rand([2, 3, 4], dt), 2, 0, 1)
    for inp in (a.rand([], F32), a.rand([5], torch.int64), a.transposed([2, 3, 4], F32), a.stepped([2, 3], F64), a.rand([0, 2, 3], F32)):
        a.case("Tensor.transpose", inp, 0, -1)
        a.case("Tensor.transpose", inp, -1, 0)
    for dims in ((2, 0, 1), ([1, 2, 0],), (-1, 0, 1), (0, 1), (0, 0, 1), (0, 1, 3), (0, 1, 2, 3)):
        a.case("Tensor.permute", x, *dims)
    a.case("torch.permute", a.transposed([2, 3, 4], torch.int16), [1, 0, 2])
    a.case("Tensor.permute", a.rand([], F32), [])
    for src, dst in ((0, -1), (-1, 0), (1, 1), ([0, 1], [2, 0]), ([0, 2], [1, 0]), ([2, 0, 1], [0, 1, 2]), ((0,), (2,)),
                     ([], []), ([0, 0], [1, 2]), ([0, 1], [1]), (3, 0)):
        a.case("Tensor.movedim", x, src, dst)
    a.case("torch.movedim", a.transposed([2, 3, 4], F64), [0, 1], [-1, -2])
    a.case("torch.moveaxis", a.rand([2, 3, 4], F32), 0, 2)
    a.case("Tensor.movedim", a.rand([], F32), 0, 0)
    a.case("torch.swapaxes", a.transposed([2, 3, 4], torch.int64), 0, 2)
    for dims in ((0, 1), (-1, 0), (2, 2)):
        a.case("Tensor.swapaxes", x, *dims)
        a.case("Tensor.swapaxes", a.transposed([2, 3, 4], torch.int64), *dims)
        a.case("Tensor.swapdims", x, *dims)
    for inp in (a.rand([3, 4], F32), a.rand([2, 3, 4], F32), a.transposed([3, 4], torch.int64), a.rand([4], F32),
                a.rand([], F32), a.rand([0, 3], torch.bool)):
        a.case("Tensor.T", inp)
        if inp.dim() >= 2:
            a.case("Tensor.mT", inp)
        a.case("Tensor.t", inp)
    a.case("Tensor.mT", a.rand([4], F32))
    a.case("Tensor.mT", a.stepped([2, 3, 4], F64))
    a.case("Tensor.mT", a.rand([10, 3, 4], F32))
    left_out("views", ".mT of a 0-d tensor (1.13 allows it, later versions refuse)")

    # narrow / select
    x = a.rand([4, 5], F32)
    for args in ((0, 1, 2), (1, -2, 2), (1, 0, 0), (0, 4, 0), (-1, 1, 3), (0, 0, 4), (0, -4, 4), (0, 2, 3), (1, 0, -1), (2, 0, 1)):
        a.case("Tensor.narrow", x, *args)
    for dt in ALL:
        a.case("torch.narrow", a.rand([3, 4], dt), 1, 1, 2)
        a.case("Tensor.select", a.rand([3, 4], dt), 1, 2)
    a.case("Tensor.narrow", a.transposed([4, 5], F64), 0, 1, 2)
    a.case("Tensor.narrow", a.stepped([4, 5], F32), 1, 2, 3)
    a.case("Tensor.narrow", a.rand([], F32), 0, 0, 1)
    a.case("Tensor.narrow", a.rand([0, 3], F32), 0, 0, 0)
    left_out("views", "narrow() with a start past the end (1.13 reports a dim-wrapping error, later versions 'start out of range')")
    for args in ((0, 1), (1, -1), (-1, 0), (0, -4), (0, 4), (1, 5), (1, -6), (2, 0)):
        a.case("Tensor.select", x, *args)
    a.case("torch.select", a.transposed([4, 5], torch.int64), 1, 3)
    a.case("Tensor.select", a.stepped([4, 5], F32), 1, -1)
    a.case("Tensor.select", a.rand([], F32), 0, 0)
    a.case("Tensor.select", a.rand([0, 3], F32), 1, 0)
    a.case("Tensor.select", a.rand([0, 3], F32), 0, 0)

    # unflatten
    x = a.rand([2, 12, 3], F32)
    for dim, sizes in ((1, (3, 4)), (1, (-1, 4)), (1, (2, -1, 3)), (0, (1, 2)), (-1, (3, 1)), (-2, (12,)), (1, [2, 2, 3]),
                       (1, (5, 2)), (1, (-1, 5)), (3, (1, 1))):
        a.case("Tensor.unflatten", x, dim, sizes)
    a.case("Tensor.unflatten", a.transposed([6, 4], F64), 0, (2, 3))
    a.case("Tensor.unflatten", a.stepped([4, 6], torch.int64), 1, (3, 2))
    a.case("Tensor.unflatten", a.rand([0, 6], F32), 1, (2, -1))
    a.case("Tensor.unflatten", a.rand([0, 6], F32), 0, (0, 5))

    # diagonal
    for dt in ALL:
        a.case("Tensor.diagonal", a.rand([3, 4], dt))
    x = a.rand([3, 4], F32)
    for args in ((1,), (-1,), (3,), (4,), (-3,), (-4,), (0, 1, 0), (0, 0, 0), (0, 0, 2)):
        a.case("Tensor.diagonal", x, *args)
    y = a.rand([2, 3, 4], F64)
    for args in ((0, 1, 2), (1, -1, 0), (-1, 2, 0), (0, 0, 2)):
        a.case("Tensor.diagonal", y, *args)
    a.case("torch.diagonal", y, kw={"offset": 1, "dim1": -2, "dim2": -1})
    a.case("Tensor.diagonal", a.transposed([3, 4], F32), 1)
    a.case("Tensor.diagonal", a.stepped([3, 4], F32))
    a.case("Tensor.diagonal", a.rand([0, 3], F32))
    a.case("Tensor.diagonal", a.rand([4], F32))

    # as_strided (storage offset defaults to the input's), and its bounds check.
    x = a.rand([6], F32)
    for args in (((2, 2), (1, 2)), ((3, 2), (1, 1)), ((2, 3), (3, 1), 0), ((2, 2), (2, 1), 2), ((3,), (0,)), ((), ()),
                 ((), (), 5), ((0, 4), (1, 1)), ((2, 2), (4, 1), 1)):
        a.case("Tensor.as_strided", x, *args)
    for args in (((3, 3), (3, 1)), ((2, 2), (2, 1), 3), ((7,), (1,)), ((2,), (6,)), ((1,), (1,), 6), ((2,), (-1,))):
        a.case("Tensor.as_strided", x, *args)
    for dt in ALL:
        a.case("Tensor.as_strided", a.rand([2, 4], dt), (3, 3), (2, 1))
        a.case("Tensor.as_strided", a.rand([2, 4], dt), (3, 3), (3, 1))
    a.case("torch.as_strided", a.rand([2, 4], F32), (3, 2), (2, 1), 1)
    a.case("Tensor.as_strided", a.stepped([2, 3], F64), (2, 2), (1, 1))   # offset: the view's (1)
    a.case("Tensor.as_strided", a.stepped([2, 3], F64), (2, 2), (3, 2), 0)
    a.case("Tensor.as_strided", a.stepped([2, 3], F64), (4,), (4,))
    a.case("Tensor.as_strided", a.rand([4, 6], F32)[1:3], (3,), (6,))
    left_out("views", "as_strided over a zero-byte storage (Kindling's storages hold at least one element)")

    # unfold (the Tensor method: sliding windows, a view)
    x = a.rand([7], F32)
    for args in ((0, 2, 1), (0, 3, 2), (0, 7, 1), (0, 7, 3), (0, 0, 1), (-1, 2, 5), (0, 8, 1), (0, 2, 0), (1, 2, 1)):
        a.case("Tensor.unfold", x, *args)
    for dt in ALL:
        a.case("Tensor.unfold", a.rand([3, 5], dt), 1, 2, 2)
    y = a.rand([3, 4, 5], F64)
    for args in ((0, 2, 1), (1, 3, 1), (-1, 2, 3), (2, 5, 1)):
        a.case("Tensor.unfold", y, *args)
    a.case("Tensor.unfold", a.transposed([4, 5], F32), 0, 2, 1)
    a.case("Tensor.unfold", a.stepped([3, 5], torch.int64), 1, 3, 1)
    a.case("Tensor.unfold", a.rand([], F32), 0, 1, 1)
    a.case("Tensor.unfold", a.rand([], F32), 0, 0, 1)
    a.case("Tensor.unfold", a.rand([], F32), 0, 2, 1)
    a.case("Tensor.unfold", a.rand([0, 3], F32), 1, 2, 1)

    # split / chunk / unbind: views, sizes lists, uneven, zero-size
    x = a.rand([6, 4], F32)
    for args, kw in (((2,), {}), ((4,), {}), ((6,), {}), ((10,), {}), ((1,), {}), (([1, 2, 3],), {}), (([6],), {}),
                     (([0, 6],), {}), (([2, 0, 4],), {}), ((2,), {"dim": 1}), ((3, -1), {}), (([1, 3], 1), {}),
                     (([1, 2],), {}), (([4, 3],), {}), ((0,), {}), ((-1,), {}), ((2, 2), {})):
        a.case("Tensor.split", x, *args, kw=kw)
    for dt in ALL:
        a.case("torch.split", a.rand([5, 2], dt), 2)
        a.case("torch.chunk", a.rand([5, 2], dt), 2)
        a.case("torch.unbind", a.rand([3, 2], dt))
    a.case("torch.split", x, 2, kw={"dim": 0})
    a.case("torch.split", x, [1, 2, 3], kw={"dim": 0})
    a.case("Tensor.split", a.transposed([6, 4], F64), 3)
    a.case("Tensor.split", a.stepped([4, 6], torch.int64), [2, 4], 1)
    a.case("Tensor.split", a.rand([0, 4], F32), 2)
    a.case("Tensor.split", a.rand([0, 4], F32), [0])
    a.case("Tensor.split", a.rand([0, 4], F32), 3, 1)
    a.case("Tensor.split", a.rand([], F32), 1)
    for args in ((3,), (4,), (5,), (6,), (7,), (1,), (2, 1), (3, -1), (0,), (-1,), (2, 2)):
        a.case("Tensor.chunk", x, *args)
    a.case("torch.chunk", a.rand([7, 2], F32), 3)
    a.case("torch.chunk", a.rand([5, 2], F32), 4)
    a.case("torch.chunk", x, 3, kw={"dim": 0})
    a.case("Tensor.chunk", a.transposed([6, 4], F32), 4, 1)
    a.case("Tensor.chunk", a.rand([0, 3], F32), 3)
    a.case("Tensor.chunk", a.rand([0, 3], F32), 2, 1)
    a.case("Tensor.chunk", a.rand([], F32), 1)
    for args in ((), (0,), (1,), (-1,), (2,), (-3,)):
        a.case("Tensor.unbind", x, *args)
    a.case("torch.unbind", x, kw={"dim": 1})
    a.case("Tensor.unbind", a.transposed([3, 4], F64), 1)
    a.case("Tensor.unbind", a.rand([2, 3, 4], F32), 1)
    a.case("Tensor.unbind", a.rand([0, 3], F32))
    a.case("Tensor.unbind", a.rand([0, 3], F32), 1)
    a.case("Tensor.unbind", a.rand([], F32))

    # Layouts of views: stride() and storage_offset(), as PyTorch computes them.
    base = a.rand([4, 5, 6], F32)
    for steps in ([("transpose", 0, 2)], [("permute", 2, 0, 1)], [("narrow", 1, 2, 3)], [("select", 2, 4)],
                  [("__getitem__", slice(1, None, 2), Ellipsis, slice(None, None, 3))], [("unsqueeze", 1)],
                  [("expand", 2, 4, 5, 6)], [("diagonal", 1, 1, 2)], [("unfold", 2, 3, 2)], [("view", 20, 6)],
                  [("squeeze",)], [("__getitem__", None, 1, None)], [("movedim", 0, -1)], [("mT",)],
                  [("split", [2, 3], 1), ("__getitem__", 1)], [("unbind", 2), ("__getitem__", 3)],
                  [("transpose", 0, 1), ("view", 5, 2, 2, 6)], [("transpose", 0, 1), ("reshape", 5, 24)],
                  [("__getitem__", slice(None), 1), ("unflatten", 1, (2, 3))], [("__getitem__", Ellipsis, 0), ("flatten",)],
                  [("__getitem__", 0, 0, 0)], [("as_strided", (2, 2), (3, 1), 7)], [("chunk", 2, 2), ("__getitem__", 1)]):
        chain(a, base, *steps, ("stride",))
        chain(a, base, *steps, ("storage_offset",))
        chain(a, base, *steps, ("is_contiguous",))
    for inp in (a.transposed([3, 4], F32), a.stepped([3, 4], F32), a.expanded([3, 4], F32)):
        for steps in ([("reshape", -1)], [("flatten",)], [("contiguous",)], [("view", 3, 2, 2)], [("T",)], [("unsqueeze", 0)]):
            chain(a, inp, *steps, ("stride",))

    # Views of views: the result is a view of the original storage with its values.
    x = a.rand([4, 5, 6], F64)
    for steps in ([("transpose", 0, 1), ("__getitem__", slice(1, None)), ("unsqueeze", 0)],
                  [("permute", 2, 0, 1), ("narrow", 0, 1, 3), ("select", 1, 2), ("T",)],
                  [("__getitem__", slice(None, None, 2), slice(1, 4)), ("transpose", 0, 2), ("__getitem__", 1)],
                  [("view", 20, 6), ("__getitem__", slice(3, 15, 4)), ("view", 3, 2, 3)],
                  [("unfold", 2, 2, 2), ("diagonal", 0, 0, 1), ("mT",)],
                  [("expand", 2, 4, 5, 6), ("__getitem__", 1, Ellipsis, 0), ("flatten",)],
                  [("movedim", [0, 1], [2, 0]), ("split", 2, 1), ("__getitem__", 2), ("squeeze", 1)],
                  [("unbind", 1), ("__getitem__", 4), ("chunk", 3, 1), ("__getitem__", 0), ("t",)],
                  [("transpose", 1, 2), ("reshape", 4, 30)], [("transpose", 1, 2), ("reshape", 4, 6, 5)],
                  [("__getitem__", slice(None), 0), ("unflatten", 1, (2, 3)), ("swapaxes", 0, 2)],
                  [("as_strided", (3, 4), (6, 1), 2), ("__getitem__", slice(1, None), slice(None, None, 3))],
                  [("__getitem__", None, Ellipsis, None), ("squeeze",)], [("contiguous",), ("view", -1)]):
        chain(a, x, *steps)
    for inp in (a.transposed([4, 5], F32), a.stepped([4, 5], torch.int64)):
        chain(a, inp, ("reshape", -1), ("__getitem__", slice(2, 8)))
        chain(a, inp, ("flatten",), ("__getitem__", slice(None, None, 3)))
        chain(a, inp, ("__getitem__", slice(1, 3)), ("T",), ("unsqueeze", 1))

    # Mutation through views changes the base (the input's storage, compared in `after`); through a copy it
    # does not. Inputs are themselves contiguous, transposed and stepped views.
    for maker in (a.rand, a.transposed, a.stepped):
        x = maker([4, 6], F32)
        y = a.rand([6], F32)
        chain(a, x, ("__getitem__", 1), ("zero_",))
        chain(a, x, ("__getitem__", slice(None), slice(1, 3)), ("mul_", 2))
        chain(a, x, ("t",), ("__setitem__", [0], 5))
        chain(a, x, ("view", -1) if maker is a.rand else ("reshape", -1), ("__getitem__", slice(None, None, 5)), ("fill_", 7))
        chain(a, x, ("reshape", 2, 12), ("__setitem__", [0, slice(2, 5)], -1))
        chain(a, x, ("flatten",), ("__setitem__", [0], 100))
        chain(a, x, ("contiguous",), ("fill_", 3))
        chain(a, x, ("diagonal",), ("fill_", 0))
        chain(a, x, ("diagonal", 2), ("add_", 10))
        chain(a, x, ("narrow", 1, 1, 2), ("copy_", a.rand([4, 2], F32)))
        chain(a, x, ("select", 0, -1), ("add_", y))
        chain(a, x, ("split", 4, 1), ("__getitem__", 1), ("fill_", 3))
        chain(a, x, ("unbind", 1), ("__getitem__", 2), ("neg_",))
        chain(a, x, ("chunk", 2), ("__getitem__", 0), ("sub_", 1))
        chain(a, x, ("unsqueeze", 0), ("transpose", 0, 2), ("__getitem__", slice(1, 3)), ("clamp_", -1, 1))
        chain(a, x, ("__getitem__", slice(1, None)), ("__setitem__", [[0, 2]], 9))
        chain(a, x, ("__getitem__", slice(1, None)), ("__setitem__", [T([0, 0, 2], LONG), slice(None, 2)], 9))
        chain(a, x, ("__getitem__", Ellipsis, slice(None, None, 2)), ("__setitem__", [a.rand([4, 3], torch.bool)], -3))
        chain(a, x, ("T",), ("index_put_", (T([1, 1, 3], LONG),), a.rand([4], F32), {"accumulate": True}))
        chain(a, x, ("t",), ("index_fill_", 0, T([0, 5], LONG), -2))
        chain(a, x, ("t",), ("index_add_", 1, T([3, 0, 3], LONG), a.rand([6, 3], F32)))
        chain(a, x, ("t",), ("index_copy_", 1, T([3, 0], LONG), a.rand([6, 2], F32)))
        chain(a, x, ("__getitem__", slice(None), slice(2, None)), ("masked_fill_", a.rand([4, 4], torch.bool), 0.5))
        chain(a, x, ("__getitem__", slice(1, 3)), ("scatter_", 1, T([[0, 5], [2, 1]], LONG), 8.0))
        chain(a, x, ("__getitem__", slice(1, 3)), ("scatter_add_", 1, T([[0, 0], [2, 2]], LONG), a.rand([2, 2], F32)))
        chain(a, x, ("unflatten", 1, (2, 3)), ("__getitem__", Ellipsis, 1), ("mul_", -1))
        chain(a, x, ("movedim", 0, 1), ("__getitem__", 5), ("copy_", T([1.5, 2.5, 3.5, 4.5], F32)))
        chain(a, x, ("as_strided", (2, 2), (1, 1)) if maker is a.rand else ("__getitem__", slice(0, 2), slice(0, 2)), ("add_", 1))
        chain(a, x, ("unfold", 1, 2, 2), ("__getitem__", Ellipsis, 0), ("fill_", 4))
    left_out("views", "in-place writes into expanded or unfold-overlapping views (PyTorch refuses them; an elementwise-op check)")
    return a


# =====================================================================================================
# 3.3 cat / stack / vstack / hstack / dstack, and repeat, tile, flip, roll, clone
# =====================================================================================================
def shape_ops():
    a = Area("shape_ops", 909)
    for dt in ALL:
        x, y = a.rand([2, 3], dt), a.rand([1, 3], dt)
        a.case("torch.cat", [x, y])
        a.case("torch.cat", [x, a.rand([2, 2], dt)], 1)
        a.case("torch.stack", [x, a.rand([2, 3], dt)])
        a.case("torch.stack", [x, a.rand([2, 3], dt)], 2)
    x, y, z = a.rand([2, 3], F32), a.rand([2, 3], F32), a.rand([2, 3], F32)
    for args, kw in ((([x, y],), {"dim": 0}), (([x, y],), {"dim": 1}), (([x, y, z], -1), {}), (([x, y, z], -2), {}),
                     (([x],), {}), (([x, y], 2), {}), (([x, y], -3), {})):
        a.case("torch.cat", *args, kw=kw)
        a.case("torch.stack", *args, kw=kw)
    a.case("torch.stack", [x, y], 3)
    a.case("torch.concat", [x, y], 1)
    # mixed dtypes promote
    for d1, d2 in ((torch.int32, F32), (torch.int8, torch.uint8), (torch.bool, torch.int64), (torch.float16, torch.bfloat16),
                   (torch.int64, torch.float16), (torch.bool, torch.bool), (F32, F64), (torch.uint8, torch.bool), (torch.int16, torch.int32)):
        a.case("torch.cat", [a.rand([2, 2], d1), a.rand([1, 2], d2)])
        a.case("torch.stack", [a.rand([2], d1), a.rand([2], d2), a.rand([2], d1)], 1)
        a.case("torch.hstack", [a.rand([2], d1), a.rand([3], d2)])
    # empty tensors: legacy 1-D [0] tensors are skipped; [0, 3] ones concatenate
    a.case("torch.cat", [a.rand([2, 3], F32), a.rand([0], F32)])
    a.case("torch.cat", [a.rand([0], torch.int64), a.rand([2, 3], F32), a.rand([0], F64)])
    a.case("torch.cat", [a.rand([0, 3], F32), a.rand([2, 3], F32)])
    a.case("torch.cat", [a.rand([2, 0], F32), a.rand([2, 3], F32)], 1)
    a.case("torch.cat", [a.rand([0], F32), a.rand([0], F32)])
    a.case("torch.cat", [a.rand([0, 2], F32), a.rand([0, 2], F32)], 1)
    a.case("torch.stack", [a.rand([0, 2], F32), a.rand([0, 2], F32)], 1)
    a.case("torch.stack", [a.rand([], F32), a.rand([], F32)])
    a.case("torch.stack", [a.rand([], torch.int64)], 0)
    # non-contiguous inputs
    a.case("torch.cat", [a.transposed([2, 3], F32), a.stepped([2, 3], F32), a.expanded([2, 3], F32)])
    a.case("torch.cat", [a.transposed([3, 2], F64), a.stepped([3, 4], F64)], 1)
    a.case("torch.stack", [a.transposed([2, 3], torch.int64), a.stepped([2, 3], torch.int64)], 1)
    # errors
    a.case("torch.cat", [a.rand([2, 3], F32), a.rand([2, 4], F32)])
    a.case("torch.cat", [a.rand([2, 3], F32), a.rand([3], F32)])
    a.case("torch.cat", [a.rand([], F32), a.rand([], F32)])
    a.case("torch.cat", [])
    a.case("torch.stack", [a.rand([2, 3], F32), a.rand([3, 2], F32)])
    a.case("torch.stack", [])
    # vstack / hstack / dstack
    for inputs in ([a.rand([3], F32), a.rand([3], F32)], [a.rand([2, 3], F32), a.rand([1, 3], F32)], [a.rand([], F32), a.rand([], F32)],
                   [a.rand([2, 3, 2], F32), a.rand([2, 3, 2], F32)], [a.rand([3], torch.int64), a.rand([1, 3], F32)],
                   [a.rand([2, 3], F32), a.rand([2, 1], F32)], [a.rand([2], F32), a.rand([3], F32)]):
        a.case("torch.vstack", inputs)
        a.case("torch.hstack", inputs)
        a.case("torch.dstack", inputs)
    a.case("torch.dstack", [a.rand([2, 3], F32), a.rand([2, 3, 2], F32)])
    a.case("torch.hstack", [a.transposed([2, 3], torch.int32), a.rand([2, 1], torch.int32)])

    # repeat / tile
    for dt in ALL:
        a.case("Tensor.repeat", a.rand([2, 3], dt), 2, 3)
        a.case("Tensor.tile", a.rand([2, 3], dt), (2,))
    x = a.rand([2, 3], F32)
    for reps in ((1, 1), (2, 1, 2), (3, 1, 1, 2), ([2, 2],), (0, 2), (2, 0), (1,), (2,)):
        a.case("Tensor.repeat", x, *reps)
    for reps in ((2, 3), (2, 1, 2), (1,), (), (0,), (2, 2, 2, 2)):
        a.case("Tensor.tile", x, reps)
        a.case("torch.tile", x, reps)
    for inp in (a.rand([], F32), a.transposed([2, 3], F64), a.stepped([2, 3], torch.int64), a.expanded([2, 3], F32), a.rand([0, 3], F32)):
        a.case("Tensor.repeat", inp, 2, 2)
        a.case("Tensor.repeat", inp, 1, 2, 1)
        a.case("Tensor.tile", inp, (3,))
    a.case("Tensor.repeat", a.rand([], torch.int64), 3)

    # flip / fliplr / flipud
    for dt in ALL:
        a.case("torch.flip", a.rand([2, 3], dt), [0, 1])
        a.case("Tensor.flip", a.rand([2, 3, 2], dt), [1])
    x = a.rand([2, 3, 4], F32)
    for dims in ([0], [-1], [0, 2], [2, 0, 1], [], [1, -2], [3], [0, 0]):
        a.case("torch.flip", x, dims)
    a.case("Tensor.flip", x, 0, 1)
    a.case("Tensor.flip", x, 2)
    for inp in (a.transposed([3, 4], F64), a.stepped([3, 4], torch.int64), a.expanded([3, 4], F32), a.rand([0, 3], F32), a.rand([], F32),
                a.rand([5], torch.bool)):
        a.case("torch.flip", inp, [0])
        a.case("torch.flip", inp, [-1])
    for inp in (a.rand([3, 4], F32), a.transposed([3, 4], torch.int16), a.rand([2, 3, 4], F64)):
        a.case("Tensor.fliplr", inp)
        a.case("Tensor.flipud", inp)
    a.case("Tensor.fliplr", a.rand([3], F32))
    a.case("Tensor.flipud", a.rand([3], F32))
    a.case("torch.fliplr", a.rand([3, 4], F32))
    a.case("torch.flipud", a.rand([3, 4], F32))

    # roll
    for dt in ALL:
        a.case("torch.roll", a.rand([3, 4], dt), 1)
        a.case("torch.roll", a.rand([3, 4], dt), (1, -1), (0, 1))
    x = a.rand([3, 4], F32)
    for args in ((2, 0), (-1, 1), (5, 1), (-7, 0), (0, 0), ((1, 2), (0, 1)), ((-2, 3), (1, 0)), ((1, 1), (1, 1)), (13,), (-3,),
                 ((1, 2),), (1, 2), ((1, 2), (0,)), (4, -1), ([2], [-2])):
        a.case("torch.roll", x, *args)
    a.case("Tensor.roll", x, 1, 1)
    a.case("torch.roll", x, kw={"shifts": -1, "dims": 0})
    for inp in (a.transposed([3, 4], F64), a.stepped([3, 4], torch.int64), a.expanded([3, 4], F32), a.rand([0, 3], F32), a.rand([], F32)):
        a.case("torch.roll", inp, 1)
        a.case("torch.roll", inp, -1, -1)
    a.case("torch.roll", a.rand([2, 3, 4], F32), (1, -1, 2), (0, 1, 2))

    # clone: a copy (of a view, of its values)
    for inp in (a.rand([2, 3], F32), a.transposed([2, 3], torch.int64), a.stepped([2, 3], torch.bool), a.expanded([2, 3], F64),
                a.rand([], torch.float16), a.rand([0, 2], F32)):
        a.case("Tensor.clone", inp)
    a.case("torch.clone", a.transposed([2, 3], F32))
    return a


# =====================================================================================================
# sort / argsort / topk / kthvalue / median / unique
# =====================================================================================================
def with_ties(a, shape, dtype, special=True):
    """Values with many ties (and, for floats with `special`, -0 beside 0 and NaNs)."""
    if dtype == torch.bool:
        return a.rand(shape, dtype)
    if dtype.is_floating_point:
        v = a.rand(shape, F64).round().clamp(-3, 3) + 0.0
        if special:
            v[v == 0] = torch.tensor([0.0, -0.0], dtype=F64).repeat(v.numel())[: int((v == 0).sum())]
            flat = v.view(-1)
            flat[:: max(1, flat.numel() // 3)] = NAN
        return v.to(dtype)
    return a.rand(shape, dtype, -3, 3)


def sorting():
    a = Area("sorting", 1010)
    for dt in ALL:
        x = distinct(a, [3, 5], dt) if dt != torch.bool else a.rand([3, 5], dt)
        stable = {"stable": True} if dt == torch.bool else {}
        a.case("torch.sort", x, kw=stable)
        a.case("torch.sort", x, kw={"dim": 0, **stable})
        a.case("Tensor.sort", x, kw={"descending": True, **stable})
        a.case("torch.argsort", x, kw=stable)
        a.case("Tensor.argsort", x, kw={"dim": 0, "descending": True, **stable})
        t = with_ties(a, [4, 6], dt)
        a.case("torch.sort", t, kw={"stable": True})
        a.case("torch.sort", t, kw={"stable": True, "descending": True})
        a.case("torch.sort", t, kw={"dim": 0, "stable": True})
        a.case("Tensor.sort", t, kw={"dim": 0, "descending": True, "stable": True})
        a.case("torch.argsort", t, kw={"stable": True, "dim": 1})
        a.case("torch.argsort", t, kw={"stable": True, "descending": True})
    a.case("torch.sort", T([3.0, NAN, -INF, INF, -0.0, 0.0, NAN, 1.0], F32), kw={"stable": True})
    a.case("torch.sort", T([3.0, NAN, -INF, INF, -0.0, 0.0, NAN, 1.0], F64), kw={"stable": True, "descending": True})
    a.case("torch.sort", T([2**62, -(2**62), 2**53 + 1, 2**53, 2**63 - 1, -(2**63)], LONG))
    for inp in (a.transposed([4, 3], F32), a.stepped([3, 4], F64), a.expanded([3, 4], torch.int64), a.rand([], F32), a.rand([0, 3], F32),
                a.rand([3, 0], F32), distinct(a, [2, 3, 4], F32)):
        a.case("torch.sort", inp, kw={"stable": True})
        a.case("torch.sort", inp, kw={"dim": 0, "stable": True, "descending": True})
        a.case("torch.argsort", inp, kw={"stable": True})
    a.case("torch.sort", a.rand([3, 4], F32), 2)
    a.case("torch.sort", a.rand([3, 4], F32), -3)
    left_out("sorting", "sort/argsort of tied values without stable=True (order of equal elements unspecified)")

    # topk (ties make the returned index unspecified: distinct values)
    for dt in ALL:
        x = distinct(a, [3, 6], dt) if dt != torch.bool else a.rand([3, 6], dt)
        a.case("torch.topk", x, 2)
        a.case("Tensor.topk", x, 3, 0)
        a.case("torch.topk", x, 2, kw={"largest": False})
    x = distinct(a, [4, 5], F32)
    for args, kw in (((5,), {}), ((0,), {}), ((1, 0), {"largest": False}), ((2, -2), {}), ((6,), {}), ((-1,), {}),
                     ((2, 2), {}), ((4, 0), {"largest": True, "sorted": True})):
        a.case("torch.topk", x, *args, kw=kw)
    a.case("torch.topk", T([1.0, NAN, 3.0, -INF, INF], F32), 2)
    a.case("torch.topk", T([1.0, NAN, 3.0, -INF, INF], F64), 2, kw={"largest": False})
    a.case("torch.topk", a.transposed([5, 3], F32), 2)
    a.case("torch.topk", a.stepped([3, 5], torch.int64), 3, 0)
    a.case("torch.topk", a.rand([], F32), 1)
    a.case("torch.topk", a.rand([], F32), 0)
    a.case("torch.topk", a.rand([0, 3], F32), 2)
    a.case("torch.topk", a.rand([3, 0], F32), 0)
    left_out("sorting", "topk/kthvalue/median of tied values (which index is returned is unspecified), topk(sorted=False)")

    # kthvalue
    for dt in ALL:
        x = distinct(a, [3, 5], dt) if dt != torch.bool else a.rand([3, 5], dt)
        a.case("torch.kthvalue", x, 2)
        a.case("Tensor.kthvalue", x, 1, 0, kw={"keepdim": True})
    x = distinct(a, [4, 5], F64)
    for args, kw in (((1,), {}), ((5,), {}), ((3, 0), {}), ((4, -2), {"keepdim": True}), ((0,), {}), ((6,), {}), ((5, 0), {}), ((1, 2), {})):
        a.case("torch.kthvalue", x, *args, kw=kw)
    a.case("torch.kthvalue", T([1.0, NAN, 3.0, -INF], F32), 4)
    a.case("torch.kthvalue", T([1.0, NAN, 3.0, -INF], F32), 3)
    a.case("torch.kthvalue", a.transposed([5, 3], F32), 2)
    a.case("torch.kthvalue", a.rand([], F32), 1)
    a.case("torch.kthvalue", a.rand([], F32), 1, 0, kw={"keepdim": True})
    a.case("torch.kthvalue", a.rand([0, 3], F32), 1)

    # median along a dim (odd and even lengths: the lower of the two middles)
    for dt in (F32, F64, torch.int64, torch.int16, torch.bfloat16, torch.float16):
        a.case("Tensor.median_dim", distinct(a, [3, 5], dt), 1)
        a.case("torch.median_dim", distinct(a, [4, 3], dt), 0, kw={"keepdim": True})
    a.case("torch.median_dim", a.transposed([4, 3], F32), 1)

    # unique: sorted, with inverse indices and counts
    for dt in ALL:
        x = with_ties(a, [3, 5], dt, special=False)
        a.case("torch.unique", x)
        a.case("torch.unique", x, kw={"return_inverse": True})
        a.case("torch.unique", x, kw={"return_counts": True})
        a.case("Tensor.unique", x, kw={"sorted": True, "return_inverse": True, "return_counts": True})
    for inp in (a.transposed([4, 3], torch.int64), a.stepped([3, 4], torch.int32), a.expanded([3, 4], torch.int8),
                a.rand([], F32), a.rand([0, 3], F32), T([2**53 + 1, 2**53, 2**53 + 1, -(2**63)], LONG)):
        a.case("torch.unique", inp, kw={"return_inverse": True, "return_counts": True})
    left_out("sorting", "unique(sorted=False) (order unspecified), unique(dim=...) (not implemented in Kindling), unique of NaN "
             "(1.13's CPU unique sorts with a comparison NaN breaks) or of -0 beside 0 (which zero is kept is unspecified)")
    return a


# =====================================================================================================
# 4.1 / 4.2 subscripts: x[items] and x[items] = value; index_put_
# =====================================================================================================
def indexing():
    a = Area("indexing", 1111)
    S = slice
    x = a.rand([4, 5, 6], F32)
    gi = "Tensor.__getitem__"
    # Basic indexing: views.
    for items in ((0,), (0, 1), (0, 1, 2), (-1,), (S(None), -1), (S(1, 3),), (S(None), S(1, 4)), (S(None, None, 2),), (S(1, 4, 2),),
                  (S(-3, -1),), (S(5, None),), (S(None, 100),), (S(3, 1),), (S(-100, 2),), (Ellipsis, 0), (0, Ellipsis),
                  (Ellipsis, S(1, 3)), (None,), (S(None), None), (Ellipsis, None), (None, Ellipsis, None), (True,), (False,),
                  (0, None, 1), (Ellipsis,), (S(None),), (), (1, S(None), -2), (S(None), S(None), S(None)), (-4, -5, -6),
                  (S(None, None, 3), Ellipsis, S(None, None, 4)), (None, 0, None, S(1, 2), None), (1, True, 2), (False, 0),
                  (TorchSlice(1, 4, 2),), (S(None), TorchSlice(None, None, 2), TorchSlice(-2, None)), (TorchSlice(),),
                  (S(2, 2),), (S(-1, None), S(0, 1), 5)):
        a.case(gi, x, *items)
    # Errors: out of range, too many indices, bad steps.
    for items in ((4,), (-5,), (S(None), 10), (0, 0, 6), (0, 0, 0, 0), (Ellipsis, 0, 0, 0, 0), (S(None, None, -1),), (S(None, None, 0),),
                  (S(None), S(None), S(None), S(None)), (1.5,)):
        a.case(gi, x, *items)
    a.case(gi, a.rand([3, 2], F32), 5)
    left_out("indexing", "several Ellipses in one subscript (1.13 accepts x[..., 0, ...]; NumPy and Kindling refuse)")
    # 0-d tensors.
    s0 = a.rand([], F64)
    for items in ((), (None,), (Ellipsis,), (True,), (False,), (0,), (None, None), (Ellipsis, None), (S(None),)):
        a.case(gi, s0, *items)
    # Every dtype; non-contiguous inputs.
    for dt in ALL:
        y = a.rand([3, 4], dt)
        a.case(gi, y, 1)
        a.case(gi, y, S(None), S(1, None, 2))
        a.case(gi, y, T([2, 0, 2], LONG))
        a.case(gi, y, a.rand([3, 4], torch.bool))
        a.case(gi, y, S(1, None), [0, 3])
    for inp in (a.transposed([4, 5], F32), a.stepped([4, 5], torch.int64), a.expanded([4, 5], F64)):
        for items in ((1,), (S(None), S(None, None, 2)), (Ellipsis, -1), (T([3, 0], LONG),), (S(None), T([1, 1, 4], LONG)),
                      (a.rand([4, 5], torch.bool),), (a.rand([4], torch.bool), 2), (S(1, 3), None, T([0, 2], LONG))):
            a.case(gi, inp, *items)

    # Advanced indexing: integer tensors and lists; PyTorch's dimension placement.
    i1, i2 = T([0, 2], LONG), T([[1, 0], [3, 3]], LONG)
    neg, col, row = T([-1, -4], LONG), T([[0], [1]], LONG), T([0, 1, 2], LONG)
    for items in ((i1,), (i2,), (neg,), ([0, 2],), ([[0, 1], [2, 3]],), ([0, 2], [1, 3]), (i1, i1), (i1, S(None), i1),
                  (S(None), i1, i1), (S(None), i1), (Ellipsis, i1), (i1, Ellipsis, i1), (None, i1), (i1, None, i1),
                  (1, i1), (i1, 1), (1, S(None), i1), (i1, S(None), 1), (S(None), i1, 1), (i1, S(1, 3), i1),
                  (col, row), (col, S(None), row), (S(None), col, row), (i2, i2, i2), (i2, S(None), T([1, 5], LONG)),
                  (T(2, LONG),), (S(None), T(-1, LONG)), (T(1, LONG), T(2, LONG)), (T([], LONG),), (S(None), T([], LONG)),
                  (T([[-1, 0], [1, -2]], LONG), S(None, None, 2)), (i1.repeat(3),), (T([True, False, True, True], torch.bool),),
                  ([True, False, True, True],), ([1, -1],), (S(None), [], S(None)), (Ellipsis, [[0], [5]], [1, 2, 0]),
                  (T([[0, 1]], LONG), T([[0], [1], [2]], LONG), T([5], LONG))):
        a.case(gi, x, *items)
    # Errors: out-of-range and negative-out-of-range indices, unbroadcastable indices, wrong index dtypes.
    for items in ((T([0, 5], LONG),), (T([-5], LONG),), (S(None), T([5], LONG)), (i1, T([0, 1, 2], LONG)),
                  ([0.5],), (T([[0, 4]], LONG), T([1, 9], LONG))):
        a.case(gi, x, *items)
    # 1.13 says "long, byte or bool", PyTorch >= 2.0 (and Kindling, taking int32 too) "long, int, byte or bool".
    for idx in (T([0], torch.int16), T([0.0], F32), T([0], torch.int8)):
        a.case(gi, x, idx, match="tensors used as indices must be long")
    left_out("indexing", "int32 index tensors: 1.13 refuses them, PyTorch >= 2.0 takes them as Kindling does")
    a.case(gi, a.rand([3, 4], F32), T([1, 5], LONG))
    a.case(gi, a.rand([3], F32), T([5], LONG))
    # Boolean masks over one and several dims, with other items.
    m4, m45, m56 = a.rand([4], torch.bool), a.rand([4, 5], torch.bool), a.rand([5, 6], torch.bool)
    for items in ((m4,), (m45,), (S(None), m56), (Ellipsis, a.rand([6], torch.bool)), (m4, 2), (m4, S(1, 3)), (m4, S(None), 0),
                  (x > 0,), (torch.zeros(4, dtype=torch.bool),), (torch.ones(4, 5, dtype=torch.bool),), (T(True, torch.bool),), (T(False, torch.bool),),
                  (S(None), T(True, torch.bool), 1), (T([True, False, True, False], torch.bool), T([1, 3], LONG)), (T([True, False, True, False], torch.bool), S(None), T([1, 3], LONG)),
                  (None, m4), (m4, None), (m4.to(torch.uint8),), (T([1, 0, 1, 1], torch.uint8), T([0, 1, 2], LONG))):
        a.case(gi, x, *items)
    for items in ((a.rand([3], torch.bool),), (a.rand([4, 4], torch.bool),), (S(None), a.rand([6], torch.bool)),
                  (a.rand([4, 5, 6, 1], torch.bool),), (T([True, False, True, True], torch.bool), T([0, 1, 2], LONG))):
        a.case(gi, x, *items)
    a.case(gi, a.rand([3, 2], F32), a.rand([2], torch.bool))
    # Zero-size dims.
    z = a.rand([0, 3], F32)
    for items in ((T([], LONG),), (S(None), T([0, 2], LONG)), (a.rand([0, 3], torch.bool),), (S(None), 1), (Ellipsis, None),
                  (T([0], LONG),)):
        a.case(gi, z, *items)

    # Assignment: x[items] = value (value broadcast; PyTorch casts it to x's dtype).
    si = "Tensor.__setitem__"
    for dt in ALL:
        y = a.rand([3, 4], dt)
        a.case(si, y, [1], a.rand([4], dt))
        a.case(si, y, [S(None), 1], 1)
        a.case(si, y, [T([2, 0], LONG)], a.rand([2, 4], dt))
        a.case(si, y, [a.rand([3, 4], torch.bool)], 0)
        a.case(si, y, [S(None), T([3, 1], LONG)], a.rand([3, 1], dt))
    y = a.rand([4, 5, 6], F32)
    for items, value in (([0], 5), ([0], a.rand([6], F32)), ([S(None), 1], a.rand([6], F32)), ([S(1, 3)], a.rand([2, 5, 6], F32)),
                         ([Ellipsis, 0], a.rand([5], F32)), ([None], a.rand([1, 4, 5, 6], F32)), ([1, S(None), S(None, None, 2)], 2.5),
                         ([i1], 0), ([i1], a.rand([2, 5, 6], F32)), ([i1], a.rand([6], F32)), ([i1, S(None), i1], a.rand([5], F32)),
                         ([i1, S(None), i1], a.rand([2, 5], F32)), ([col, row], a.rand([3, 6], F32)), ([S(None), col, row], -1),
                         ([m45], 0), ([m45], a.rand([6], F32)), ([m4, 2], a.rand([1], F32)), ([y > 0], -1),
                         ([T([0, 0, 1], LONG)], 7), ([[1, 3]], a.rand([2, 1, 6], F64)), ([S(None), [0, 4]], a.rand([4, 2, 6], torch.int64)),
                         ([T(True, torch.bool)], 3), ([T(False, torch.bool)], 3), ([Ellipsis], 1), ([], a.rand([5, 6], F32)), ([TorchSlice(1, None, 2), 0], 4),
                         ([0, 0, 0], T(9.0, F64)), ([T([-1], LONG), -1], T([2.0], F32)), ([T([], LONG)], 5),
                         ([S(None), S(None), T([5, -6], LONG)], a.rand([4, 5, 2], F32))):
        a.case(si, y, items, value)
    a.case(si, a.rand([3, 4], torch.int64), [0], 2.75)
    a.case(si, a.rand([3, 4], torch.uint8), [0], -1)
    a.case(si, a.rand([3, 4], torch.bool), [S(None), 0], 5)
    a.case(si, a.rand([3, 4], torch.int32), [1], a.rand([4], F64))
    a.case(si, a.rand([3, 4], F32), [1], a.rand([4], torch.int64))
    a.case(si, a.rand([], F32), [], 5)
    a.case(si, a.rand([], F32), [Ellipsis], a.rand([], F64))
    a.case(si, a.rand([], F32), [None], 2)
    # Assignment errors: value not broadcastable, out-of-range indices, mask shape.
    for items, value in (([i1], a.rand([3, 5, 6], F32)), ([0], a.rand([5, 5], F32)), ([T([4], LONG)], 0), ([S(None), 5], 0),
                         ([a.rand([3], torch.bool)], 0), ([m45], a.rand([2, 6], F32)), ([i1, T([0, 1, 2], LONG)], 0), ([4], 1)):
        a.case(si, y, items, value)
    # Through non-contiguous views: the storage changes where the view lies.
    for inp in (a.transposed([4, 5], F32), a.stepped([4, 5], torch.int64), a.rand([6, 5], F64)[1:5]):
        a.case(si, inp, [0], 1)
        a.case(si, inp, [S(None), S(1, None, 2)], a.rand([3], inp.dtype))
        a.case(si, inp, [T([3, 1], LONG)], a.rand([2, 5], inp.dtype))
        a.case(si, inp, [a.rand([4, 5], torch.bool)], -7)
        a.case(si, inp, [S(None), T([0, 4], LONG)], a.rand([4, 1], inp.dtype))
    left_out("indexing", "x[idx] = v with duplicate indices and different values (which write wins is unspecified)")

    # index_put_: tensor indices, accumulate with duplicates, broadcast values.
    ip = "Tensor.index_put_"
    for dt in ALL:
        y = a.rand([4, 3], dt)
        a.case(ip, y, (T([0, 0, 2, 0], LONG),), a.rand([4, 3], dt), kw={"accumulate": True})
        a.case(ip, y, (T([1, 1], LONG), T([2, 2], LONG)), a.rand([], dt), kw={"accumulate": True})
        a.case(ip, y, (T([3, 1], LONG),), a.rand([3], dt))
    y = a.rand([4, 5, 6], F64)
    for idx, value, acc in (((T([0, 0, 3], LONG),), a.rand([6], F64), True), ((T([0, 0, 3], LONG), T([1, 1, 1], LONG)), a.rand([1], F64), True),
                            ((col, row), a.rand([2, 3, 6], F64), True), ((T([2, 2], LONG),), a.rand([2, 5, 6], F64), True),
                            ((T([-1, 3], LONG),), a.rand([5, 6], F64), True), ((T([1, 3], LONG), T([0, 4], LONG), T([5, 0], LONG)), a.rand([2], F64), False),
                            ((a.rand([4, 5], torch.bool),), a.rand([6], F64), True), ((a.rand([4], torch.bool),), a.rand([], F64), False),
                            ((T([], LONG),), a.rand([6], F64), True), ((T([0, 1], LONG),), a.rand([3, 5, 6], F64), True),
                            ((T([9], LONG),), a.rand([6], F64), True), ((T([9], LONG),), a.rand([6], F64), False)):
        a.case(ip, y, idx, value, kw={"accumulate": acc})
    a.case(ip, a.rand([4, 3], torch.int64), (T([0, 0], LONG),), T([1, 2], torch.int64).view(2, 1), kw={"accumulate": True})
    a.case(ip, a.transposed([4, 3], F32), (T([0, 0, 2], LONG),), a.rand([3], F32), kw={"accumulate": True})
    a.case(ip, a.stepped([4, 3], torch.int32), (T([3, 3], LONG), T([2, 2], LONG)), T([5], torch.int32), kw={"accumulate": True})
    a.case(ip, a.rand([5], F32), (T([1, 1, 1, 4], LONG),), T([1.5, 2.5, -1.0, 3.0], F32), kw={"accumulate": True})
    return a


# =====================================================================================================
# 4.2 / 4.3 index ops: gather, scatter(reduce), scatter_add, index_select, index_add/copy/fill, take,
# masked_select, masked_fill, where (3-arg, 1-arg), nonzero(as_tuple), argwhere
# =====================================================================================================
def index_ops():
    a = Area("index_ops", 1212)
    # gather
    for dt in ALL:
        x = a.rand([3, 4], dt)
        a.case("torch.gather", x, 1, torch.randint(0, 4, [3, 2], generator=a.g))
        a.case("Tensor.gather", x, 0, torch.randint(0, 3, [2, 4], generator=a.g))
    x = a.rand([3, 4, 5], F32)
    for dim, shape in ((0, [2, 4, 5]), (1, [3, 6, 5]), (2, [3, 4, 2]), (-1, [1, 1, 7]), (1, [2, 2, 2]), (0, [0, 4, 5]), (1, [3, 0, 5])):
        a.case("torch.gather", x, dim, torch.randint(0, x.shape[dim], shape, generator=a.g))
    a.case("torch.gather", a.rand([5], F64), 0, T([4, 0, 0, 2], LONG))
    a.case("torch.gather", a.rand([], F64), 0, T(0, LONG))
    a.case("torch.gather", a.transposed([3, 4], F32), 1, T([[3, 0], [1, 1], [2, 0]], LONG).t().contiguous().t())
    a.case("torch.gather", a.stepped([3, 4], torch.int64), 1, a.transposed([3, 2], torch.int64, lambda s, d: torch.randint(0, 4, s, generator=a.g)))
    # gather errors: out of range, negative (gather does not wrap), index dtype, dims, sizes
    y = a.rand([3, 4], F32)
    for dim, idx in ((1, T([[5]], LONG)), (1, T([[-1]], LONG)), (0, T([[3, 0]], LONG)), (1, T([[0]], torch.int32)), (1, T([0, 1], LONG)),
                     (0, T([[0], [1], [2], [0]], LONG)), (2, T([[0]], LONG))):
        a.case("torch.gather", y, dim, idx)

    # scatter (distinct targets per line: a duplicate target's winner is unspecified), value form, reduce
    for dt in ALL:
        x = a.rand([3, 5], dt)
        a.case("Tensor.scatter", x, 1, perm_index(a, 3, 5, 2), a.rand([3, 2], dt))
        a.case("torch.scatter", x, 0, perm_index(a, 3, 5, 2, dim=0), a.rand([2, 5], dt))
        a.case("Tensor.scatter_", x, 1, perm_index(a, 3, 5, 3), a.rand([3, 4], dt))
        if dt != torch.bool:
            a.case("Tensor.scatter", x, 1, torch.randint(0, 5, [3, 4], generator=a.g), a.rand([3, 4], dt), kw={"reduce": "add"})
            a.case("Tensor.scatter", x, 0, torch.randint(0, 3, [4, 5], generator=a.g), a.rand([4, 5], dt, -2, 2), kw={"reduce": "multiply"})
    x = a.rand([3, 5], F32)
    for args, kw in (((1, perm_index(a, 3, 5, 2), 2.5), {}), ((1, perm_index(a, 3, 5, 2), -1), {}),
                     ((1, T([[0, 0], [1, 1], [4, 4]], LONG), 2.0), {"reduce": "add"}), ((1, T([[0, 0], [1, 1], [4, 4]], LONG), 2.0), {"reduce": "multiply"}),
                     ((0, T([[0, 1, 2, 0, 1]], LONG), a.rand([1, 5], F32)), {}), ((1, T([[], [], []], LONG), a.rand([3, 1], F32)), {}),
                     ((-1, perm_index(a, 2, 5, 3), a.rand([4, 4], F32)), {})):
        a.case("Tensor.scatter", x, *args, kw=kw)
    a.case("Tensor.scatter_", a.transposed([3, 5], F64), 1, perm_index(a, 3, 5, 2), a.rand([3, 2], F64))
    a.case("Tensor.scatter_", a.stepped([3, 5], torch.int64), 0, T([[2, 0, 1]], LONG), 7, kw={"reduce": "add"})
    a.case("Tensor.scatter_", a.rand([4], F32), 0, T([3, 3, 0], LONG), a.rand([3], F32), kw={"reduce": "multiply"})
    a.case("Tensor.scatter", a.rand([], F32), 0, T(0, LONG), a.rand([], F32))
    for args in ((1, T([[5]], LONG), a.rand([1, 1], F32)), (1, T([[-1]], LONG), a.rand([1, 1], F32)), (1, T([[0]], LONG), a.rand([1, 1], F64)),
                 (1, T([[0]], torch.int32), a.rand([1, 1], F32)), (1, T([[0, 1, 2]], LONG), a.rand([1, 2], F32)),
                 (0, T([[0], [0], [0], [0]], LONG), a.rand([4, 1], F32)), (1, T([0], LONG), a.rand([1], F32)), (1, T([[5]], LONG), 1.0)):
        a.case("Tensor.scatter", x, *args)
    left_out("index_ops", "index_add with a source of the wrong slice shape (1.13 reports a broadcast error, later versions "
             "'source tensor shape must match self tensor shape'); x.where(cond, 0) (1.13's binding wants a tensor)")
    left_out("index_ops", "scatter/index_copy_ with a duplicate target and no reduce (which write wins is unspecified)")

    # scatter_add
    for dt in (F32, F64, torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8, torch.float16, torch.bfloat16):
        x = a.rand([3, 4], dt)
        a.case("torch.scatter_add", x, 1, torch.randint(0, 4, [3, 6], generator=a.g), a.rand([3, 6], dt))
        a.case("Tensor.scatter_add", x, 0, torch.randint(0, 3, [5, 4], generator=a.g), a.rand([5, 4], dt))
        a.case("Tensor.scatter_add_", x, 1, T([[0, 0, 0], [3, 3, 1], [2, 1, 2]], LONG), a.rand([3, 3], dt))
    a.case("Tensor.scatter_add_", a.transposed([3, 4], F32), 0, T([[0, 0, 0, 0], [2, 2, 2, 2]], LONG), a.rand([2, 4], F32))
    a.case("Tensor.scatter_add", a.rand([3, 4], F32), 1, T([[4]], LONG), a.rand([1, 1], F32))
    a.case("Tensor.scatter_add", a.rand([3, 4], F32), 1, T([[0]], LONG), a.rand([1, 1], torch.int64))

    # index_select
    for dt in ALL:
        x = a.rand([3, 4], dt)
        a.case("torch.index_select", x, 0, T([2, 0, 2], LONG))
        a.case("Tensor.index_select", x, 1, T([3, 1], torch.int32))
    x = a.rand([3, 4, 5], F32)
    for dim, idx in ((2, T([4, 0], LONG)), (-1, T([1], LONG)), (1, T([], LONG)), (0, T(1, LONG)), (1, T([3, 3, 3], LONG)),
                     (0, T([3], LONG)), (0, T([-1], LONG)), (1, T([[0]], LONG)), (0, T([0], torch.int16)), (3, T([0], LONG)), (0, T([0.0], F32))):
        a.case("Tensor.index_select", x, dim, idx)
    a.case("torch.index_select", a.transposed([4, 3], F64), 1, T([0, 2], LONG))
    a.case("torch.index_select", a.stepped([3, 4], torch.int64), 0, T([2, 2], LONG))
    a.case("torch.index_select", a.rand([], F32), 0, T([0], LONG))
    a.case("torch.index_select", a.rand([], F32), 0, T(0, LONG))
    a.case("torch.index_select", a.rand([0, 3], F32), 1, T([2], LONG))

    # index_add / index_copy / index_fill (in place and not)
    for dt in ALL:
        x = a.rand([4, 3], dt)
        if dt != torch.bool:
            a.case("Tensor.index_add", x, 0, T([0, 0, 3], LONG), a.rand([3, 3], dt))
            a.case("Tensor.index_add_", x, 1, T([2, 2], LONG), a.rand([4, 2], dt))
        a.case("Tensor.index_copy", x, 0, T([3, 1], LONG), a.rand([2, 3], dt))
        a.case("Tensor.index_copy_", x, 1, T([0], LONG), a.rand([4, 1], dt))
        a.case("Tensor.index_fill", x, 1, T([0, 2], LONG), 1)
        a.case("Tensor.index_fill_", x, 0, T([3, 3], LONG), 0)
    x = a.rand([4, 3], F32)
    for args, kw in (((0, T([1, 1], LONG), a.rand([2, 3], F32)), {"alpha": 2}), ((0, T([1, 1], LONG), a.rand([2, 3], F32)), {"alpha": -0.5}),
                     ((-1, T([0, 2, 0], LONG), a.rand([4, 3], F32)), {}), ((0, T([], LONG), a.rand([0, 3], F32)), {}),
                     ((0, T([4], LONG), a.rand([1, 3], F32)), {}), ((0, T([-1], LONG), a.rand([1, 3], F32)), {}),
                     ((0, T([1], LONG), a.rand([1, 3], F64)), {}),
                     ((0, T([1, 2], torch.int32), a.rand([2, 3], F32)), {}), ((0, T([[1]], LONG), a.rand([1, 3], F32)), {})):
        a.case("Tensor.index_add", x, *args, kw=kw)
    a.case("Tensor.index_add_", a.transposed([4, 3], F64), 0, T([0, 0, 2], LONG), a.rand([3, 3], F64))
    a.case("Tensor.index_add_", a.rand([5], torch.int64), 0, T([4, 4, 0], LONG), a.rand([3], torch.int64), kw={"alpha": 3})
    for args in ((0, T([4], LONG), a.rand([1, 3], F32)), (0, T([-1], LONG), a.rand([1, 3], F32)), (1, T([0, 2], LONG), a.rand([4, 2], F32)),
                 (0, T([1], LONG), a.rand([1, 2], F32)), (0, T([1], LONG), a.rand([1, 3], F64)), (0, T([1], torch.int32), a.rand([1, 3], F32))):
        a.case("Tensor.index_copy", x, *args)
    a.case("Tensor.index_copy_", a.stepped([4, 3], F32), 0, T([2, 0], LONG), a.rand([2, 3], F32))
    for args in ((0, T([-1], LONG), 5), (1, T([2, 0], LONG), -1.5), (0, T([1], LONG), T(3.5, F64)), (0, T([], LONG), 1),
                 (0, T([4], LONG), 1), (0, T([-5], LONG), 1), (0, T([1], LONG), T([1.0], F32)), (0, T([[1]], LONG), 1), (0, T([1], torch.int32), 1),
                 (2, T([0], LONG), 1)):
        a.case("Tensor.index_fill", x, *args)
    a.case("Tensor.index_fill", a.rand([3], torch.int64), 0, T([1], LONG), 2.5)
    a.case("Tensor.index_fill_", a.transposed([4, 3], torch.int32), 1, T([3, 0], LONG), 9)
    a.case("Tensor.index_fill_", a.rand([], F32), 0, T([0], LONG), 4)

    # take: row-major positions in the input, negative from the end
    for dt in ALL:
        a.case("torch.take", a.rand([2, 3], dt), T([0, 5, 2, 2], LONG))
    x = a.rand([2, 3], F32)
    for idx in (T([[-1, 0], [-6, 3]], LONG), T([], LONG), T(4, LONG), T([6], LONG), T([-7], LONG), T([0], torch.int32)):
        a.case("Tensor.take", x, idx)
    for inp in (a.transposed([2, 3], F64), a.stepped([2, 3], torch.int64), a.expanded([2, 3], F32), a.rand([], F32)):
        a.case("torch.take", inp, T([0, -1, 3 if inp.numel() > 3 else 0], LONG))
    a.case("torch.take", a.rand([0, 2], F32), T([], LONG))
    a.case("torch.take", a.rand([0, 2], F32), T([0], LONG))

    # masked_select / masked_fill
    for dt in ALL:
        x = a.rand([3, 4], dt)
        a.case("torch.masked_select", x, a.rand([3, 4], torch.bool))
        a.case("Tensor.masked_fill", x, a.rand([3, 4], torch.bool), 1)
        a.case("Tensor.masked_fill_", x, a.rand([4], torch.bool), T(0, dt))
    x = a.rand([3, 4], F32)
    for m in (a.rand([4], torch.bool), a.rand([3, 1], torch.bool), a.rand([2, 3, 4], torch.bool), torch.zeros(3, 4, dtype=torch.bool),
              a.rand([3, 4], torch.bool).to(torch.uint8), a.rand([3], torch.bool), a.rand([], torch.bool)):
        a.case("torch.masked_select", x, m)
        a.case("Tensor.masked_fill", x, m, -2.5)
    a.case("torch.masked_select", x, T([1, 0, 1, 0], LONG))
    left_out("index_ops", "masked_fill with an int64 mask (1.13 accepts it, later versions refuse), masked_fill_ into an expanded "
             "view (1.13 writes through the overlapping memory)")
    for inp in (a.transposed([3, 4], F64), a.stepped([3, 4], torch.int64), a.expanded([3, 4], F32), a.rand([0, 4], F32), a.rand([], F32)):
        m = a.rand(list(inp.shape), torch.bool)
        a.case("torch.masked_select", inp, m)
        a.case("Tensor.masked_fill", inp, m, 3)
        if inp.stride().count(0) == 0:
            a.case("Tensor.masked_fill_", inp, m, 3)
    for value in (T(2.5, F64), T(7, LONG), T([1.0], F32), 1.5, True):
        a.case("Tensor.masked_fill", a.rand([3, 4], torch.int32), a.rand([3, 4], torch.bool), value)
        a.case("Tensor.masked_fill", x, a.rand([4], torch.bool), value)
    a.case("Tensor.masked_fill_", x, a.rand([2, 3, 4], torch.bool), 1)
    a.case("Tensor.masked_fill_", x, a.rand([3], torch.bool), 1)
    a.case("torch.masked_select", a.rand([4], F32), a.rand([3, 4], torch.bool))

    # where: three arguments (broadcast, promotion, scalars) and one (nonzero as a tuple)
    for dt in ALL:
        c = a.rand([3, 4], torch.bool)
        a.case("torch.where", c, a.rand([3, 4], dt), a.rand([4], dt))
        a.case("torch.where", a.rand([3, 4], dt))
    c = a.rand([3, 4], torch.bool)
    for xa, ya in ((a.rand([3, 4], torch.int32), a.rand([3, 4], F64)), (a.rand([4], F32), 0), (1.5, a.rand([3, 1], F32)),
                   (a.rand([3, 4], torch.int64), 2), (a.rand([3, 4], torch.int64), 2.5), (a.rand([3, 4], torch.bool), a.rand([3, 4], torch.uint8)),
                   (a.rand([2, 3, 4], torch.float16), a.rand([4], torch.bfloat16)), (a.rand([5], F32), a.rand([4], F32))):
        a.case("torch.where", c, xa, ya)
    a.case("torch.where", a.rand([3, 4], F32), a.rand([3, 4], F32), a.rand([3, 4], F32))
    a.case("torch.where", a.transposed([3, 4], torch.bool), a.stepped([3, 4], F32), a.expanded([3, 4], F32))
    a.case("Tensor.where", a.rand([3, 4], F32), c, a.rand([3, 4], F32))
    for inp in (a.rand([2, 3, 4], torch.bool), a.rand([], torch.bool), a.rand([0, 3], torch.bool), a.transposed([3, 4], F32),
                T([0.0, -0.0, NAN, 1e-40], F64)):
        a.case("torch.where", inp)

    # nonzero / argwhere
    for dt in ALL:
        x = a.rand([3, 4], dt, -1, 1)
        a.case("torch.nonzero", x)
        a.case("Tensor.nonzero", x, kw={"as_tuple": True})
        a.case("torch.argwhere", x)
    for inp in (a.rand([2, 3, 4], F32), a.rand([], F32), T(0, LONG), a.rand([0, 3], F32), a.rand([5], torch.bool),
                a.transposed([3, 4], torch.int64, lambda s, d: a.rand(s, d, -1, 1)), a.stepped([3, 4], F32), a.expanded([3, 4], torch.bool),
                T([0.0, -0.0, NAN, INF, 1e-40], F64), T([0.0, -0.0, 1e-5], torch.float16), T([0.0, -0.0, 1e-30], torch.bfloat16)):
        a.case("torch.nonzero", inp)
        a.case("torch.nonzero", inp, kw={"as_tuple": True})
        a.case("Tensor.argwhere", inp)
    return a


AREAS = [views, shape_ops, sorting, indexing, index_ops]


def main():
    warnings.simplefilter("ignore")
    total = 0
    for make in AREAS:
        area = make()
        path = area.write()
        total += len(area.cases)
        print(f"{area.name}: {len(area.cases)} cases -> {os.path.relpath(path, G.ROOT)} ({os.path.getsize(path) // 1024} KiB)")
    print(f"total: {total} cases")
    if G.LEFT_OUT:
        print(f"left out ({len(G.LEFT_OUT)}):")
        for name in G.LEFT_OUT:
            print("  " + name)


if __name__ == "__main__":
    sys.exit(main())
