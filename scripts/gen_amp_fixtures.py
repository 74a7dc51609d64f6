#!/usr/bin/python3
"""Generate fixtures/amp/*.json: mixed precision (handbook 13.4), with PyTorch 1.13 as the oracle.

Run with the Debian PyTorch build:  /usr/bin/python3 scripts/gen_amp_fixtures.py

autocast_cpu.json   torch.autocast('cpu', dtype=torch.bfloat16): listed ops (lower precision, float32, promote,
                    unlisted, float64 untouched), gradients through the casts, and a two-layer MLP's forward and
                    backward. Each case: inputs {name: T}, outputs {name: T}, where T = {dtype, shape, values}
                    (row-major; bfloat16 values are exact as JSON numbers). Cases with "oracle" involve a bfloat16
                    GEMM: see autocast_cases() for why their values come from float32 accumulation.
memory_summary.json torch.cuda.memory_summary()'s table for given memory_stats() dicts (PyTorch's own formatting code,
                    fed synthetic statistics: no GPU is needed to check the table's layout).
grad_scaler.json    GradScaler trajectories: scale sequence, skipped steps with injected inf/NaN gradients, the
                    growth tracker and the parameters after every step.

PyTorch 1.13's torch.cuda.amp.GradScaler disables itself without CUDA, and its two kernels
(_amp_foreach_non_finite_check_and_unscale_, _amp_update_scale_) have no CPU implementation in 1.13. The
trajectories are therefore produced by `emulated_scaler` below: GradScaler's documented algorithm (scale,
unscale_ with inv_scale = 1/scale computed in float64 then rounded to float32, step skipped when any unscaled
gradient is not finite, update with backoff/growth) written with plain tensor ops, around real torch.optim
optimizers. It follows torch/cuda/amp/grad_scaler.py and the CUDA kernels in
aten/src/ATen/native/cuda/AmpKernels.cu line for line.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'amp')
DT = {torch.float32: 'float32', torch.float64: 'float64', torch.bfloat16: 'bfloat16', torch.float16: 'float16'}


def enc(v):
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    return v


def T(t):
    t = t.detach()
    return {'dtype': DT[t.dtype], 'shape': list(t.shape), 'values': [enc(float(v)) for v in t.reshape(-1).double().tolist()]}


def autocast_cases():
    g = torch.Generator().manual_seed(1313)
    r = lambda *s: torch.randn(*s, generator=g)
    cases = []

    def case(cid, inputs, fn, note=''):
        with torch.autocast('cpu', dtype=torch.bfloat16):
            outs = fn(**inputs)
        cases.append({'id': cid, 'note': note, 'inputs': {k: T(v) for k, v in inputs.items()},
                      'outputs': {k: T(v) for k, v in outs.items()}})

    # Matrix products and convolutions: PyTorch 1.13's CPU bfloat16 GEMM accumulates in bfloat16 (an accident
    # of that build; later versions and CUDA accumulate in float32, as Kindling does), so their expected values
    # are the same op on bfloat16-rounded inputs computed in float32 and rounded to bfloat16 once ("oracle").
    # The dtypes are always what autocast gives in PyTorch 1.13 (checked here against the real call).
    bf = lambda t: None if t is None else t.bfloat16().float()

    def lowp(cid, inputs, real, emulated, note=''):
        with torch.autocast('cpu', dtype=torch.bfloat16):
            got = real(**inputs)
        ref = emulated(**{k: bf(v) for k, v in inputs.items()}).bfloat16()
        assert got.dtype == ref.dtype and got.shape == ref.shape, cid
        cases.append({'id': cid, 'note': note, 'oracle': 'float32 accumulation, rounded to bfloat16',
                      'inputs': {k: T(v) for k, v in inputs.items()}, 'outputs': {'out': T(ref)}})

    lowp('mm', {'a': r(4, 6), 'b': r(6, 5)}, lambda a, b: torch.mm(a, b), lambda a, b: torch.mm(a, b), 'lower precision: bfloat16 result')
    lowp('bmm', {'a': r(2, 3, 4), 'b': r(2, 4, 5)}, lambda a, b: torch.bmm(a, b), lambda a, b: torch.bmm(a, b))
    lowp('matmul_3d_2d', {'a': r(2, 3, 6), 'b': r(6, 4)}, lambda a, b: torch.matmul(a, b), lambda a, b: torch.matmul(a, b))
    lowp('matmul_bf16_fp32', {'a': r(3, 4).bfloat16(), 'b': r(4, 2)}, lambda a, b: torch.matmul(a, b), lambda a, b: torch.matmul(a, b),
         'mixed inputs both run in bfloat16')
    lowp('linear_nobias', {'x': r(3, 6), 'w': r(5, 6)}, lambda x, w: F.linear(x, w), lambda x, w: F.linear(x, w))
    lowp('linear_bias', {'x': r(3, 6), 'w': r(5, 6), 'b': r(5)}, lambda x, w, b: F.linear(x, w, b), lambda x, w, b: F.linear(x, w, b))
    lowp('conv2d', {'x': r(1, 2, 5, 5), 'w': r(3, 2, 3, 3), 'b': r(3)}, lambda x, w, b: F.conv2d(x, w, b, padding=1),
         lambda x, w, b: F.conv2d(x, w, b, padding=1))
    case('prod_bf16', {'a': (r(6) * 0.5 + 1).bfloat16()}, lambda a: {'out': torch.prod(a)}, 'float32 list: bfloat16 input runs in float32')
    case('mse_loss_bf16', {'a': r(4, 3).bfloat16(), 'b': r(4, 3).bfloat16()}, lambda a, b: {'out': F.mse_loss(a, b)})
    case('cat_promote', {'a': r(2, 3), 'b': r(1, 3).bfloat16()}, lambda a, b: {'out': torch.cat([a, b])}, 'promote: widest type')
    case('exp_unlisted', {'a': r(5)}, lambda a: {'out': torch.exp(a)}, 'not listed on cpu: runs as given')
    case('mm_float64', {'a': r(3, 4).double(), 'b': r(4, 2).double()}, lambda a, b: {'out': torch.mm(a, b)}, 'float64 is never cast')

    # Gradients through the casts: float32 leaves get float32 gradients. Emulated as above: every bfloat16
    # GEMM (forward and backward) is a float32 GEMM between casts, so its result is rounded to bfloat16 once
    # and the casts' backward passes round and widen the gradients where autocast's casts do.
    lin = torch.linspace(-1, 1, 20).reshape(4, 5)
    a0, b0 = r(4, 6), r(6, 5)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        ra, rb = a0.clone().requires_grad_(), b0.clone().requires_grad_()
        ry = torch.mm(ra, rb)
        (ry.float() * lin).sum().backward()
    a, b = a0.clone().requires_grad_(), b0.clone().requires_grad_()
    y = torch.mm(a.bfloat16().float(), b.bfloat16().float()).bfloat16()
    loss = (y.float() * lin).sum()
    loss.backward()
    assert (y.dtype, a.grad.dtype, b.grad.dtype) == (ry.dtype, ra.grad.dtype, rb.grad.dtype)
    cases.append({'id': 'mm_backward', 'note': 'loss = sum(mm(a, b).float() * linspace(-1, 1, 20).reshape(4, 5))',
                  'oracle': 'float32 accumulation, rounded to bfloat16',
                  'inputs': {'a': T(a), 'b': T(b)},
                  'outputs': {'y': T(y), 'loss': T(loss), 'a.grad': T(a.grad), 'b.grad': T(b.grad)}})

    # A two-layer MLP: Linear(6, 8) -> ReLU -> Linear(8, 3), loss = mean(out.float() ** 2), all inside autocast.
    torch.manual_seed(7)
    l1, l2 = torch.nn.Linear(6, 8), torch.nn.Linear(8, 3)
    x = r(5, 6)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        rh = F.relu(l1(x))
        rout = l2(rh)
        rout.float().pow(2).mean().backward()
    real_dtypes = [rh.dtype, rout.dtype] + [p.grad.dtype for p in (l1.weight, l1.bias, l2.weight, l2.bias)]
    params = {k: v.detach().clone().requires_grad_() for k, v in
              {'l1.weight': l1.weight, 'l1.bias': l1.bias, 'l2.weight': l2.weight, 'l2.bias': l2.bias}.items()}
    lin_bf16 = lambda v, w, b_: F.linear(v.bfloat16().float(), w.bfloat16().float(), b_.bfloat16().float()).bfloat16()
    h = F.relu(lin_bf16(x, params['l1.weight'], params['l1.bias']))
    out = lin_bf16(h, params['l2.weight'], params['l2.bias'])
    loss = out.float().pow(2).mean()
    loss.backward()
    assert real_dtypes == [h.dtype, out.dtype] + [params[k].grad.dtype for k in ('l1.weight', 'l1.bias', 'l2.weight', 'l2.bias')]
    cases.append({'id': 'mlp', 'note': 'out = l2(relu(l1(x))); loss = out.float().pow(2).mean(); loss.backward()',
                  'oracle': 'float32 accumulation, rounded to bfloat16',
                  'inputs': {'x': T(x), **{k: T(v) for k, v in params.items()}},
                  'outputs': {'h': T(h), 'out': T(out), 'loss': T(loss),
                              **{f'{k}.grad': T(v.grad) for k, v in params.items()}}})
    return cases


class emulated_scaler:
    """torch.cuda.amp.GradScaler's algorithm on any device (see the module docstring)."""

    def __init__(self, init_scale=2.0 ** 16, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
        self.scale_t = torch.full((1,), init_scale, dtype=torch.float32)
        self.growth_tracker = torch.zeros(1, dtype=torch.int32)
        self.growth_factor, self.backoff_factor, self.growth_interval = growth_factor, backoff_factor, growth_interval
        self.found_inf = None

    def scale(self, t):
        return t * self.scale_t

    def unscale_(self, opt):
        inv_scale = self.scale_t.double().reciprocal().float()
        found_inf = torch.zeros(1)
        for group in opt.param_groups:
            for p in group['params']:
                if p.grad is None:
                    continue
                if not torch.isfinite(p.grad).all():
                    found_inf.fill_(1.0)
                p.grad.mul_(inv_scale)   # _amp_foreach_non_finite_check_and_unscale_: every grad is multiplied
        self.found_inf = found_inf

    def step(self, opt):
        if self.found_inf is None:
            self.unscale_(opt)
        skipped = bool(self.found_inf.item())
        if not skipped:
            opt.step()
        return skipped

    def update(self):
        # _amp_update_scale_cuda_kernel
        if self.found_inf.item():
            self.scale_t.mul_(self.backoff_factor)
            self.growth_tracker.zero_()
        else:
            successful = int(self.growth_tracker.item()) + 1
            if successful == self.growth_interval:
                new_scale = (self.scale_t * self.growth_factor)
                if torch.isfinite(new_scale).all():
                    self.scale_t.copy_(new_scale)
                self.growth_tracker.zero_()
            else:
                self.growth_tracker.fill_(successful)
        self.found_inf = None


def scaler_trajectory(cid, opt_name, opt_kwargs, scaler_kwargs, steps, inject, explicit_unscale=False, clip=None):
    g = torch.Generator().manual_seed(4242)
    w = torch.randn(3, 4, generator=g).requires_grad_()
    b = torch.randn(3, generator=g).requires_grad_()
    xs = [torch.randn(5, 4, generator=g) for _ in range(steps)]
    ys = [torch.randn(5, 3, generator=g) for _ in range(steps)]
    opt = getattr(torch.optim, opt_name)([w, b], **opt_kwargs)
    sc = emulated_scaler(**scaler_kwargs)
    init = {'w': T(w), 'b': T(b)}
    record = []
    for i in range(steps):
        opt.zero_grad()
        loss = ((xs[i] @ w.t() + b - ys[i]) ** 2).mean()
        scaled = sc.scale(loss)
        scaled.backward()
        if i in inject:
            w.grad.view(-1)[inject[i][0]] = float(inject[i][1])
        if explicit_unscale:
            sc.unscale_(opt)
            if clip is not None:
                torch.nn.utils.clip_grad_norm_([w, b], clip)
        skipped = sc.step(opt)
        sc.update()
        record.append({'loss': enc(float(loss)), 'scaled_loss': enc(float(scaled)), 'skipped': skipped,
                       'scale': float(sc.scale_t.item()), 'growth_tracker': int(sc.growth_tracker.item()),
                       'w': T(w), 'b': T(b)})
    return {'id': cid, 'optimizer': opt_name, 'optimizer_options': opt_kwargs, 'scaler_options': scaler_kwargs,
            'explicit_unscale': explicit_unscale, 'clip_grad_norm': clip,
            'inject': {str(k): [v[0], enc(v[1])] for k, v in inject.items()},
            'init': init, 'xs': [T(x) for x in xs], 'ys': [T(y) for y in ys], 'steps': record}


def memory_summary_cases():
    import torch.cuda.memory as m
    keys = ['allocated_bytes', 'active_bytes', 'reserved_bytes', 'inactive_split_bytes', 'allocation', 'active', 'segment', 'inactive_split']
    cases = []
    for cid, seed, scale in [('zeros', None, 0), ('small', 11, 1), ('large', 12, 1 << 30)]:
        g = torch.Generator().manual_seed(seed or 0)
        stats = {'num_ooms': 0 if seed is None else 2, 'num_alloc_retries': 0 if seed is None else 5}
        for k in keys + ['oversize_allocations', 'oversize_segments']:
            for pool in (['all', 'large_pool', 'small_pool'] if k in keys else ['']):
                for f in ['current', 'peak', 'allocated', 'freed']:
                    name = f'{k}.{pool}.{f}' if pool else f'{k}.{f}'
                    if seed is None:
                        v = 0
                    elif k.endswith('bytes'):
                        v = int(torch.randint(0, 4096, (1,), generator=g)) * int(torch.randint(1, scale * 8 if scale > 1 else 2000, (1,), generator=g))
                    else:
                        v = int(torch.randint(0, 2000000 if scale > 1 else 900, (1,), generator=g))
                    stats[name] = v
        saved = m.memory_stats
        m.memory_stats = lambda device=None, _s=stats: _s
        try:
            full = m.memory_summary(device=0)
            short = m.memory_summary(device=1, abbreviated=True)
        finally:
            m.memory_stats = saved
        cases.append({'id': cid, 'stats': stats, 'summary_device0': full, 'summary_device1_abbreviated': short})
    return cases


def main():
    os.makedirs(OUT, exist_ok=True)
    meta = {'torch': torch.__version__}
    with open(os.path.join(OUT, 'autocast_cpu.json'), 'w') as f:
        json.dump({**meta, 'dtype': 'bfloat16', 'cases': autocast_cases()}, f)
        f.write('\n')
    with open(os.path.join(OUT, 'memory_summary.json'), 'w') as f:
        json.dump({**meta, 'cases': memory_summary_cases()}, f, indent=1)
        f.write('\n')
    inf, nan = float('inf'), float('nan')
    trajectories = [
        scaler_trajectory('sgd_momentum_growth', 'SGD', {'lr': 0.05, 'momentum': 0.9}, {'init_scale': 1024.0, 'growth_interval': 3},
                          steps=10, inject={2: (1, inf), 6: (5, nan), 7: (0, -inf)}),
        scaler_trajectory('adam_defaults', 'Adam', {'lr': 0.01}, {}, steps=6, inject={1: (3, inf), 4: (2, inf)}),
        scaler_trajectory('sgd_unscale_clip', 'SGD', {'lr': 0.1}, {'init_scale': 256.0, 'growth_factor': 4.0, 'backoff_factor': 0.25,
                          'growth_interval': 2}, steps=7, inject={3: (0, nan)}, explicit_unscale=True, clip=0.5),
    ]
    with open(os.path.join(OUT, 'grad_scaler.json'), 'w') as f:
        json.dump({**meta, 'note': 'emulated GradScaler algorithm (see scripts/gen_amp_fixtures.py)', 'trajectories': trajectories}, f)
        f.write('\n')


if __name__ == '__main__':
    main()
