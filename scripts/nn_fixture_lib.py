"""Helpers shared by scripts/gen_nn_fixtures.py: encoding tensors and recording module/functional cases.

Tensors are written as {dtype, shape, values}: floats as JSON numbers (float32 values are exact doubles,
and Python's repr round-trips), "nan"/"inf"/"-inf" as strings, integers as numbers (all small here).
A case describes a call in PyTorch's own terms (class or function name, positional args, keyword args
in snake_case); the TypeScript harness turns keyword args into Kindling's trailing options object.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

DTYPES = {
    torch.float32: 'float32',
    torch.float64: 'float64',
    torch.int64: 'int64',
    torch.int32: 'int32',
    torch.bool: 'bool',
}


def enc_float(v):
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    return v


SUMMARY_OVER = 4096


def enc(t, summarize=False):
    """A tensor as {dtype, shape, values} (row-major). With summarize, a tensor of more than
    SUMMARY_OVER elements keeps its first 256 values and two checksums (plain left-to-right float64
    sums of v and of v*(i % 97 + 1)), which identical values reproduce exactly."""
    t = t.detach()
    if summarize and t.numel() > SUMMARY_OVER and t.is_floating_point():
        flat = t.reshape(-1).double().tolist()
        s1 = 0.0
        s2 = 0.0
        for i, v in enumerate(flat):
            s1 += v
            s2 += v * (i % 97 + 1)
        return {'dtype': DTYPES[t.dtype], 'shape': list(t.shape), 'head': flat[:256], 'checksum': [s1, s2]}
    dt = DTYPES[t.dtype]
    flat = t.reshape(-1)
    if t.is_floating_point():
        values = [enc_float(v) for v in flat.double().tolist()]
    elif t.dtype == torch.bool:
        values = [bool(v) for v in flat.tolist()]
    else:
        values = [int(v) for v in flat.tolist()]
    return {'dtype': dt, 'shape': list(t.shape), 'values': values}


def enc_arg(a):
    """An argument: tensors as {"tensor": spec}, lists/tuples/dicts recursively, scalars as they are."""
    if isinstance(a, torch.Tensor):
        return {'tensor': enc(a)}
    if isinstance(a, (list, tuple)):
        return [enc_arg(x) for x in a]
    if isinstance(a, dict):
        return {k: enc_arg(v) for k, v in a.items()}
    if isinstance(a, float):
        return enc_float(a)
    if isinstance(a, torch.dtype):
        return {'dtype': DTYPES[a]}
    return a


def state(module, summarize=False):
    return {k: enc(v, summarize) for k, v in module.state_dict().items()}


class In:
    """One forward input: a tensor (grad recorded when grad=True), fed as a clone when clone=True
    (so an in-place module can run on it), or any other argument (lists, numbers, None)."""

    def __init__(self, value, grad=False, clone=False):
        self.value = value
        self.grad = grad
        self.clone = clone

    def leaf(self):
        if isinstance(self.value, torch.Tensor):
            t = self.value.detach().clone()
            if self.grad:
                t.requires_grad_(True)
            return t
        return self.value

    def spec(self):
        if isinstance(self.value, torch.Tensor):
            out = {'tensor': enc(self.value)}
            if self.grad:
                out['grad'] = True
            if self.clone:
                out['clone'] = True
            return out
        return {'value': enc_arg(self.value)}


def as_in(x):
    return x if isinstance(x, In) else In(x)


def backward_and_record(out, case, leaves, named_params, gen):
    """Backpropagate a fixed random upstream gradient (or 1 for scalars) and record the grads."""
    case['output'] = enc(out)
    if not out.requires_grad:
        return
    if out.dim() == 0:
        out.backward()
    else:
        g = torch.randn(out.shape, generator=gen, dtype=out.dtype)
        case['grad_output'] = enc(g)
        out.backward(g)
    grads = {}
    for i, (spec_in, leaf) in enumerate(leaves):
        if spec_in.grad:
            grads[str(i)] = enc(leaf.grad) if leaf.grad is not None else None
    if grads:
        case['grads'] = grads
    pg = {}
    for name, p in named_params:
        if p.requires_grad:
            pg[name] = enc(p.grad) if p.grad is not None else None
    if pg:
        case['param_grads'] = pg


def module_case(cid, name, args=(), kwargs=None, inputs=(), *, train=True, seed=None, construct_seed=None,
                randomize=False, pre=(), factory=None, load_state=True, gen_seed=1234, extra=None):
    """Build nn.<name>(*args, **kwargs) (or nn.<name>.<factory>(...)), optionally give its parameters
    random values (randomize) and run `pre` forwards ((train, inputs) pairs, e.g. to move running
    statistics), then torch.manual_seed(seed) and the recorded forward/backward."""
    kwargs = kwargs or {}
    # Seeded either way so the file is reproducible; without construct_seed Kindling loads the state instead.
    torch.manual_seed(construct_seed if construct_seed is not None else 1)
    cls = getattr(nn, name)
    m = getattr(cls, factory)(*args, **kwargs) if factory else cls(*args, **kwargs)
    if randomize:
        g = torch.Generator().manual_seed(gen_seed + 1)
        with torch.no_grad():
            for p in m.parameters():
                p.copy_(torch.randn(p.shape, generator=g, dtype=p.dtype))
    case = {'id': cid, 'module': name, 'args': enc_arg(list(args)), 'kwargs': enc_arg(kwargs)}
    if factory:
        case['factory'] = factory
    if construct_seed is not None:
        case['construct_seed'] = construct_seed
    if load_state and not name.startswith('Lazy'):
        case['state'] = state(m)
    pre_specs = []
    for (mode, ins) in pre:
        m.train(mode)
        ins = [as_in(x) for x in ins]
        m(*[x.leaf() for x in ins])
        pre_specs.append({'train': mode, 'inputs': [x.spec() for x in ins]})
    if pre_specs:
        case['pre'] = pre_specs
    m.train(train)
    case['train'] = train
    ins = [as_in(x) for x in inputs]
    leaves = [(x, x.leaf()) for x in ins]
    fed = [leaf.clone() if x.clone else leaf for x, leaf in leaves]
    if seed is not None:
        torch.manual_seed(seed)
        case['seed'] = seed
    out = m(*fed)
    case['inputs'] = [x.spec() for x in ins]
    if any(x.clone for x in ins):
        # An in-place module returns its (cloned) input.
        case['inplace'] = out is fed[0]
    backward_and_record(out, case, leaves, list(m.named_parameters()), torch.Generator().manual_seed(gen_seed))
    case['state_after'] = state(m)
    if extra:
        case.update(extra)
    return case


def functional_case(cid, fn, inputs=(), args=(), kwargs=None, *, seed=None, gen_seed=4321, after=()):
    """F.<fn>(*inputs, *args, **kwargs) with the grads of the inputs marked grad=True."""
    kwargs = kwargs or {}
    ins = [as_in(x) for x in inputs]
    leaves = [(x, x.leaf()) for x in ins]
    fed = [leaf.clone() if x.clone else leaf for x, leaf in leaves]
    live_args = [a.leaf() if isinstance(a, In) else a for a in args]
    live_kwargs = {k: (v.leaf() if isinstance(v, In) else v) for k, v in kwargs.items()}
    kw_leaves = [(k, live_kwargs[k]) for k, v in kwargs.items() if isinstance(v, In) and v.grad]
    if seed is not None:
        torch.manual_seed(seed)
    out = getattr(F, fn)(*fed, *live_args, **live_kwargs)
    case = {
        'id': cid, 'fn': fn, 'inputs': [x.spec() for x in ins],
        'args': [a.spec() if isinstance(a, In) else enc_arg(a) for a in args],
        'kwargs': {k: (v.spec() if isinstance(v, In) else enc_arg(v)) for k, v in kwargs.items()},
    }
    if seed is not None:
        case['seed'] = seed
    if any(x.clone for x in ins):
        case['inplace'] = out is fed[0]
    backward_and_record(out, case, leaves, kw_leaves, torch.Generator().manual_seed(gen_seed))
    if 'param_grads' in case:
        case['kwarg_grads'] = case.pop('param_grads')
    # Inputs changed in place by the call (embedding's max_norm renormalises weight rows).
    if after:
        case['after'] = {str(i): enc(leaves[i][1]) for i in after}
    return case
