"""PyTorch side of the Kindling benchmark; spawned by bench/run.mjs.

Reads {"workloads": [...], "timing": {...}} as JSON on stdin (the specs in bench/workloads.mjs and
the settings in bench/timing.mjs), times each workload the way bench/timing.mjs does, and prints
one JSON object on stdout. Progress goes to stderr.

    python3 bench/torch_bench.py [--threads N]    # N defaults to 1, like Kindling (one thread)
"""
import argparse
import json
import platform
import sys
import time


def measure(iteration, warmup, minTimeS, minIters, maxIters):
    """Same rule as measure() in bench/timing.mjs: median seconds per iteration, iterations timed."""
    for _ in range(warmup):
        iteration()
    samples = []
    total = 0.0
    while (len(samples) < minIters or total < minTimeS) and len(samples) < maxIters:
        t0 = time.perf_counter_ns()
        iteration()
        s = (time.perf_counter_ns() - t0) / 1e9
        samples.append(s)
        total += s
    samples.sort()
    mid = len(samples) // 2
    med = samples[mid] if len(samples) % 2 else (samples[mid - 1] + samples[mid]) / 2
    return {"medianS": med, "iters": len(samples)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    args = parser.parse_args()
    spec = json.load(sys.stdin)

    try:
        import torch
    except Exception as e:  # python3-torch not installed
        print(json.dumps({"error": f"cannot import torch: {type(e).__name__}: {e}"}))
        return

    torch.set_num_threads(args.threads)

    def inp(shape, seed):
        # Same values as inputValues() in bench/workloads.mjs: computed in float64, then rounded.
        n = 1
        for d in shape:
            n *= d
        i = torch.arange(n, dtype=torch.int64)
        return (((i * 7919 + seed) % 1000).to(torch.float64) / 500 - 1).to(torch.float32).reshape(shape)

    def unary(f):
        def setup(shape):
            x = inp(shape, 1)
            return lambda: f(x)
        return setup

    def binary(f):
        def setup(shape):
            a, b = inp(shape, 1), inp(shape, 2)
            return lambda: f(a, b)
        return setup

    ops = {
        "matmul": binary(lambda a, b: a.matmul(b)),
        "add": binary(lambda a, b: a + b),
        "mul": binary(lambda a, b: a * b),
        "exp": unary(lambda x: x.exp()),
        "sum": unary(lambda x: x.sum()),
        "softmax": unary(lambda x: x.softmax(-1)),
    }

    results = []
    for w in spec["workloads"]:
        print(f"  pytorch  {w['name']}", file=sys.stderr, flush=True)
        try:
            step = ops[w["op"]](w["shape"])
            # The result is dropped at once, so PyTorch's allocator reuses its buffer next time.
            results.append({"name": w["name"], **measure(step, **spec["timing"])})
        except Exception as e:
            results.append({"name": w["name"], "error": f"{type(e).__name__}: {e}"})
        step = None

    print(json.dumps({
        "version": torch.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
        "results": results,
    }))


if __name__ == "__main__":
    main()
