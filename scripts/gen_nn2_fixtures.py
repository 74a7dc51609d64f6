#!/usr/bin/python3
"""Write fixtures/nn2/*.json: PyTorch 1.13's answers for @kindling/nn part 2 (handbook 5.2 convolution,
5.3 pooling, 5.6 recurrent layers, 5.7 attention and Transformers, 14.4 sequence packing, 15.2 CNN).

Run with Debian's python3-torch (the oracle): /usr/bin/python3 scripts/gen_nn2_fixtures.py

A case names a module (constructor args and snake_case kwargs) or an F function, the module's
state_dict (so Kindling loads the same weights), the forward inputs and keyword args, every output
tensor (tuples flattened in order; a PackedSequence as its four tensors), the upstream gradients fed to
backward (one per float output) and the resulting input and parameter gradients. Cases with dropout
record the seed given to torch.manual_seed right before the forward; Kindling's generator reproduces
PyTorch's CPU streams, so its masks match.

F.scaled_dot_product_attention is PyTorch 2 API; 1.13 lacks it, so its cases are computed with the
reference implementation from the PyTorch 2 documentation (which is what the fused kernels compute).
"""
import json
import math
import os
import re
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pack_sequence, pad_packed_sequence, pad_sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nn_fixture_lib import enc, enc_arg  # noqa: E402

warnings.simplefilter('ignore')
torch.set_num_threads(1)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'nn2')

G = torch.Generator().manual_seed(20240602)


def randn(*shape, dtype=torch.float32):
    return torch.randn(*shape, generator=G, dtype=dtype)


def rand(*shape, dtype=torch.float32):
    return torch.rand(*shape, generator=G, dtype=dtype)


BIG = 4096
SAMPLES = 1024


def encb(t):
    """A tensor as {dtype, shape, values}; one of more than BIG float elements as a sample (every
    stride-th value, stride = ceil(n / SAMPLES)) plus its float64 sum and sum of absolute values."""
    t = t.detach()
    if t.numel() <= BIG or not t.is_floating_point():
        return enc(t)
    flat = t.reshape(-1).double()
    stride = math.ceil(flat.numel() / SAMPLES)
    return {'dtype': enc(t[:0])['dtype'], 'shape': list(t.shape), 'stride': stride,
            'sample': flat[::stride].tolist(), 'sum': flat.sum().item(), 'asum': flat.abs().sum().item()}


