#!/usr/bin/python3
"""Write fixtures/data/*.json: PyTorch 1.13's torch.utils.data sampling orders, for @kindling/data.

Run with Debian's python3-torch (the oracle): /usr/bin/python3 scripts/gen_data_fixtures.py

Every case records the indices PyTorch draws for a given seed, so the tests check that Kindling's
samplers consume the generator exactly as PyTorch's do (same draws, same order, same position
afterwards). Indices are plain JSON integers (all far below 2^53); seeds are decimal strings.

- samplers.json: RandomSampler (with and without replacement, numSamples, explicit generator or
  the default generator), SubsetRandomSampler, WeightedRandomSampler (torch.multinomial, both
  paths), BatchSampler.
- split.json: random_split with lengths and with fractions (floor + round-robin remainder).
- distributed.json: DistributedSampler partitions (rank, world size, shuffle, seed, epoch,
  drop_last / padding).
- loader.json: DataLoader batch orders (shuffle with and without a generator, several epochs,
  persistent workers), the seed each worker gets (base_seed + worker id) and the first random
  number it draws, and the IterableDataset examples of PyTorch's documentation.
"""
import json
import math
import os
import sys

import torch
from torch.utils.data import (
    BatchSampler,
    DataLoader,
    Dataset,
    DistributedSampler,
    IterableDataset,
    RandomSampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
    get_worker_info,
    random_split,
)

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
OUT = os.path.join(ROOT, 'fixtures', 'data')


def gen(seed):
    return torch.Generator().manual_seed(seed)


def after(g):
    """A few draws that show where the generator stands after the sampler used it."""
    return [int(v) for v in torch.randint(0, 1000, (3,), generator=g).tolist()]


def random_sampler_cases():
    cases = []
    for seed in [0, 1, 42, 12345]:
        for n in [1, 5, 10, 100]:
            for replacement, num_samples in [(False, None), (False, 3), (False, 2 * n + 3), (True, None), (True, 7), (True, 70)]:
                if not replacement and num_samples == 3 and n < 3:
                    continue
                g = gen(seed)
                s = RandomSampler(range(n), replacement=replacement, num_samples=num_samples, generator=g)
                first = list(s)
                second = list(s)
                cases.append({
                    'seed': str(seed), 'n': n, 'replacement': replacement, 'numSamples': num_samples,
                    'generator': True, 'epochs': [first, second], 'after': after(g),
                })
    # No generator: each epoch draws a seed from the default generator (torch.empty((), int64).random_()).
    for seed in [0, 7]:
        for n, replacement in [(10, False), (6, True)]:
            torch.manual_seed(seed)
            s = RandomSampler(range(n), replacement=replacement)
            first = list(s)
            second = list(s)
            cases.append({
                'seed': str(seed), 'n': n, 'replacement': replacement, 'numSamples': None,
                'generator': False, 'epochs': [first, second],
                'after': [int(v) for v in torch.randint(0, 1000, (3,)).tolist()],
            })
    return cases


def subset_random_cases():
    cases = []
    for seed in [0, 3]:
        indices = [10, 20, 30, 40, 50, 60, 70]
        g = gen(seed)
        s = SubsetRandomSampler(indices, generator=g)
        cases.append({'seed': str(seed), 'indices': indices, 'generator': True, 'epochs': [list(s), list(s)], 'after': after(g)})
    torch.manual_seed(5)
    s = SubsetRandomSampler([1, 3, 5, 7, 9])
    cases.append({'seed': '5', 'indices': [1, 3, 5, 7, 9], 'generator': False, 'epochs': [list(s), list(s)]})
    return cases


