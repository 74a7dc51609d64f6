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

    nn = torch.nn

    def seeded(make):
        torch.manual_seed(0)
        return make()

    def labels(n):
        return torch.tensor([(i * 7) % 10 for i in range(n)])

    def conv2d(shape):
        conv, x = seeded(lambda: nn.Conv2d(3, 64, 3)), inp(shape, 1)

        def step():
            with torch.no_grad():
                return conv(x)
        return step

    def conv2d_backward(shape):
        conv, x = seeded(lambda: nn.Conv2d(3, 64, 3)), inp(shape, 1).requires_grad_()

        def step():
            conv.zero_grad()
            x.grad = None
            y = conv(x).sum()
            y.backward()
            return y
        return step

    def train_step(model, optimizer, x, y):
        criterion = nn.CrossEntropyLoss()

        def step():
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
            return loss
        return step

    def mlp_step(shape):
        model = seeded(lambda: nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10)))
        return train_step(model, torch.optim.Adam(model.parameters(), lr=1e-3), inp(shape, 1), labels(shape[0]))

    def cnn_step(shape):
        def block(cin, cout):
            return [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]
        model = seeded(lambda: nn.Sequential(
            *block(3, 64), nn.MaxPool2d(2, 2), *block(64, 128), nn.MaxPool2d(2, 2),
            *block(128, 256), nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(256, 10)))
        return train_step(model, torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9), inp(shape, 1), labels(shape[0]))

    def lstm_step(shape):
        lstm, x = seeded(lambda: nn.LSTM(128, 256, 2)), inp(shape, 1)

        def step():
            lstm.zero_grad()
            loss = lstm(x)[0].sum()
            loss.backward()
            return loss
        return step

    def transformer_step(shape):
        layer = seeded(lambda: nn.TransformerEncoderLayer(256, 8, dim_feedforward=1024, batch_first=True))
        x = inp(shape, 1)

        def step():
            layer.zero_grad()
            loss = layer(x).sum()
            loss.backward()
            return loss
        return step

    ops = {
        "matmul": binary(lambda a, b: a.matmul(b)),
        "add": binary(lambda a, b: a + b),
        "mul": binary(lambda a, b: a * b),
        "exp": unary(lambda x: x.exp()),
        "sum": unary(lambda x: x.sum()),
        "softmax": unary(lambda x: x.softmax(-1)),
        "conv2d": conv2d,
        "conv2d_backward": conv2d_backward,
        "mlp_step": mlp_step,
        "cnn_step": cnn_step,
        "lstm_step": lstm_step,
        "transformer_step": transformer_step,
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
