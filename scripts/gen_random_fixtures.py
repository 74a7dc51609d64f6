#!/usr/bin/python3
"""Write fixtures/random.json: PyTorch 1.13's CPU random streams, for Kindling's random tests.

Run with Debian's python3-torch (the oracle): /usr/bin/python3 scripts/gen_random_fixtures.py

Each case seeds the default generator (torch.manual_seed) and runs a list of ops in order, so the
recorded values also check the generator's position after every op. Values are stored exactly:
floats as JSON numbers (Python's repr round-trips; float32/float16/bfloat16 values are exact
doubles), integers as decimal strings (int64 may exceed 2^53), generator states as base64 of
torch.get_rng_state().
"""
import base64
import json
import math
import os
import random
import sys
import warnings

import torch

# randint(0, 2**40, dtype=float32) is a deliberate case: PyTorch warns that float32 cannot hold
# every integer of that range (and moves the bound), which is what the fixture records.
warnings.filterwarnings('ignore', message='.*out of bounds.*')

DT = {
    'float32': torch.float32,
    'float64': torch.float64,
    'float16': torch.float16,
    'bfloat16': torch.bfloat16,
    'int64': torch.int64,
    'int32': torch.int32,
    'int16': torch.int16,
    'int8': torch.int8,
    'uint8': torch.uint8,
    'bool': torch.bool,
}


def floats(t):
    return [float(v) for v in t.reshape(-1).double().tolist()]


def ints(t):
    return [str(int(v)) for v in t.reshape(-1).tolist()]