def seeded_state(m, seed, scale):
    """Give every parameter randn(shape, generator=manual_seed(seed)) * scale, in named_parameters order."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for _, p in m.named_parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=p.dtype) * scale)


def write(name, cases, **extra):
    os.makedirs(OUT, exist_ok=True)
    body = {'area': name, 'torch': torch.__version__, **extra, 'cases': cases}
    with open(os.path.join(OUT, f'{name}.json'), 'w') as f:
        json.dump(body, f, separators=(',', ':'))
        f.write('\n')
    print(f'{name}: {len(cases)} cases')


class Mod:
    """A module argument (TransformerEncoder's layer, a norm, an activation): built in PyTorch and
    written as {"module": name, "args": [...], "kwargs": {...}} for Kindling to build the same way."""

    def __init__(self, name, *args, **kwargs):
        self.name, self.args, self.kwargs = name, args, kwargs

    def build(self):
        return getattr(nn, self.name)(*[build(a) for a in self.args], **{k: build(v) for k, v in self.kwargs.items()})


def build(x):
    return x.build() if isinstance(x, Mod) else x


class In:
    """A forward argument; tensors with grad=True are leaves whose gradients are recorded."""

    def __init__(self, value, grad=False):
        self.value = value
        self.grad = grad


def spec(x, memo=None):
    """An argument as JSON: tensors {"tensor": …} (with "grad" when recorded), PackedSequence
    {"packed": […4 tensors]}, modules {"module": …}, lists recursively, everything else as it is.
    An In passed more than once (self-attention's query, key and value) is written once with an
    "id", then as {"ref": id}: the same tensor object in both libraries."""
    memo = {} if memo is None else memo
    if isinstance(x, Mod):
        return {'module': x.name, 'args': spec(list(x.args)), 'kwargs': spec(x.kwargs)}
    if isinstance(x, In):
        if id(x) in memo:
            return {'ref': memo[id(x)]}
        memo[id(x)] = len(memo)
        s = spec(x.value)
        s['id'] = memo[id(x)]
        if x.grad:
            s['grad'] = True
        return s
    if isinstance(x, PackedSequence):
        return {'packed': [enc(x.data), enc(x.batch_sizes), None if x.sorted_indices is None else enc(x.sorted_indices),
                           None if x.unsorted_indices is None else enc(x.unsorted_indices)]}
    if isinstance(x, torch.Tensor):
        return {'tensor': enc(x)}
    if isinstance(x, (list, tuple)):
        return [spec(v, memo) for v in x]
    if isinstance(x, dict):
        return {k: spec(v, memo) for k, v in x.items()}
    return enc_arg(x)


def live(x, leaves, memo=None):
    """The value fed to PyTorch: fresh leaves for recorded tensors (collected in order); an In passed
    twice gives the same tensor twice."""
    memo = {} if memo is None else memo
    if isinstance(x, In):
        if id(x) in memo:
            return memo[id(x)]
        memo[id(x)] = v = live_in(x, leaves, memo)
        return v
    if isinstance(x, (list, tuple)):
        return type(x)(live(v, leaves, memo) for v in x)
    if isinstance(x, dict):
        return {k: live(v, leaves, memo) for k, v in x.items()}
    return x


def live_in(x, leaves, memo):
    if isinstance(x.value, torch.Tensor):
        t = x.value.detach().clone().requires_grad_(x.grad)
        if x.grad:
            leaves.append(t)
        return t
    if isinstance(x.value, PackedSequence):
        p = x.value
        data = p.data.detach().clone().requires_grad_(x.grad)
        if x.grad:
            leaves.append(data)
        return PackedSequence(data, p.batch_sizes, p.sorted_indices, p.unsorted_indices)
    return live(x.value, leaves, memo)


def flatten(out):
    """Output tensors in order: tuples flattened, a PackedSequence as (data, batch_sizes, sorted, unsorted)."""
    if isinstance(out, PackedSequence):
        return [out.data, out.batch_sizes, out.sorted_indices, out.unsorted_indices]
    if isinstance(out, torch.Tensor):
        return [out]
    if out is None:
        return [None]
    res = []
    for o in out:
        res.extend(flatten(o))
    return res


def record(case, out, leaves, params, gen_seed):
    outs = flatten(out)
    case['outputs'] = [None if o is None else encb(o) for o in outs]
    gen = torch.Generator().manual_seed(gen_seed)
    diff = [(i, o) for i, o in enumerate(outs) if o is not None and o.requires_grad]
    if not diff:
        return
    gs = [torch.randn(o.shape, generator=gen, dtype=o.dtype) for _, o in diff]
    case['grad_outputs'] = {str(i): enc(g) for (i, _), g in zip(diff, gs)}
    torch.autograd.backward([o for _, o in diff], gs)
    case['grads'] = [None if t.grad is None else encb(t.grad) for t in leaves]
    pg = {}
    for name, p in params:
        if p.requires_grad:
            pg[name] = None if p.grad is None else encb(p.grad)
    if pg:
        case['param_grads'] = pg


def mcase(cid, name, args=(), kwargs=None, inputs=(), fkwargs=None, *, train=True, seed=None, construct_seed=0,
          gen_seed=1234, module=None, state_after=False, extra=None, state_seed=None):
    """nn.<name>(*args, **kwargs) built after torch.manual_seed(construct_seed), run on inputs. With
    state_seed=(seed, scale) the parameters are seeded_state's instead of stored in the case."""
    kwargs = kwargs or {}
    fkwargs = fkwargs or {}
    torch.manual_seed(construct_seed)
    m = module() if module is not None else Mod(name, *args, **kwargs).build()
    case = {'id': cid, 'module': name, 'args': spec(list(args)), 'kwargs': spec(kwargs), 'train': train}
    if state_seed is None:
        case['state'] = {k: enc(v) for k, v in m.state_dict().items()}
    else:
        seeded_state(m, *state_seed)
        case['state_seed'] = list(state_seed)
    m.train(train)
    leaves, lm, sm = [], {}, {}
    fed = [live(x, leaves, lm) for x in inputs]
    fk = {k: live(v, leaves, lm) for k, v in fkwargs.items()}
    case['inputs'] = [spec(x, sm) for x in inputs]
    case['fkwargs'] = {k: spec(v, sm) for k, v in fkwargs.items()}
    if seed is not None:
        torch.manual_seed(seed)
        case['seed'] = seed
    out = m(*fed, **fk)
    record(case, out, leaves, list(m.named_parameters()), gen_seed)
    if state_after:
        case['state_after'] = {k: encb(v) for k, v in m.state_dict().items()}
    if extra:
        case.update(extra)
    return case


RNN_UTILS = {'pad_sequence': pad_sequence, 'pack_padded_sequence': pack_padded_sequence, 'pad_packed_sequence': pad_packed_sequence,
             'pack_sequence': pack_sequence}


def fcase(cid, fn, inputs=(), kwargs=None, *, seed=None, gen_seed=4321, impl=None):
    """F.<fn>(*inputs, **kwargs) (or impl(...) for API that 1.13 lacks)."""
    kwargs = kwargs or {}
    leaves, lm, sm = [], {}, {}
    fed = [live(x, leaves, lm) for x in inputs]
    fk = {k: live(v, leaves, lm) for k, v in kwargs.items()}
    case = {'id': cid, 'fn': fn, 'inputs': [spec(x, sm) for x in inputs], 'kwargs': {k: spec(v, sm) for k, v in kwargs.items()}}
    if seed is not None:
        torch.manual_seed(seed)
        case['seed'] = seed
    out = (impl or getattr(F, fn, None) or RNN_UTILS[fn])(*fed, **fk)
    record(case, out, leaves, [], gen_seed)
    return case


def ecase(cid, call, fn, *args, **kwargs):
    """An error case: the call (run in PyTorch to make sure it raises) and the message's start."""
    try:
        call()
    except Exception as e:  # noqa: BLE001
        msg = str(e).split('\n')[0]
        # A Python set in the message prints in hash order, which varies between runs: sort it.
        msg = re.sub(r"\{('[^']*'(?:, '[^']*')*)\}", lambda m: '{' + ', '.join(sorted(m.group(1).split(', '))) + '}', msg)
        return {'id': cid, 'fn': fn, 'message': msg}
    raise AssertionError(f'{cid} did not raise')


# ---------------------------------------------------------------------------------------------------
# 5.2 convolution, F.pad, unfold/fold


def conv_cases():
    c = []
    X = lambda *s: In(randn(*s), grad=True)  # noqa: E731
    c.append(mcase('Conv1d/basic', 'Conv1d', (3, 4, 3), {}, [X(2, 3, 10)]))
    c.append(mcase('Conv1d/stride-pad-dil', 'Conv1d', (2, 4, 3), {'stride': 2, 'padding': 2, 'dilation': 2}, [X(2, 2, 11)]))
    c.append(mcase('Conv1d/same-even', 'Conv1d', (2, 3, 4), {'padding': 'same'}, [X(2, 2, 9)]))
    c.append(mcase('Conv1d/valid', 'Conv1d', (2, 3, 3), {'padding': 'valid', 'bias': False}, [X(1, 2, 7)]))
    c.append(mcase('Conv1d/unbatched', 'Conv1d', (2, 3, 2), {}, [X(2, 6)]))
    for mode in ('reflect', 'replicate', 'circular'):
        c.append(mcase(f'Conv1d/{mode}', 'Conv1d', (2, 3, 3), {'padding': 2, 'padding_mode': mode}, [X(2, 2, 6)]))
    c.append(mcase('Conv2d/basic', 'Conv2d', (3, 5, 3), {}, [X(2, 3, 7, 6)]))
    c.append(mcase('Conv2d/pad1', 'Conv2d', (3, 4, 3), {'padding': 1}, [X(2, 3, 6, 6)]))
    c.append(mcase('Conv2d/tuple-args', 'Conv2d', (2, 4, (3, 2)), {'stride': (2, 1), 'padding': (1, 2), 'dilation': (1, 2)}, [X(2, 2, 7, 8)]))
    c.append(mcase('Conv2d/same', 'Conv2d', (2, 3, (3, 4)), {'padding': 'same', 'dilation': (2, 1)}, [X(1, 2, 7, 6)]))
    c.append(mcase('Conv2d/valid-no-bias', 'Conv2d', (2, 3, 2), {'padding': 'valid', 'bias': False}, [X(2, 2, 4, 5)]))
    c.append(mcase('Conv2d/groups', 'Conv2d', (4, 6, 3), {'groups': 2, 'padding': 1}, [X(2, 4, 5, 5)]))
    c.append(mcase('Conv2d/depthwise', 'Conv2d', (4, 4, 3), {'groups': 4, 'padding': 1}, [X(2, 4, 5, 6)]))
    c.append(mcase('Conv2d/depthwise-multiplier', 'Conv2d', (3, 6, 3), {'groups': 3, 'stride': 2}, [X(2, 3, 7, 7)]))
    c.append(mcase('Conv2d/pointwise', 'Conv2d', (4, 5, 1), {}, [X(2, 4, 3, 3)]))
    c.append(mcase('Conv2d/unbatched', 'Conv2d', (2, 3, 3), {'padding': 1}, [X(2, 4, 4)]))
    c.append(mcase('Conv2d/float64', 'Conv2d', (2, 3, 3), {'dtype': torch.float64}, [In(randn(2, 2, 5, 5, dtype=torch.float64), grad=True)]))
    for mode in ('reflect', 'replicate', 'circular'):
        c.append(mcase(f'Conv2d/{mode}', 'Conv2d', (2, 3, 3), {'padding': (1, 2), 'padding_mode': mode}, [X(2, 2, 5, 6)]))
    c.append(mcase('Conv2d/reflect-same', 'Conv2d', (2, 2, 4), {'padding': 'same', 'padding_mode': 'reflect'}, [X(1, 2, 6, 6)]))
    c.append(mcase('Conv3d/basic', 'Conv3d', (2, 3, 2), {}, [X(2, 2, 4, 5, 4)]))
    c.append(mcase('Conv3d/stride-pad', 'Conv3d', (2, 4, 3), {'stride': (1, 2, 2), 'padding': 1, 'groups': 2}, [X(1, 2, 4, 5, 5)]))
    c.append(mcase('Conv3d/circular', 'Conv3d', (1, 2, 3), {'padding': 1, 'padding_mode': 'circular'}, [X(1, 1, 4, 4, 4)]))
    c.append(mcase('ConvTranspose1d/basic', 'ConvTranspose1d', (3, 2, 3), {}, [X(2, 3, 5)]))
    c.append(mcase('ConvTranspose1d/stride-pad-outpad', 'ConvTranspose1d', (2, 3, 3), {'stride': 3, 'padding': 1, 'output_padding': 2}, [X(2, 2, 4)]))
    c.append(mcase('ConvTranspose2d/basic', 'ConvTranspose2d', (3, 2, 3), {}, [X(2, 3, 4, 4)]))
    c.append(mcase('ConvTranspose2d/upsample', 'ConvTranspose2d', (4, 2, 4), {'stride': 2, 'padding': 1}, [X(2, 4, 3, 4)]))
    c.append(mcase('ConvTranspose2d/groups-dilation', 'ConvTranspose2d', (4, 6, 3), {'stride': 2, 'groups': 2, 'dilation': 2, 'output_padding': 1, 'bias': False}, [X(1, 4, 3, 3)]))
    c.append(mcase('ConvTranspose2d/unbatched', 'ConvTranspose2d', (2, 3, 2), {'stride': 2}, [X(2, 3, 3)]))
    c.append(mcase('ConvTranspose2d/output-size', 'ConvTranspose2d', (2, 3, 3), {'stride': 2, 'padding': 1}, [X(1, 2, 4, 4)], {'output_size': [8, 8]}))
    c.append(mcase('ConvTranspose2d/output-size-full', 'ConvTranspose2d', (2, 3, 3), {'stride': 3}, [X(1, 2, 3, 3)], {'output_size': [1, 3, 10, 11]}))
    c.append(mcase('ConvTranspose3d/basic', 'ConvTranspose3d', (2, 2, 2), {'stride': 2}, [X(1, 2, 2, 3, 2)]))
    c.append(mcase('ConvTranspose3d/pad', 'ConvTranspose3d', (2, 3, 3), {'stride': (1, 2, 2), 'padding': 1, 'output_padding': (0, 1, 1)}, [X(1, 2, 3, 3, 3)]))
    c.append(mcase('Unfold/basic', 'Unfold', ((2, 3),), {}, [X(2, 3, 4, 5)]))
    c.append(mcase('Unfold/all-args', 'Unfold', (3,), {'dilation': 2, 'padding': 1, 'stride': 2}, [X(1, 2, 7, 6)]))
    c.append(mcase('Fold/basic', 'Fold', ((4, 5), (2, 2)), {}, [X(2, 12, 12)]))
    c.append(mcase('Fold/all-args', 'Fold', ((6, 5), 3), {'dilation': (1, 2), 'padding': 1, 'stride': (2, 1)}, [X(1, 18, 3 * 3)]))
    # F forms
    c.append(fcase('F.conv2d/bias-stride', 'conv2d', [X(2, 4, 6, 6), X(6, 2, 3, 3), X(6)], {'stride': 2, 'padding': 1, 'groups': 2}))
    c.append(fcase('F.conv1d/basic', 'conv1d', [X(2, 3, 8), X(4, 3, 3)], {'dilation': 2}))
    c.append(fcase('F.conv3d/basic', 'conv3d', [X(1, 2, 3, 4, 4), X(2, 2, 2, 2, 2)], {'padding': 'same'}))
    c.append(fcase('F.conv_transpose2d/basic', 'conv_transpose2d', [X(2, 3, 3, 3), X(3, 2, 3, 3), X(2)], {'stride': 2, 'output_padding': 1}))
    c.append(fcase('F.conv_transpose1d/basic', 'conv_transpose1d', [X(2, 2, 4), X(2, 3, 2)], {'stride': 2, 'dilation': 2}))
    c.append(fcase('F.conv_transpose3d/basic', 'conv_transpose3d', [X(1, 2, 2, 2, 2), X(2, 1, 2, 2, 2)], {'stride': 2}))
    c.append(fcase('F.unfold/basic', 'unfold', [X(2, 2, 5, 5)], {'kernel_size': 3, 'padding': 1, 'stride': 2}))
    c.append(fcase('F.fold/basic', 'fold', [X(2, 8, 9)], {'output_size': (4, 4), 'kernel_size': 2, 'padding': 0, 'stride': 1}))
    pads = [
        ('constant-1d', (2, 3, 4), (1, 2), {}),
        ('constant-value', (2, 3, 4), (1, 0, 2, 1), {'value': 1.5}),
        ('constant-negative', (2, 3, 5), (-1, 2, 0, -1), {}),
        ('constant-3dims', (2, 2, 3, 3), (1, 1, 0, 2, 1, 0), {}),
        ('reflect-1d', (2, 3, 5), (2, 3), {'mode': 'reflect'}),
        ('reflect-2d', (1, 2, 4, 5), (1, 2, 3, 1), {'mode': 'reflect'}),
        ('reflect-2d-unbatched', (2, 4, 5), (2, 2, 1, 1), {'mode': 'reflect'}),
        ('reflect-3d', (1, 1, 3, 3, 4), (1, 1, 2, 0, 1, 2), {'mode': 'reflect'}),
        ('replicate-1d', (2, 2, 3), (3, 1), {'mode': 'replicate'}),
        ('replicate-2d', (1, 2, 3, 3), (2, 1, 0, 3), {'mode': 'replicate'}),
        ('replicate-3d', (1, 1, 2, 3, 2), (1, 2, 1, 0, 2, 1), {'mode': 'replicate'}),
        ('circular-1d', (2, 2, 5), (2, 3), {'mode': 'circular'}),
        ('circular-2d', (1, 2, 4, 3), (1, 2, 3, 1), {'mode': 'circular'}),
        ('circular-3d', (1, 1, 3, 3, 3), (1, 1, 1, 2, 2, 0), {'mode': 'circular'}),
        ('circular-negative', (1, 1, 6), (-1, 2), {'mode': 'circular'}),
    ]
    for name, shape, pad, kw in pads:
        c.append(fcase(f'F.pad/{name}', 'pad', [X(*shape), list(pad)], kw))
    return c


def pool_cases():
    c = []
    X = lambda *s: In(randn(*s), grad=True)  # noqa: E731
    c.append(mcase('MaxPool1d/basic', 'MaxPool1d', (3,), {}, [X(2, 3, 10)]))
    c.append(mcase('MaxPool1d/all', 'MaxPool1d', (3,), {'stride': 2, 'padding': 1, 'dilation': 2, 'ceil_mode': True, 'return_indices': True}, [X(2, 2, 11)]))
    c.append(mcase('MaxPool2d/basic', 'MaxPool2d', (2,), {'stride': 2}, [X(2, 3, 6, 6)]))
    c.append(mcase('MaxPool2d/indices', 'MaxPool2d', (2,), {'stride': 2, 'return_indices': True}, [X(2, 3, 6, 5)]))
    c.append(mcase('MaxPool2d/pad-ceil', 'MaxPool2d', (3,), {'stride': 2, 'padding': 1, 'ceil_mode': True, 'return_indices': True}, [X(1, 2, 8, 7)]))
    c.append(mcase('MaxPool2d/dilation', 'MaxPool2d', ((2, 3),), {'stride': (1, 2), 'dilation': (2, 1), 'return_indices': True}, [X(2, 2, 7, 9)]))
    c.append(mcase('MaxPool2d/overlap', 'MaxPool2d', (3,), {'stride': 1}, [X(1, 2, 5, 5)]))
    c.append(mcase('MaxPool2d/unbatched', 'MaxPool2d', (2,), {'return_indices': True}, [X(3, 4, 4)]))
    c.append(mcase('MaxPool2d/ties-after-relu', 'MaxPool2d', (2,), {'return_indices': True}, [In(torch.relu(randn(2, 2, 6, 6)) * (randn(2, 2, 6, 6) > 0.8).float(), grad=True)]))
    c.append(mcase('MaxPool3d/basic', 'MaxPool3d', (2,), {'return_indices': True}, [X(1, 2, 4, 4, 6)]))
    c.append(mcase('MaxPool3d/pad-ceil', 'MaxPool3d', (3,), {'stride': 2, 'padding': 1, 'ceil_mode': True}, [X(1, 1, 5, 6, 5)]))
    c.append(mcase('AvgPool1d/basic', 'AvgPool1d', (3,), {}, [X(2, 3, 10)]))
    c.append(mcase('AvgPool1d/pad-exclude', 'AvgPool1d', (4,), {'stride': 2, 'padding': 2, 'count_include_pad': False, 'ceil_mode': True}, [X(2, 2, 9)]))
    c.append(mcase('AvgPool2d/basic', 'AvgPool2d', (2,), {}, [X(2, 3, 6, 6)]))
    c.append(mcase('AvgPool2d/pad-include', 'AvgPool2d', (3,), {'stride': 2, 'padding': 1}, [X(2, 2, 7, 6)]))
    c.append(mcase('AvgPool2d/pad-exclude-ceil', 'AvgPool2d', (3,), {'stride': 2, 'padding': 1, 'ceil_mode': True, 'count_include_pad': False}, [X(1, 2, 8, 7)]))
    c.append(mcase('AvgPool2d/ceil-include', 'AvgPool2d', ((3, 2),), {'stride': (2, 3), 'padding': (1, 1), 'ceil_mode': True}, [X(1, 2, 8, 8)]))
    c.append(mcase('AvgPool2d/divisor', 'AvgPool2d', (2,), {'divisor_override': 3}, [X(2, 2, 4, 6)]))
    c.append(mcase('AvgPool2d/unbatched', 'AvgPool2d', (2,), {'stride': 1}, [X(2, 3, 3)]))
    c.append(mcase('AvgPool3d/basic', 'AvgPool3d', (2,), {'stride': 2}, [X(1, 2, 4, 4, 4)]))
    c.append(mcase('AvgPool3d/pad-divisor', 'AvgPool3d', (3,), {'stride': 2, 'padding': 1, 'divisor_override': 5, 'ceil_mode': True}, [X(1, 1, 5, 6, 5)]))
    c.append(mcase('AvgPool3d/exclude', 'AvgPool3d', (3,), {'stride': 2, 'padding': 1, 'count_include_pad': False}, [X(1, 1, 5, 5, 4)]))
    c.append(mcase('AdaptiveAvgPool1d/basic', 'AdaptiveAvgPool1d', (4,), {}, [X(2, 3, 10)]))
    c.append(mcase('AdaptiveAvgPool1d/upsample', 'AdaptiveAvgPool1d', (7,), {}, [X(2, 2, 5)]))
    c.append(mcase('AdaptiveAvgPool2d/global', 'AdaptiveAvgPool2d', ((1, 1),), {}, [X(2, 3, 5, 6)]))
    c.append(mcase('AdaptiveAvgPool2d/int', 'AdaptiveAvgPool2d', (1,), {}, [X(2, 3, 4, 4)]))
    c.append(mcase('AdaptiveAvgPool2d/uneven', 'AdaptiveAvgPool2d', ((3, 4),), {}, [X(2, 2, 7, 9)]))
    c.append(mcase('AdaptiveAvgPool2d/none', 'AdaptiveAvgPool2d', ((None, 3),), {}, [X(1, 2, 5, 7)]))
    c.append(mcase('AdaptiveAvgPool2d/unbatched', 'AdaptiveAvgPool2d', (2,), {}, [X(3, 5, 5)]))
    c.append(mcase('AdaptiveAvgPool3d/basic', 'AdaptiveAvgPool3d', ((2, 3, 2),), {}, [X(1, 2, 5, 7, 4)]))
    c.append(mcase('AdaptiveMaxPool1d/basic', 'AdaptiveMaxPool1d', (4,), {'return_indices': True}, [X(2, 3, 10)]))
    c.append(mcase('AdaptiveMaxPool2d/basic', 'AdaptiveMaxPool2d', ((3, 4),), {}, [X(2, 2, 7, 9)]))
    c.append(mcase('AdaptiveMaxPool2d/indices', 'AdaptiveMaxPool2d', (3,), {'return_indices': True}, [X(2, 2, 8, 5)]))
    c.append(mcase('AdaptiveMaxPool2d/global', 'AdaptiveMaxPool2d', (1,), {'return_indices': True}, [X(1, 3, 4, 4)]))
    c.append(mcase('AdaptiveMaxPool2d/upsample', 'AdaptiveMaxPool2d', ((5, 2),), {'return_indices': True}, [X(1, 2, 3, 4)]))
    # MaxUnpool2d after MaxPool2d(return_indices=True)
    x = randn(2, 2, 6, 6)
    y, idx = F.max_pool2d(x, 2, stride=2, return_indices=True)
    c.append(mcase('MaxUnpool2d/basic', 'MaxUnpool2d', (2,), {'stride': 2}, [In(y, grad=True), idx]))
    x = randn(1, 2, 7, 7)
    y, idx = F.max_pool2d(x, 2, stride=2, return_indices=True)
    c.append(mcase('MaxUnpool2d/output-size', 'MaxUnpool2d', (2,), {'stride': 2}, [In(y, grad=True), idx], {'output_size': [7, 7]}))
    x = randn(1, 1, 5, 5)
    y, idx = F.max_pool2d(x, 3, stride=2, padding=1, return_indices=True)
    c.append(mcase('MaxUnpool2d/pad', 'MaxUnpool2d', (3,), {'stride': 2, 'padding': 1}, [In(y, grad=True), idx]))
    # F forms
    c.append(fcase('F.max_pool2d/basic', 'max_pool2d', [X(2, 2, 5, 5), 3], {'stride': 2, 'padding': 1}))
    c.append(fcase('F.max_pool2d/indices', 'max_pool2d', [X(1, 2, 4, 4), 2], {'return_indices': True}))
    c.append(fcase('F.avg_pool2d/basic', 'avg_pool2d', [X(2, 2, 5, 5), 3], {'stride': 2, 'padding': 1, 'count_include_pad': False}))
    c.append(fcase('F.avg_pool1d/basic', 'avg_pool1d', [X(2, 2, 7), 2]))
    c.append(fcase('F.adaptive_avg_pool2d/basic', 'adaptive_avg_pool2d', [X(2, 2, 5, 7), (2, 3)]))
    c.append(fcase('F.adaptive_max_pool2d/basic', 'adaptive_max_pool2d', [X(2, 2, 5, 7), (2, 3)], {'return_indices': True}))
    c.append(fcase('F.max_pool1d/basic', 'max_pool1d', [X(2, 2, 9), 3], {'stride': 2, 'ceil_mode': True}))
    c.append(fcase('F.max_pool3d/basic', 'max_pool3d', [X(1, 2, 4, 4, 4), 2]))
    c.append(fcase('F.avg_pool3d/basic', 'avg_pool3d', [X(1, 2, 4, 4, 4), 2], {'divisor_override': 3}))
    x = randn(1, 2, 4, 4)
    y, idx = F.max_pool2d(x, 2, return_indices=True)
    c.append(fcase('F.max_unpool2d/basic', 'max_unpool2d', [In(y, grad=True), idx, 2]))
    return c


# ---------------------------------------------------------------------------------------------------
# 5.6 recurrent layers, 14.4 packing


def packed_input(lengths, feat, batch_first=False, enforce_sorted=False):
    seqs = [randn(n, feat) for n in lengths]
    padded = pad_sequence(seqs, batch_first=batch_first)
    return pack_padded_sequence(padded, torch.tensor(lengths), batch_first=batch_first, enforce_sorted=enforce_sorted)


def rnn_cases():
    c = []
    X = lambda *s: In(randn(*s), grad=True)  # noqa: E731
    c.append(mcase('RNN/tanh', 'RNN', (4, 5), {}, [X(6, 3, 4)]))
    c.append(mcase('RNN/relu-2-layers', 'RNN', (4, 5, 2), {'nonlinearity': 'relu'}, [X(5, 2, 4)]))
    c.append(mcase('RNN/positional-no-bias', 'RNN', (3, 4, 1, False), {'nonlinearity': 'relu'}, [X(4, 2, 3)]))
    c.append(mcase('RNN/bidirectional-batch-first-h0', 'RNN', (3, 4), {'num_layers': 2, 'bidirectional': True, 'batch_first': True}, [X(2, 5, 3), X(4, 2, 4)]))
    c.append(mcase('RNN/unbatched', 'RNN', (3, 4), {'num_layers': 2}, [X(5, 3), X(2, 4)]))
    c.append(mcase('LSTM/basic', 'LSTM', (4, 5), {}, [X(6, 3, 4)]))
    c.append(mcase('LSTM/2-layer-bidirectional', 'LSTM', (6, 5), {'num_layers': 2, 'bidirectional': True}, [X(7, 3, 6)]))
    c.append(mcase('LSTM/2-layer-bidirectional-batch-first-h0c0', 'LSTM', (4, 6), {'num_layers': 2, 'bidirectional': True, 'batch_first': True},
                   [X(3, 5, 4), (X(4, 3, 6), X(4, 3, 6))]))
    c.append(mcase('LSTM/proj', 'LSTM', (4, 6), {'proj_size': 3, 'num_layers': 2}, [X(5, 2, 4)]))
    c.append(mcase('LSTM/proj-bidirectional-h0', 'LSTM', (4, 6), {'proj_size': 2, 'bidirectional': True}, [X(5, 2, 4), (X(2, 2, 2), X(2, 2, 6))]))
    c.append(mcase('LSTM/no-bias', 'LSTM', (3, 4), {'bias': False}, [X(4, 2, 3)]))
    c.append(mcase('LSTM/unbatched', 'LSTM', (3, 4), {}, [X(5, 3), (X(1, 4), X(1, 4))]))
    c.append(mcase('LSTM/dropout-train', 'LSTM', (4, 5), {'num_layers': 3, 'dropout': 0.5}, [X(6, 3, 4)], seed=77))
    c.append(mcase('LSTM/dropout-eval', 'LSTM', (4, 5), {'num_layers': 2, 'dropout': 0.5}, [X(6, 3, 4)], train=False))
    c.append(mcase('LSTM/float64', 'LSTM', (3, 4), {'dtype': torch.float64}, [In(randn(5, 2, 3, dtype=torch.float64), grad=True)]))
    c.append(mcase('GRU/basic', 'GRU', (4, 5), {}, [X(6, 3, 4)]))
    c.append(mcase('GRU/2-layer-bidirectional', 'GRU', (4, 5), {'num_layers': 2, 'bidirectional': True}, [X(5, 3, 4)]))
    c.append(mcase('GRU/batch-first-h0', 'GRU', (3, 4), {'batch_first': True, 'num_layers': 2}, [X(2, 6, 3), X(2, 2, 4)]))
    c.append(mcase('GRU/unbatched', 'GRU', (3, 4), {'bidirectional': True}, [X(4, 3)]))
    # packed input
    c.append(mcase('LSTM/packed-unsorted', 'LSTM', (3, 4), {'num_layers': 2, 'bidirectional': True}, [In(packed_input([3, 5, 2, 5], 3), grad=True)]))
    c.append(mcase('LSTM/packed-h0', 'LSTM', (3, 4), {}, [In(packed_input([2, 4, 3], 3), grad=True), (X(1, 3, 4), X(1, 3, 4))]))
    c.append(mcase('LSTM/packed-proj-batch-first', 'LSTM', (3, 5), {'proj_size': 2, 'batch_first': True, 'bidirectional': True},
                   [In(packed_input([4, 1, 3], 3, batch_first=True), grad=True)]))
    c.append(mcase('GRU/packed-sorted', 'GRU', (3, 4), {'num_layers': 2}, [In(packed_input([5, 3, 3, 1], 3, enforce_sorted=True), grad=True)]))
    c.append(mcase('GRU/packed-bidirectional-h0', 'GRU', (3, 4), {'bidirectional': True}, [In(packed_input([2, 6, 4], 3), grad=True), X(2, 3, 4)]))
    c.append(mcase('RNN/packed-bidirectional', 'RNN', (3, 4), {'bidirectional': True, 'num_layers': 2}, [In(packed_input([3, 1, 4, 2], 3), grad=True)]))
    # cells
    c.append(mcase('RNNCell/tanh', 'RNNCell', (4, 5), {}, [X(3, 4), X(3, 5)]))
    c.append(mcase('RNNCell/relu-no-hx', 'RNNCell', (4, 5), {'nonlinearity': 'relu'}, [X(3, 4)]))
    c.append(mcase('RNNCell/unbatched', 'RNNCell', (4, 5), {'bias': False}, [X(4), X(5)]))
    c.append(mcase('LSTMCell/basic', 'LSTMCell', (4, 5), {}, [X(3, 4), (X(3, 5), X(3, 5))]))
    c.append(mcase('LSTMCell/no-hx', 'LSTMCell', (4, 5), {}, [X(2, 4)]))
    c.append(mcase('LSTMCell/unbatched', 'LSTMCell', (4, 5), {}, [X(4), (X(5), X(5))]))
    c.append(mcase('GRUCell/basic', 'GRUCell', (4, 5), {}, [X(3, 4), X(3, 5)]))
    c.append(mcase('GRUCell/no-bias', 'GRUCell', (4, 5), {'bias': False}, [X(3, 4)]))
    return c


def rnn_utils_cases():
    c = []
    X = lambda *s: In(randn(*s), grad=True)  # noqa: E731
    seqs = [X(3, 2), X(5, 2), X(1, 2)]
    c.append(fcase('pad_sequence/default', 'pad_sequence', [seqs]))
    c.append(fcase('pad_sequence/batch-first-value', 'pad_sequence', [[X(2), X(4), X(3)]], {'batch_first': True, 'padding_value': -1.5}))
    padded = randn(5, 4, 3)
    c.append(fcase('pack_padded_sequence/sorted', 'pack_padded_sequence', [In(padded, grad=True), [5, 4, 2, 1]]))
    c.append(fcase('pack_padded_sequence/unsorted-ties', 'pack_padded_sequence', [In(padded, grad=True), torch.tensor([3, 2, 5, 2])], {'enforce_sorted': False}))
    c.append(fcase('pack_padded_sequence/batch-first', 'pack_padded_sequence', [In(randn(3, 4, 2), grad=True), [2, 4, 3]], {'batch_first': True, 'enforce_sorted': False}))
    c.append(fcase('pad_packed_sequence/unsorted', 'pad_packed_sequence', [In(packed_input([2, 4, 1, 3], 2), grad=True)]))
    c.append(fcase('pad_packed_sequence/batch-first-total', 'pad_packed_sequence', [In(packed_input([2, 3], 2), grad=True)], {'batch_first': True, 'total_length': 5, 'padding_value': 9.0}))
    c.append(fcase('pack_sequence/sorted', 'pack_sequence', [[X(4, 3), X(3, 3), X(1, 3)]]))
    c.append(fcase('pack_sequence/unsorted', 'pack_sequence', [[X(2, 3), X(4, 3), X(3, 3)]], {'enforce_sorted': False}))
    return c


# ---------------------------------------------------------------------------------------------------
# 5.7 attention and Transformers


def sdpa_reference(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None):
    """F.scaled_dot_product_attention as PyTorch 2's documentation defines it (1.13 lacks it)."""
    L, S = query.size(-2), key.size(-2)
    scale_factor = 1 / math.sqrt(query.size(-1)) if scale is None else scale
    attn_bias = torch.zeros(L, S, dtype=query.dtype)
    if is_causal:
        assert attn_mask is None
        temp_mask = torch.ones(L, S, dtype=torch.bool).tril(diagonal=0)
        attn_bias = attn_bias.masked_fill(temp_mask.logical_not(), float('-inf'))
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            attn_bias = torch.zeros(attn_mask.shape, dtype=query.dtype).masked_fill(attn_mask.logical_not(), float('-inf'))
        else:
            attn_bias = attn_mask + attn_bias
    attn_weight = query @ key.transpose(-2, -1) * scale_factor
    attn_weight = attn_weight + attn_bias
    attn_weight = torch.softmax(attn_weight, dim=-1)
    if dropout_p > 0:
        attn_weight = torch.dropout(attn_weight, dropout_p, train=True)
    return attn_weight @ value


def attention_cases():
    c = []
    X = lambda *s: In(randn(*s), grad=True)  # noqa: E731
    x = X(4, 2, 6)
    c.append(mcase('MultiheadAttention/self', 'MultiheadAttention', (6, 2), {}, [x, x, x]))
    xb = X(2, 5, 8)
    c.append(mcase('MultiheadAttention/batch-first-self', 'MultiheadAttention', (8, 4), {'batch_first': True}, [xb, xb, xb]))
    q, kv = X(2, 3, 8), X(2, 5, 8)
    c.append(mcase('MultiheadAttention/batch-first-cross', 'MultiheadAttention', (8, 2), {'batch_first': True}, [q, kv, kv]))
    c.append(mcase('MultiheadAttention/kdim-vdim', 'MultiheadAttention', (6, 3), {'kdim': 4, 'vdim': 5}, [X(3, 2, 6), X(4, 2, 4), X(4, 2, 5)]))
    kpm = torch.tensor([[False, False, True, True, False], [False, True, False, False, False]])
    c.append(mcase('MultiheadAttention/key-padding-mask', 'MultiheadAttention', (8, 2), {'batch_first': True}, [q, kv, kv], {'key_padding_mask': kpm}))
    c.append(mcase('MultiheadAttention/float-key-padding-mask', 'MultiheadAttention', (8, 2), {'batch_first': True}, [q, kv, kv],
                   {'key_padding_mask': torch.where(kpm, -1e9, 0.0)}))
    causal = torch.triu(torch.ones(4, 4, dtype=torch.bool), 1)
    c.append(mcase('MultiheadAttention/bool-attn-mask', 'MultiheadAttention', (6, 2), {}, [x, x, x], {'attn_mask': causal}))
    c.append(mcase('MultiheadAttention/float-attn-mask-3d', 'MultiheadAttention', (6, 2), {}, [x, x, x], {'attn_mask': randn(4, 4, 4)}))
    c.append(mcase('MultiheadAttention/bool-masks-combined', 'MultiheadAttention', (8, 2), {'batch_first': True}, [q, kv, kv],
                   {'attn_mask': torch.tensor([[False, True, False, False, False]] * 3), 'key_padding_mask': kpm}))
    c.append(mcase('MultiheadAttention/float-mask-and-padding', 'MultiheadAttention', (8, 2), {'batch_first': True}, [q, kv, kv],
                   {'attn_mask': randn(3, 5), 'key_padding_mask': kpm}))
    c.append(mcase('MultiheadAttention/per-head-weights', 'MultiheadAttention', (6, 3), {}, [x, x, x], {'average_attn_weights': False}))
    c.append(mcase('MultiheadAttention/no-weights', 'MultiheadAttention', (6, 3), {}, [x, x, x], {'need_weights': False}))
    c.append(mcase('MultiheadAttention/add-bias-kv', 'MultiheadAttention', (6, 2), {'add_bias_kv': True}, [x, x, x], {'attn_mask': causal, 'key_padding_mask': torch.tensor([[False] * 3 + [True], [False] * 4])}))
    c.append(mcase('MultiheadAttention/add-zero-attn', 'MultiheadAttention', (6, 2), {'add_zero_attn': True}, [x, X(3, 2, 6), X(3, 2, 6)]))
    c.append(mcase('MultiheadAttention/no-bias', 'MultiheadAttention', (6, 2), {'bias': False}, [x, x, x]))
    c.append(mcase('MultiheadAttention/unbatched', 'MultiheadAttention', (6, 2), {}, [X(4, 6), X(3, 6), X(3, 6)], {'key_padding_mask': torch.tensor([False, True, False])}))
    c.append(mcase('MultiheadAttention/dropout-train', 'MultiheadAttention', (8, 2), {'dropout': 0.3, 'batch_first': True}, [xb, xb, xb], seed=5))
    c.append(mcase('MultiheadAttention/dropout-eval', 'MultiheadAttention', (8, 2), {'dropout': 0.3}, [X(4, 2, 8)] * 3, train=False))
    # F.scaled_dot_product_attention (PyTorch 2 semantics)
    qs, ks, vs = X(2, 3, 4, 8), X(2, 3, 6, 8), X(2, 3, 6, 5)
    c.append(fcase('F.scaled_dot_product_attention/basic', 'scaled_dot_product_attention', [qs, ks, vs], impl=sdpa_reference))
    c.append(fcase('F.scaled_dot_product_attention/bool-mask', 'scaled_dot_product_attention', [qs, ks, vs],
                   {'attn_mask': rand(2, 1, 4, 6) > 0.3}, impl=sdpa_reference))
    c.append(fcase('F.scaled_dot_product_attention/float-mask', 'scaled_dot_product_attention', [qs, ks, vs], {'attn_mask': randn(4, 6)}, impl=sdpa_reference))
    c.append(fcase('F.scaled_dot_product_attention/causal', 'scaled_dot_product_attention', [X(2, 5, 4), X(2, 5, 4), X(2, 5, 3)], {'is_causal': True}, impl=sdpa_reference))
    c.append(fcase('F.scaled_dot_product_attention/causal-rect', 'scaled_dot_product_attention', [X(1, 3, 4), X(1, 5, 4), X(1, 5, 4)], {'is_causal': True}, impl=sdpa_reference))
    c.append(fcase('F.scaled_dot_product_attention/scale', 'scaled_dot_product_attention', [qs, ks, vs], {'scale': 0.3}, impl=sdpa_reference))
    c.append(fcase('F.scaled_dot_product_attention/dropout', 'scaled_dot_product_attention', [qs, ks, vs], {'dropout_p': 0.4}, seed=11, impl=sdpa_reference))
    return c


def transformer_cases():
    c = []
    X = lambda *s: In(randn(*s), grad=True)  # noqa: E731
    src = X(5, 2, 8)
    c.append(mcase('TransformerEncoderLayer/eval', 'TransformerEncoderLayer', (8, 2), {'dim_feedforward': 16}, [src], train=False))
    c.append(mcase('TransformerEncoderLayer/norm-first-gelu-batch-first', 'TransformerEncoderLayer', (8, 2),
                   {'dim_feedforward': 16, 'norm_first': True, 'activation': 'gelu', 'batch_first': True}, [X(2, 5, 8)], train=False))
    c.append(mcase('TransformerEncoderLayer/gelu-module', 'TransformerEncoderLayer', (8, 4), {'dim_feedforward': 12, 'activation': Mod('GELU')}, [src], train=False))
    c.append(mcase('TransformerEncoderLayer/masks', 'TransformerEncoderLayer', (8, 2), {'dim_feedforward': 16}, [src],
                   {'src_mask': torch.triu(torch.full((5, 5), float('-inf')), 1), 'src_key_padding_mask': torch.tensor([[False] * 4 + [True], [False] * 5])}, train=False))
    c.append(mcase('TransformerEncoderLayer/dropout-train', 'TransformerEncoderLayer', (8, 2), {'dim_feedforward': 16, 'dropout': 0.2}, [src], seed=21))
    c.append(mcase('TransformerEncoderLayer/norm-first-dropout-train', 'TransformerEncoderLayer', (8, 2),
                   {'dim_feedforward': 16, 'dropout': 0.3, 'norm_first': True, 'batch_first': True}, [X(3, 4, 8)], seed=22))
    tgt, mem = X(4, 2, 8), X(5, 2, 8)
    c.append(mcase('TransformerDecoderLayer/eval', 'TransformerDecoderLayer', (8, 2), {'dim_feedforward': 16}, [tgt, mem], train=False))
    c.append(mcase('TransformerDecoderLayer/norm-first-masks', 'TransformerDecoderLayer', (8, 2), {'dim_feedforward': 16, 'norm_first': True}, [tgt, mem],
                   {'tgt_mask': torch.triu(torch.full((4, 4), float('-inf')), 1), 'memory_key_padding_mask': torch.tensor([[False] * 3 + [True] * 2, [False] * 5]),
                    'tgt_key_padding_mask': torch.tensor([[False] * 4, [False] * 3 + [True]])}, train=False))
    c.append(mcase('TransformerDecoderLayer/dropout-train-batch-first', 'TransformerDecoderLayer', (8, 2),
                   {'dim_feedforward': 16, 'dropout': 0.25, 'batch_first': True, 'activation': 'gelu'}, [X(2, 4, 8), X(2, 5, 8)], seed=23))
    layer = Mod('TransformerEncoderLayer', 16, 4, dim_feedforward=32)
    c.append(mcase('TransformerEncoder/6-layers-norm', 'TransformerEncoder', (layer, 6), {'norm': Mod('LayerNorm', 16)}, [X(6, 3, 16)], train=False))
    c.append(mcase('TransformerEncoder/6-layers-train', 'TransformerEncoder', (Mod('TransformerEncoderLayer', 16, 4, dim_feedforward=32, dropout=0.1, batch_first=True), 6), {},
                   [X(3, 6, 16)], {'src_key_padding_mask': torch.tensor([[False] * 6, [False] * 4 + [True] * 2, [False] * 5 + [True]])}, seed=31))
    c.append(mcase('TransformerDecoder/2-layers', 'TransformerDecoder', (Mod('TransformerDecoderLayer', 8, 2, dim_feedforward=16), 2), {'norm': Mod('LayerNorm', 8)},
                   [tgt, mem], {'tgt_mask': nn.Transformer.generate_square_subsequent_mask(4)}, train=False))
    c.append(mcase('Transformer/small-batch-first', 'Transformer', (), {'d_model': 8, 'nhead': 2, 'num_encoder_layers': 2, 'num_decoder_layers': 2,
                   'dim_feedforward': 16, 'batch_first': True}, [X(2, 5, 8), X(2, 4, 8)], {'tgt_mask': nn.Transformer.generate_square_subsequent_mask(4)}, train=False))
    c.append(mcase('Transformer/small-train', 'Transformer', (8, 2, 1, 1, 16, 0.2), {}, [X(5, 2, 8), X(3, 2, 8)],
                   {'src_key_padding_mask': torch.tensor([[False] * 5, [False] * 3 + [True] * 2])}, seed=41))
    return c


# ---------------------------------------------------------------------------------------------------
# Misuse: PyTorch's messages (the TypeScript test makes the same calls)


def error_cases():
    r = lambda *s: torch.randn(*s)  # noqa: E731
    E = []
    E.append(ecase('conv/channels', lambda: nn.Conv2d(3, 8, 3)(r(1, 4, 8, 8)), 'conv2d'))
    E.append(ecase('conv/kernel-too-big', lambda: nn.Conv2d(3, 8, 5)(r(1, 3, 3, 3)), 'conv2d'))
    E.append(ecase('conv/input-dims', lambda: nn.Conv2d(3, 8, 3)(r(3, 8)), 'conv2d'))
    E.append(ecase('conv/same-strided', lambda: nn.Conv2d(3, 8, 3, stride=2, padding='same'), 'Conv2d'))
    E.append(ecase('conv/bad-padding-string', lambda: nn.Conv2d(3, 8, 3, padding='full'), 'Conv2d'))
    E.append(ecase('conv/bad-padding-mode', lambda: nn.Conv2d(3, 8, 3, padding_mode='mirror'), 'Conv2d'))
    E.append(ecase('conv/groups-in', lambda: nn.Conv2d(3, 8, 3, groups=2), 'Conv2d'))
    E.append(ecase('conv/groups-out', lambda: nn.Conv2d(4, 6, 3, groups=4), 'Conv2d'))
    E.append(ecase('conv/negative-padding', lambda: F.conv2d(r(1, 2, 5, 5), r(3, 2, 3, 3), padding=-1), 'conv2d'))
    E.append(ecase('conv/zero-stride', lambda: F.conv2d(r(1, 2, 5, 5), r(3, 2, 3, 3), stride=0), 'conv2d'))
    E.append(ecase('conv-transpose/padding-mode', lambda: nn.ConvTranspose2d(2, 3, 3, padding_mode='reflect'), 'ConvTranspose2d'))
    E.append(ecase('conv-transpose/output-size', lambda: nn.ConvTranspose2d(2, 3, 3, stride=2)(r(1, 2, 4, 4), output_size=[12, 12]), 'ConvTranspose2d'))
    E.append(ecase('unfold/2d-input', lambda: F.unfold(r(4, 5), 2), 'unfold'))
    E.append(ecase('fold/blocks', lambda: F.fold(r(1, 12, 10), (4, 5), 2), 'fold'))
    E.append(ecase('maxpool/pad', lambda: nn.MaxPool2d(3, padding=2)(r(1, 3, 8, 8)), 'max_pool2d'))
    E.append(ecase('maxpool/too-small', lambda: nn.MaxPool2d(3)(r(1, 3, 2, 2)), 'max_pool2d'))
    E.append(ecase('avgpool/too-small', lambda: nn.AvgPool2d(3)(r(1, 3, 2, 2)), 'avg_pool2d'))
    E.append(ecase('avgpool/pad', lambda: nn.AvgPool2d(2, padding=2)(r(1, 3, 8, 8)), 'avg_pool2d'))
    E.append(ecase('maxunpool/output-size', lambda: nn.MaxUnpool2d(2)(*F.max_pool2d(r(1, 1, 4, 4), 2, return_indices=True), output_size=[9, 9]), 'max_unpool2d'))
    E.append(ecase('pad/reflect-too-large', lambda: F.pad(r(1, 3, 2), (3, 3), mode='reflect'), 'pad'))
    E.append(ecase('pad/odd-length', lambda: F.pad(r(2, 3), (1,)), 'pad'))
    E.append(ecase('pad/value-with-reflect', lambda: F.pad(r(1, 2, 3), (1, 1), mode='reflect', value=1.0), 'pad'))
    E.append(ecase('pad/circular-length', lambda: F.pad(r(2, 3, 4), (1, 1, 1, 1), mode='circular'), 'pad'))
    E.append(ecase('pad/non-constant-dims', lambda: F.pad(r(2, 3, 4, 5), (1, 1), mode='replicate'), 'pad'))
    E.append(ecase('rnn/input-size', lambda: nn.LSTM(10, 20)(r(5, 3, 8)), 'LSTM'))
    E.append(ecase('rnn/hidden-size', lambda: nn.GRU(10, 20, 2)(r(5, 3, 10), r(1, 3, 20)), 'GRU'))
    E.append(ecase('rnn/lstm-hidden0', lambda: nn.LSTM(10, 20)(r(5, 3, 10), (r(2, 3, 20), r(1, 3, 20))), 'LSTM'))
    E.append(ecase('rnn/lstm-hidden1', lambda: nn.LSTM(10, 20)(r(5, 3, 10), (r(1, 3, 20), r(1, 3, 21))), 'LSTM'))
    E.append(ecase('rnn/proj-size', lambda: nn.LSTM(10, 20, proj_size=20), 'LSTM'))
    E.append(ecase('rnn/dropout', lambda: nn.LSTM(10, 20, dropout=1.5), 'LSTM'))
    E.append(ecase('rnn/unbatched-hidden-dims', lambda: nn.RNN(4, 5)(r(3, 4), r(1, 1, 5)), 'RNN'))
    E.append(ecase('cell/input-size', lambda: nn.LSTMCell(4, 5)(r(3, 6)), 'LSTMCell'))
    E.append(ecase('cell/hidden-batch', lambda: nn.GRUCell(4, 5)(r(3, 4), r(2, 5)), 'GRUCell'))
    E.append(ecase('pack/unsorted', lambda: pack_padded_sequence(r(4, 3, 2), [2, 4, 1]), 'pack_padded_sequence'))
    E.append(ecase('pack/zero-length', lambda: pack_padded_sequence(r(4, 3, 2), [4, 2, 0]), 'pack_padded_sequence'))
    E.append(ecase('pack/lengths-count', lambda: pack_padded_sequence(r(4, 3, 2), [4, 2]), 'pack_padded_sequence'))
    E.append(ecase('unpack/total-length', lambda: pad_packed_sequence(pack_sequence([r(4, 2), r(2, 2)]), total_length=3), 'pad_packed_sequence'))
    E.append(ecase('mha/heads', lambda: nn.MultiheadAttention(10, 3), 'MultiheadAttention'))
    E.append(ecase('mha/attn-mask-shape', lambda: nn.MultiheadAttention(8, 2)(r(4, 2, 8), r(4, 2, 8), r(4, 2, 8), attn_mask=torch.zeros(3, 3)), 'MultiheadAttention'))
    E.append(ecase('mha/kpm-dtype', lambda: nn.MultiheadAttention(8, 2)(r(4, 2, 8), r(4, 2, 8), r(4, 2, 8), key_padding_mask=torch.zeros(2, 4, dtype=torch.long)), 'MultiheadAttention'))
    E.append(ecase('mha/kpm-shape', lambda: nn.MultiheadAttention(8, 2)(r(4, 2, 8), r(4, 2, 8), r(4, 2, 8), key_padding_mask=torch.zeros(2, 5, dtype=torch.bool)), 'MultiheadAttention'))
    E.append(ecase('mha/embed-dim', lambda: nn.MultiheadAttention(8, 2)(r(4, 2, 6), r(4, 2, 6), r(4, 2, 6)), 'MultiheadAttention'))
    E.append(ecase('transformer/batch', lambda: nn.Transformer(8, 2, 1, 1, 16)(r(5, 2, 8), r(3, 3, 8)), 'Transformer'))
    E.append(ecase('transformer/d-model', lambda: nn.Transformer(8, 2, 1, 1, 16)(r(5, 2, 8), r(3, 2, 6)), 'Transformer'))
    return E


# ---------------------------------------------------------------------------------------------------
# Default initialisation (same seed, same weights) and printing


def module_info_cases():
    c = []
    mods = [
        Mod('Conv1d', 3, 4, 3),
        Mod('Conv2d', 3, 64, 3, padding=1),
        Mod('Conv2d', 4, 6, (3, 2), stride=(2, 1), padding=(1, 2), dilation=2, groups=2, bias=False, padding_mode='reflect'),
        Mod('Conv2d', 2, 3, 4, padding='same'),
        Mod('Conv2d', 2, 3, 3, padding='valid', padding_mode='circular'),
        Mod('Conv3d', 2, 4, 3, stride=2),
        Mod('ConvTranspose2d', 64, 32, kernel_size=4, stride=2, padding=1),
        Mod('ConvTranspose1d', 2, 4, 3, stride=3, output_padding=1, groups=2, dilation=2),
        Mod('ConvTranspose3d', 2, 3, 2),
        Mod('Unfold', (2, 3)),
        Mod('Fold', (4, 5), 2, dilation=1, padding=1, stride=2),
        Mod('MaxPool1d', 3),
        Mod('MaxPool2d', 2, 2),
        Mod('MaxPool2d', 3, stride=2, padding=1, dilation=1, return_indices=True, ceil_mode=True),
        Mod('MaxPool3d', (2, 3, 3)),
        Mod('AvgPool1d', 3, stride=2),
        Mod('AvgPool2d', 3, stride=2, padding=1),
        Mod('AvgPool3d', 2),
        Mod('AdaptiveAvgPool1d', 5),
        Mod('AdaptiveAvgPool2d', (1, 1)),
        Mod('AdaptiveAvgPool2d', 1),
        Mod('AdaptiveAvgPool3d', (2, None, 3)),
        Mod('AdaptiveMaxPool1d', 4),
        Mod('AdaptiveMaxPool2d', (None, 3), return_indices=True),
        Mod('MaxUnpool2d', 2, stride=2),
        Mod('RNN', 10, 20, 2, nonlinearity='relu', dropout=0.2),
        Mod('LSTM', input_size=128, hidden_size=256, num_layers=2, batch_first=True, bidirectional=True, dropout=0.5),
        Mod('LSTM', 4, 6, proj_size=3, bias=False),
        Mod('GRU', 128, 256, num_layers=2, batch_first=True),
        Mod('RNNCell', 4, 5, nonlinearity='relu'),
        Mod('LSTMCell', 4, 5),
        Mod('GRUCell', 4, 5, bias=False),
        Mod('MultiheadAttention', 16, 4),
        Mod('MultiheadAttention', 8, 2, kdim=4, vdim=6, add_bias_kv=True, batch_first=True),
        Mod('TransformerEncoderLayer', 16, 4, dim_feedforward=32),
        Mod('TransformerEncoderLayer', 8, 2, dim_feedforward=16, activation=Mod('GELU'), norm_first=True),
        Mod('TransformerDecoderLayer', 8, 2, dim_feedforward=16),
        Mod('TransformerEncoder', Mod('TransformerEncoderLayer', 8, 2, dim_feedforward=16), 2),
        Mod('TransformerDecoder', Mod('TransformerDecoderLayer', 8, 2, dim_feedforward=16), 2, norm=Mod('LayerNorm', 8)),
        Mod('Transformer', 8, 2, 1, 1, 16),
    ]
    for i, m in enumerate(mods):
        seed = 100 + i
        torch.manual_seed(seed)
        built = m.build()
        c.append({'id': f'{m.name}/{i}', 'module': spec(m), 'seed': seed, 'repr': repr(built),
                  'state': {k: encb(v) for k, v in built.state_dict().items()}})
    return c


# ---------------------------------------------------------------------------------------------------
# The 15.2 CNN


class CNN(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=3, padding=1),
            nn.BatchNorm2d(64),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2, 2),

            nn.Conv2d(64, 128, kernel_size=3, padding=1),
            nn.BatchNorm2d(128),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2, 2),

            nn.Conv2d(128, 256, kernel_size=3, padding=1),
            nn.BatchNorm2d(256),
            nn.ReLU(inplace=True),
            nn.AdaptiveAvgPool2d((1, 1))
        )
        self.classifier = nn.Linear(256, num_classes)

    def forward(self, x):
        x = self.features(x)
        x = x.flatten(1)
        x = self.classifier(x)
        return x


def cnn_cases():
    c = []
    x = randn(2, 3, 32, 32)
    # 1.1M parameters: seeded (randn · 2⁻⁴, exact in float32) rather than stored; large grads sampled.
    c.append(mcase('CNN/train', 'CNN', (), {}, [In(x, grad=True)], module=CNN, state_seed=(15, 1 / 16), state_after=True))
    c.append(mcase('CNN/eval', 'CNN', (), {}, [In(x, grad=True)], module=CNN, state_seed=(16, 1 / 16), train=False))
    return c


def main():
    only = set(sys.argv[1:])
    groups = [('conv', conv_cases), ('pooling', pool_cases), ('cnn', cnn_cases), ('recurrent', rnn_cases), ('rnn_utils', rnn_utils_cases),
              ('attention', attention_cases), ('transformer', transformer_cases), ('errors', error_cases),
              ('modules', module_info_cases)]
    for name, fn in groups:
        if not only or name in only:
            write(name, fn())


if __name__ == '__main__':
    main()