def weighted_cases():
    cases = []
    specs = [
        ([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 5, True),
        ([0.9, 0.4, 0.05, 0.2, 0.3, 0.1], 5, False),
        ([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 1, True),
        ([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 1, False),
        ([1, 2, 3, 4], 100, True),
        ([0.0, 1.0, 0.0, 2.0, 5.0], 40, True),
        ([0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0], 8, False),
    ]
    for seed in [0, 1, 42]:
        for weights, num, replacement in specs:
            g = gen(seed)
            s = WeightedRandomSampler(weights, num, replacement=replacement, generator=g)
            cases.append({
                'seed': str(seed), 'weights': weights, 'numSamples': num, 'replacement': replacement,
                'generator': True, 'epochs': [list(s), list(s)], 'after': after(g),
            })
    # The handbook 10.3 example, scaled down: class-balancing weights from labels.
    torch.manual_seed(0)
    y = torch.randint(0, 2, (50,))
    weights = 1.0 / torch.tensor([45, 5], dtype=torch.float)
    sample_weights = weights[y]
    g = gen(10)
    s = WeightedRandomSampler(sample_weights, len(sample_weights), replacement=True, generator=g)
    cases.append({
        'seed': '10', 'weights': [float(w) for w in sample_weights.double().tolist()], 'weightsDtype': 'float32',
        'numSamples': 50, 'replacement': True, 'generator': True, 'epochs': [list(s)], 'after': after(g),
        'labels': y.tolist(),
    })
    torch.manual_seed(9)
    s = WeightedRandomSampler([0.5, 1.5, 3.0], 6, replacement=True)
    cases.append({'seed': '9', 'weights': [0.5, 1.5, 3.0], 'numSamples': 6, 'replacement': True, 'generator': False, 'epochs': [list(s), list(s)]})
    return cases


def batch_sampler_cases():
    cases = []
    for n in [0, 1, 9, 10]:
        for bs in [1, 3, 10, 11]:
            for drop_last in [False, True]:
                b = BatchSampler(SequentialSampler(range(n)), batch_size=bs, drop_last=drop_last)
                cases.append({'n': n, 'batchSize': bs, 'dropLast': drop_last, 'batches': list(b), 'length': len(b)})
    return cases


def split_cases():
    cases = []
    specs = [
        (10, [3, 7], 42),
        (30, [0.3, 0.3, 0.4], 42),
        (11, [0.5, 0.5], 0),
        (10, [0.33, 0.33, 0.34], 1),
        (7, [0.1, 0.2, 0.7], 2),
        (5, [0.25, 0.25, 0.25, 0.25], 3),
        (100, [80, 20], 7),
        (4, [0, 4], 8),
        (13, [1.0], 9),
    ]
    for n, lengths, seed in specs:
        g = gen(seed)
        parts = random_split(range(n), lengths, generator=g)
        cases.append({
            'n': n, 'lengths': lengths, 'seed': str(seed), 'generator': True,
            'indices': [list(p.indices) for p in parts], 'after': after(g),
        })
    # Default generator (the handbook's random_split(dataset, [800, 200]) after torch.manual_seed).
    torch.manual_seed(0)
    parts = random_split(range(1000), [800, 200])
    cases.append({'n': 1000, 'lengths': [800, 200], 'seed': '0', 'generator': False, 'indices': [list(p.indices) for p in parts]})
    errors = []
    for n, lengths in [(10, [3, 6]), (10, [0.5, 0.6]), (10, [1.2, -0.2]), (10, [5, 6])]:
        try:
            random_split(range(n), lengths, generator=gen(0))
            errors.append({'n': n, 'lengths': lengths, 'error': None})
        except ValueError as e:
            errors.append({'n': n, 'lengths': lengths, 'error': str(e)})
    return {'cases': cases, 'errors': errors}


def distributed_cases():
    cases = []
    for n in [3, 10, 11]:
        for replicas in [3, 4]:
            for shuffle in [False, True]:
                for drop_last in [False, True]:
                    for seed, epoch in [(0, 0), (0, 1), (7, 2)]:
                        if not shuffle and (seed, epoch) != (0, 0):
                            continue
                        parts = []
                        lengths = []
                        for rank in range(replicas):
                            s = DistributedSampler(range(n), num_replicas=replicas, rank=rank, shuffle=shuffle, seed=seed, drop_last=drop_last)
                            s.set_epoch(epoch)
                            parts.append(list(s))
                            lengths.append(len(s))
                        cases.append({
                            'n': n, 'numReplicas': replicas, 'shuffle': shuffle, 'dropLast': drop_last,
                            'seed': seed, 'epoch': epoch, 'ranks': parts, 'lengths': lengths,
                        })
    return cases


class Range(Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return i


class WorkerProbe(Dataset):
    """Each sample reports which worker made it, that worker's seed and its first random draw."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        info = get_worker_info()
        return {'index': i, 'worker': info.id, 'seed': str(info.seed), 'draw': int(torch.randint(0, 1000000, (1,)).item())}


class RangeIterable(IterableDataset):
    """PyTorch's IterableDataset example 1: shards itself with get_worker_info()."""

    def __init__(self, start, end):
        super().__init__()
        self.start = start
        self.end = end

    def __iter__(self):
        info = get_worker_info()
        if info is None:
            return iter(range(self.start, self.end))
        per_worker = int(math.ceil((self.end - self.start) / float(info.num_workers)))
        s = self.start + info.id * per_worker
        return iter(range(s, min(s + per_worker, self.end)))


def as_list(batch):
    return batch.tolist() if isinstance(batch, torch.Tensor) else batch


def loader_cases():
    cases = []
    for seed, bs, drop_last, workers in [(0, 3, False, 0), (1, 4, True, 0), (42, 5, False, 2), (3, 1, False, 0)]:
        g = gen(seed)
        loader = DataLoader(Range(10), batch_size=bs, shuffle=True, drop_last=drop_last, generator=g, num_workers=workers)
        epochs = [[as_list(b) for b in loader] for _ in range(2)]
        cases.append({
            'kind': 'shuffle', 'seed': str(seed), 'n': 10, 'batchSize': bs, 'dropLast': drop_last, 'generator': True,
            'numWorkers': workers, 'epochs': epochs, 'length': len(loader), 'after': after(g),
        })
    for seed, workers in [(0, 0), (5, 2)]:
        torch.manual_seed(seed)
        loader = DataLoader(Range(9), batch_size=2, shuffle=True, num_workers=workers)
        epochs = [[as_list(b) for b in loader] for _ in range(2)]
        cases.append({
            'kind': 'shuffle', 'seed': str(seed), 'n': 9, 'batchSize': 2, 'dropLast': False, 'generator': False,
            'numWorkers': workers, 'epochs': epochs, 'length': len(loader),
            'after': [int(v) for v in torch.randint(0, 1000, (3,)).tolist()],
        })
    # Worker seeds: base_seed (drawn from the loader's generator) + worker id; each worker's default
    # generator is seeded with it.
    for seed, workers, persistent in [(0, 2, False), (11, 3, True)]:
        g = gen(seed)
        loader = DataLoader(WorkerProbe(6), batch_size=None, num_workers=workers, generator=g, persistent_workers=persistent)
        epochs = []
        for _ in range(2):
            epochs.append([{'index': int(s['index']), 'worker': int(s['worker']), 'seed': s['seed'], 'draw': s['draw']} for s in loader])
        cases.append({'kind': 'workerSeeds', 'seed': str(seed), 'n': 6, 'numWorkers': workers, 'persistentWorkers': persistent, 'epochs': epochs})
    for workers in [0, 2, 3]:
        out = [as_list(b) for b in DataLoader(RangeIterable(3, 7), num_workers=workers)]
        cases.append({'kind': 'iterable', 'start': 3, 'end': 7, 'numWorkers': workers, 'batchSize': 1, 'batches': out})
    for workers, bs, drop_last in [(2, 2, False), (2, 3, False), (3, 2, True)]:
        out = [as_list(b) for b in DataLoader(RangeIterable(0, 11), batch_size=bs, num_workers=workers, drop_last=drop_last)]
        cases.append({'kind': 'iterable', 'start': 0, 'end': 11, 'numWorkers': workers, 'batchSize': bs, 'dropLast': drop_last, 'batches': out})
    return cases


def write(name, data):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, name)
    with open(path, 'w') as f:
        json.dump({'torch': torch.__version__, **data}, f, separators=(',', ':'))
        f.write('\n')
    print('wrote', os.path.relpath(path, ROOT), file=sys.stderr)


def main():
    write('samplers.json', {
        'random': random_sampler_cases(),
        'subsetRandom': subset_random_cases(),
        'weighted': weighted_cases(),
        'batch': batch_sampler_cases(),
    })
    write('split.json', split_cases())
    write('distributed.json', {'cases': distributed_cases()})
    write('loader.json', {'cases': loader_cases()})


if __name__ == '__main__':
    main()