def run_op(op):
    """Run one op on the default generator; return its values in generation order."""
    kind = op['op']
    dt = DT.get(op.get('dtype', 'float32'))
    if kind == 'rand':
        return floats(torch.rand(op['n'], dtype=dt))
    if kind == 'uniform':
        return floats(torch.empty(op['n'], dtype=dt).uniform_(op['from'], op['to']))
    if kind == 'randn':
        shape = op.get('shape', [op['n']])
        return floats(torch.randn(*shape, dtype=dt))
    if kind == 'normal':
        if op.get('contiguous', True):
            return floats(torch.empty(op['n'], dtype=dt).normal_(op['mean'], op['std']))
        # A transposed (2, n/2) buffer: TensorIterator fills it in memory order.
        t = torch.empty(2, op['n'] // 2, dtype=dt).t()
        t.normal_(op['mean'], op['std'])
        return floats(t.t().contiguous())
    if kind == 'normal_size':  # torch.normal(mean: float, std: float, size)
        return floats(torch.normal(op['mean'], op['std'], tuple(op['shape']), dtype=dt))
    if kind == 'normal_tensor':
        mean = op['mean']
        std = op['std']
        mean = torch.tensor(mean, dtype=dt) if isinstance(mean, list) else mean
        std = torch.tensor(std, dtype=dt) if isinstance(std, list) else std
        return floats(torch.normal(mean, std))
    if kind == 'randint':
        if op['high'] is None or op['high'] - op['low'] >= 2**63:  # bounds torch.randint refuses
            t = torch.empty(op['n'], dtype=DT[op.get('dtype', 'int64')])
            return ints(t.random_(op['low'], op['high']))
        return ints(torch.randint(op['low'], op['high'], (op['n'],), dtype=DT[op.get('dtype', 'int64')]))
    if kind == 'randperm':
        p = torch.randperm(op['n'])
        if op.get('summary'):
            v = p.tolist()
            return [str(sum(i * x for i, x in enumerate(v))), *[str(x) for x in v[:20]]]
        return ints(p)
    if kind == 'bernoulli_tensor':
        p = torch.tensor(op['p'], dtype=dt)
        if dt == torch.bfloat16:  # p's dtype, not self's, picks the uniform; float32 self
            return floats(torch.empty(len(op['p'])).bernoulli_(p))
        return floats(torch.bernoulli(p))
    if kind == 'bernoulli_scalar':
        return floats(torch.empty(op['n'], dtype=dt).bernoulli_(op['p']))
    if kind == 'random':
        return ints(torch.empty(op['n'], dtype=dt).random_())
    if kind == 'exponential':
        return floats(torch.empty(op['n'], dtype=dt).exponential_(op['lambd']))
    if kind == 'geometric':
        return floats(torch.empty(op['n'], dtype=dt).geometric_(op['p']))
    if kind == 'log_normal':
        return floats(torch.empty(op['n'], dtype=dt).log_normal_(op['mean'], op['std']))
    if kind == 'cauchy':
        return floats(torch.empty(op['n'], dtype=dt).cauchy_(op['median'], op['sigma']))
    if kind == 'state':
        return base64.b64encode(bytes(torch.get_rng_state().tolist())).decode('ascii')
    raise ValueError(kind)


SEEDS = [0, 42, 1234, 2**40 + 7]


def cases():
    out = []

    def case(name, seed, ops):
        out.append({'name': name, 'seed': str(seed), 'ops': ops})

    for seed in SEEDS:
        s = f'seed={seed}'
        for dt in ['float32', 'float64', 'float16', 'bfloat16']:
            case(f'rand {dt} {s}', seed, [{'op': 'rand', 'n': n, 'dtype': dt} for n in (1, 5, 16, 17, 100)])
        for dt in ['float32', 'float64']:
            case(f'randn {dt} {s}', seed, [{'op': 'randn', 'n': n, 'dtype': dt} for n in (1, 3, 15, 16, 17, 33, 100)])
            case(f'randn (3,4) {dt} {s}', seed, [{'op': 'randn', 'n': 12, 'shape': [3, 4], 'dtype': dt}])
            # Two small calls: the second starts with the sample cached by the first.
            case(f'randn cached sample {dt} {s}', seed, [
                {'op': 'randn', 'n': 3, 'dtype': dt},
                {'op': 'randn', 'n': 2, 'dtype': dt},
                {'op': 'randn', 'n': 1, 'dtype': dt},
            ])
        for dt in ['float16', 'bfloat16']:
            case(f'randn {dt} {s}', seed, [{'op': 'randn', 'n': n, 'dtype': dt} for n in (3, 16, 33, 100)])
        case(f'randint {s}', seed, [
            {'op': 'randint', 'low': 0, 'high': 10, 'n': 12},
            {'op': 'randint', 'low': -5, 'high': 2**40, 'n': 7},
            {'op': 'randint', 'low': -(2**62), 'high': 2**62, 'n': 5},
            {'op': 'randint', 'low': 3, 'high': 2**32 + 3, 'n': 3},
            {'op': 'randint', 'low': 3, 'high': 2**32 + 2, 'n': 3},
            {'op': 'randint', 'low': -100, 'high': 100, 'n': 5, 'dtype': 'int32'},
            {'op': 'randint', 'low': -(2**31), 'high': 2**31, 'n': 4, 'dtype': 'int32'},
            {'op': 'randint', 'low': -(2**63), 'high': None, 'n': 4},
            # Floating dtypes move bounds they cannot represent inwards (update_from/update_to).
            {'op': 'randint', 'low': 0, 'high': 2**40, 'n': 3, 'dtype': 'float32'},
            {'op': 'randint', 'low': -(2**30) - 3, 'high': 2**30 + 5, 'n': 3, 'dtype': 'float32'},
            {'op': 'randint', 'low': -2999, 'high': 3000, 'n': 6, 'dtype': 'float16'},
            {'op': 'randint', 'low': -1001, 'high': 1001, 'n': 6, 'dtype': 'bfloat16'},
            {'op': 'randint', 'low': 0, 'high': 2**54 + 1, 'n': 3, 'dtype': 'float64'},
        ])
        case(f'randperm {s}', seed, [
            {'op': 'randperm', 'n': 0},
            {'op': 'randperm', 'n': 1},
            {'op': 'randperm', 'n': 10},
            {'op': 'randperm', 'n': 1000},
            {'op': 'randperm', 'n': 100000, 'summary': True},
        ])
        case(f'bernoulli {s}', seed, [
            {'op': 'bernoulli_tensor', 'p': [0.5] * 20, 'dtype': 'float32'},
            {'op': 'bernoulli_tensor', 'p': [i / 19 for i in range(20)], 'dtype': 'float32'},
            {'op': 'bernoulli_tensor', 'p': [i / 19 for i in range(20)], 'dtype': 'float64'},
            {'op': 'bernoulli_tensor', 'p': [0.3] * 10, 'dtype': 'bfloat16'},
            {'op': 'bernoulli_scalar', 'n': 20, 'p': 0.3, 'dtype': 'float32'},
            {'op': 'bernoulli_scalar', 'n': 20, 'p': 0.7, 'dtype': 'float64'},
        ])
        case(f'normal {s}', seed, [
            {'op': 'normal_size', 'mean': 0.0, 'std': 1.0, 'shape': [3, 4], 'dtype': 'float32'},
            {'op': 'normal_tensor', 'mean': [1.0, 2.0, 3.0, 4.0, 5.0], 'std': [1.0, 0.8, 0.6, 0.4, 0.2], 'dtype': 'float32'},
            {'op': 'normal_tensor', 'mean': [float(i) for i in range(20)], 'std': [0.1 * i for i in range(20)], 'dtype': 'float32'},
            {'op': 'normal_tensor', 'mean': [1.0, 2.0, 3.0], 'std': 0.5, 'dtype': 'float32'},
            {'op': 'normal_tensor', 'mean': 0.25, 'std': [1.0, 2.0, 3.0], 'dtype': 'float32'},
            {'op': 'normal_tensor', 'mean': [1.0, 2.0, 3.0, 4.0, 5.0], 'std': [1.0, 0.8, 0.6, 0.4, 0.2], 'dtype': 'float64'},
            {'op': 'normal', 'n': 5, 'mean': 2.5, 'std': 3.3, 'dtype': 'float32'},
            {'op': 'normal', 'n': 37, 'mean': 2.5, 'std': 3.3, 'dtype': 'float32'},
            {'op': 'normal', 'n': 5, 'mean': 2.5, 'std': 3.3, 'dtype': 'float64'},
            {'op': 'normal', 'n': 37, 'mean': 2.5, 'std': 3.3, 'dtype': 'float64'},
            {'op': 'normal', 'n': 37, 'mean': -1.5, 'std': 0.3, 'dtype': 'float16'},
            {'op': 'normal', 'n': 37, 'mean': -1.5, 'std': 0.3, 'dtype': 'bfloat16'},
            {'op': 'normal', 'n': 40, 'mean': 0.0, 'std': 1.0, 'dtype': 'float32', 'contiguous': False},
            {'op': 'normal', 'n': 40, 'mean': 1.0, 'std': 2.0, 'dtype': 'float64', 'contiguous': False},
        ])
        case(f'uniform range {s}', seed, [
            {'op': 'uniform', 'n': 50, 'from': -3.3, 'to': 7.1, 'dtype': dt}
            for dt in ('float32', 'float64', 'float16', 'bfloat16')
        ])
        case(f'other distributions {s}', seed, [
            {'op': 'exponential', 'n': 20, 'lambd': 1.5, 'dtype': 'float32'},
            {'op': 'exponential', 'n': 20, 'lambd': 0.5, 'dtype': 'float64'},
            {'op': 'geometric', 'n': 20, 'p': 0.2, 'dtype': 'float32'},
            {'op': 'log_normal', 'n': 20, 'mean': 0.5, 'std': 0.25, 'dtype': 'float32'},
            {'op': 'log_normal', 'n': 7, 'mean': 0.5, 'std': 0.25, 'dtype': 'float64'},
            {'op': 'cauchy', 'n': 20, 'median': 1.0, 'sigma': 2.0, 'dtype': 'float32'},
            {'op': 'cauchy', 'n': 20, 'median': 1.0, 'sigma': 2.0, 'dtype': 'float64'},
            *[{'op': 'random', 'n': 6, 'dtype': dt} for dt in
              ('int64', 'int32', 'int16', 'int8', 'uint8', 'bool', 'float32', 'float64', 'float16', 'bfloat16')],
        ])
        case(f'interleaved {s}', seed, [
            {'op': 'state'},
            {'op': 'rand', 'n': 7, 'dtype': 'float32'},
            {'op': 'randn', 'n': 5, 'dtype': 'float32'},   # leaves a cached double normal
            {'op': 'state'},
            {'op': 'randint', 'low': 0, 'high': 100, 'n': 6},
            {'op': 'randn', 'n': 20, 'dtype': 'float32'},  # vectorised path: cache untouched
            {'op': 'randn', 'n': 1, 'dtype': 'float64'},   # uses the cached sample
            {'op': 'rand', 'n': 3, 'dtype': 'float64'},
            {'op': 'randperm', 'n': 8},
            {'op': 'state'},
            {'op': 'rand', 'n': 700, 'dtype': 'float32'},  # crosses a twist
            {'op': 'randn', 'n': 1, 'dtype': 'float64'},
            {'op': 'state'},
        ])
    # A long float32 normal run, to exercise the AVX2 log/sincos emulation widely.
    case('randn float32 long seed=7', 7, [{'op': 'randn', 'n': 4099, 'dtype': 'float32'}])
    case('randn float64 long seed=7', 7, [{'op': 'randn', 'n': 1027, 'dtype': 'float64'}])
    return out


def libm_cases():
    """glibc's log/sin/cos (what PyTorch's double samplers call) on the arguments the samplers use:
    log on (0, 1], sin/cos on [0, 2*pi), with the algorithms' range boundaries covered."""
    rnd = random.Random(1234)
    xs = [rnd.random() for _ in range(400)]
    xs += [1.0 - rnd.random() * 2**-4 for _ in range(200)]   # log's close-to-1 path
    xs += [rnd.random() * 2.0**-rnd.randint(5, 53) for _ in range(200)]
    xs += [1.0, 2.0**-53, 1.0 - 2.0**-53, 0.9375, 0.9375 - 2.0**-53, 0.5, 0.25]
    xs = [x for x in xs if x > 0]
    ts = [2.0 * math.pi * rnd.random() for _ in range(600)]
    ts += [rnd.random() * 2.0**-rnd.randint(1, 40) for _ in range(200)]
    for b in (0.126, 0.855469, 2.426265, math.pi / 2, math.pi, 3 * math.pi / 2):
        ts += [b * (1 + d * 2.0**-40) for d in range(-3, 4)]
    ts += [0.0, 2.0**-30, 2.0**-26, 2.0**-27]
    return {
        'log': [[x, math.log(x)] for x in xs],
        'sin': [[t, math.sin(t)] for t in ts],
        'cos': [[t, math.cos(t)] for t in ts],
    }


def jsonable_op(op):
    """randint bounds as decimal strings: JSON numbers lose int64 precision."""
    op = dict(op)
    for k in ('low', 'high'):
        if op.get(k) is not None and op['op'] == 'randint':
            op[k] = str(op[k])
    return op


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    result = {
        'torch_version': torch.__version__,
        'generator_initial_seed': str(torch.Generator().initial_seed()),
        'libm': libm_cases(),
        'cases': [],
    }
    for c in cases():
        torch.manual_seed(int(c['seed']))
        c['outputs'] = [run_op(op) for op in c['ops']]
        c['ops'] = [jsonable_op(op) for op in c['ops']]
        result['cases'].append(c)
    path = os.path.join(root, 'fixtures', 'random.json')
    with open(path, 'w') as f:
        json.dump(result, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {path}: {len(result["cases"])} cases', file=sys.stderr)


if __name__ == '__main__':
    main()
