#!/usr/bin/env python3
"""PyTorch's side of bench/cuda.mjs: the same workloads on the same GPU, as JSON on stdout.

  python3 bench/cuda_torch.py [--quick]

matmul: n x n @ n x n in float32 (TF32 off), float32 with TF32, bfloat16; timed with CUDA events after
warm-up. mlp_step: Linear(784, 1024) -> ReLU -> Linear(1024, 1024) -> ReLU -> Linear(1024, 10), MSE loss
against a fixed target, SGD(lr=0.01) step, batch 512, float32.
"""
import json
import sys

import torch


def timed(fn, warmup, iters):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(iters):
        fn()
    end.record()
    end.synchronize()
    return start.elapsed_time(end) / iters


def main():
    quick = '--quick' in sys.argv
    n = 2048 if quick else 4096
    iters = 5 if quick else 20
    out = {'device': torch.cuda.get_device_name(0), 'torch': torch.__version__, 'n': n, 'results': {}}
    torch.manual_seed(0)
    a = torch.randn(n, n, device='cuda')
    b = torch.randn(n, n, device='cuda')
    for name, dtype, tf32 in [('matmul_fp32', torch.float32, False), ('matmul_tf32', torch.float32, True), ('matmul_bf16', torch.bfloat16, False)]:
        torch.backends.cuda.matmul.allow_tf32 = tf32
        x, y = a.to(dtype), b.to(dtype)
        ms = timed(lambda: torch.mm(x, y), 3, iters)
        out['results'][name] = {'ms': ms, 'tflops': 2 * n ** 3 / (ms * 1e-3) / 1e12}
    torch.backends.cuda.matmul.allow_tf32 = False

    model = torch.nn.Sequential(torch.nn.Linear(784, 1024), torch.nn.ReLU(), torch.nn.Linear(1024, 1024), torch.nn.ReLU(),
                                torch.nn.Linear(1024, 10)).cuda()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    xb = torch.randn(512, 784, device='cuda')
    yb = torch.randn(512, 10, device='cuda')

    def step():
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(xb), yb)
        loss.backward()
        opt.step()

    out['results']['mlp_step'] = {'ms': timed(step, 3, iters)}
    print(json.dumps(out))


if __name__ == '__main__':
    main()
