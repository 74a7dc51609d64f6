#!/usr/bin/python3
"""Write fixtures/nn/*.json: PyTorch 1.13's answers for @kindling/nn's tests (handbook 5.1, 5.4, 5.5,
5.8, 5.9, 6, 7, 14.1-14.3, 15.1).

Run with the Python that has Debian's python3-torch (the oracle): python3 scripts/gen_nn_fixtures.py
(shared helpers: scripts/nn_fixture_lib.py). The output is deterministic: every random input comes
from a seeded generator, and the default generator is seeded before every construction.

Each file holds cases: the call in PyTorch's terms, the module's state_dict (so Kindling loads the same
weights), inputs, output, the upstream gradient used, input and parameter gradients, and the state
after the call (running statistics). Where randomness matters (dropout masks, default
initialisation, nn.init), the case records the seed given to torch.manual_seed right before the call;
Kindling's generator reproduces PyTorch's CPU streams, so the values must match exactly.
"""
import json
import math
import os
import sys
import warnings
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.init as init
from torch.nn.utils import clip_grad_norm_, clip_grad_value_, parameters_to_vector, vector_to_parameters

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nn_fixture_lib import In, enc, enc_arg, functional_case, module_case, state  # noqa: E402

warnings.simplefilter('ignore')
torch.set_num_threads(1)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'nn')

G = torch.Generator().manual_seed(20240501)


def randn(*shape, dtype=torch.float32):
    return torch.randn(*shape, generator=G, dtype=dtype)


def rand(*shape, dtype=torch.float32):
    return torch.rand(*shape, generator=G, dtype=dtype)


def randint(lo, hi, shape):
    return torch.randint(lo, hi, shape, generator=G)


def write(name, cases, **extra):
    os.makedirs(OUT, exist_ok=True)
    body = {'area': name, 'torch': torch.__version__, **extra, 'cases': cases}
    with open(os.path.join(OUT, f'{name}.json'), 'w') as f:
        json.dump(body, f, separators=(',', ':'))
        f.write('\n')
    print(f'{name}: {len(cases)} cases')


# ---------------------------------------------------------------------------------------------------
# Layers: linear (5.1), normalization (5.4), dropout (5.5), embedding (5.8)


def layer_cases():
    c = []
    # 5.1 linear
    c.append(module_case('Linear/2d', 'Linear', (6, 4), {}, [In(randn(3, 6), grad=True)]))
    c.append(module_case('Linear/3d', 'Linear', (6, 4), {}, [In(randn(2, 3, 6), grad=True)]))
    c.append(module_case('Linear/1d', 'Linear', (6, 4), {}, [In(randn(6), grad=True)]))
    c.append(module_case('Linear/no-bias', 'Linear', (5, 3), {'bias': False}, [In(randn(4, 5), grad=True)]))
    c.append(module_case('Linear/float64', 'Linear', (5, 3), {'dtype': torch.float64}, [In(randn(4, 5, dtype=torch.float64), grad=True)]))
    c.append(module_case('Bilinear/basic', 'Bilinear', (3, 4, 5), {}, [In(randn(6, 3), grad=True), In(randn(6, 4), grad=True)]))
    c.append(module_case('Bilinear/no-bias', 'Bilinear', (2, 3, 4), {'bias': False}, [In(randn(2, 5, 2), grad=True), In(randn(2, 5, 3), grad=True)]))
    c.append(module_case('LazyLinear/infer', 'LazyLinear', (5,), {}, [In(randn(3, 7), grad=True)], construct_seed=11))
    c.append(module_case('LazyLinear/no-bias', 'LazyLinear', (4,), {'bias': False}, [In(randn(2, 3, 6), grad=True)], construct_seed=12))
    c.append(module_case('Identity/args-ignored', 'Identity', (54,), {'unused_argument1': 0.1}, [In(randn(3, 4), grad=True)]))

    # 5.4 normalization
    bn_steps = [(True, [randn(8, 4) * 2 + 1]), (True, [randn(8, 4) - 0.5])]
    c.append(module_case('BatchNorm1d/train', 'BatchNorm1d', (4,), {}, [In(randn(8, 4) * 3 + 2, grad=True)], randomize=True))
    c.append(module_case('BatchNorm1d/train-3d', 'BatchNorm1d', (4,), {}, [In(randn(5, 4, 3), grad=True)], randomize=True))
    c.append(module_case('BatchNorm1d/train-after-steps', 'BatchNorm1d', (4,), {}, [In(randn(8, 4), grad=True)], randomize=True, pre=bn_steps))
    c.append(module_case('BatchNorm1d/eval-after-steps', 'BatchNorm1d', (4,), {}, [In(randn(8, 4), grad=True)], randomize=True, pre=bn_steps, train=False))
    c.append(module_case('BatchNorm1d/eval-fresh', 'BatchNorm1d', (4,), {}, [In(randn(3, 4), grad=True)], randomize=True, train=False))
    c.append(module_case('BatchNorm1d/momentum', 'BatchNorm1d', (4,), {'momentum': 0.3}, [In(randn(8, 4), grad=True)], pre=bn_steps))
    c.append(module_case('BatchNorm1d/momentum-none', 'BatchNorm1d', (4,), {'momentum': None}, [In(randn(8, 4), grad=True)], pre=bn_steps))
    c.append(module_case('BatchNorm1d/eps', 'BatchNorm1d', (4,), {'eps': 1e-2}, [In(randn(6, 4) * 0.1, grad=True)]))
    c.append(module_case('BatchNorm1d/affine-false', 'BatchNorm1d', (4,), {'affine': False}, [In(randn(8, 4), grad=True)], pre=bn_steps))
    c.append(module_case('BatchNorm1d/no-running-stats-train', 'BatchNorm1d', (4,), {'track_running_stats': False}, [In(randn(8, 4), grad=True)], randomize=True))
    c.append(module_case('BatchNorm1d/no-running-stats-eval', 'BatchNorm1d', (4,), {'track_running_stats': False}, [In(randn(8, 4), grad=True)], randomize=True, train=False))
    c.append(module_case('BatchNorm1d/float64', 'BatchNorm1d', (3,), {'dtype': torch.float64}, [In(randn(5, 3, dtype=torch.float64), grad=True)], randomize=True))
    bn2_steps = [(True, [randn(4, 3, 5, 5)]), (True, [randn(4, 3, 5, 5) + 1])]
    c.append(module_case('BatchNorm2d/train', 'BatchNorm2d', (3,), {}, [In(randn(4, 3, 5, 5), grad=True)], randomize=True))
    c.append(module_case('BatchNorm2d/train-after-steps', 'BatchNorm2d', (3,), {}, [In(randn(2, 3, 4, 4), grad=True)], randomize=True, pre=bn2_steps))
    c.append(module_case('BatchNorm2d/eval-after-steps', 'BatchNorm2d', (3,), {}, [In(randn(2, 3, 4, 4), grad=True)], randomize=True, pre=bn2_steps, train=False))
    c.append(module_case('BatchNorm2d/momentum-affine-false', 'BatchNorm2d', (3,), {'momentum': 0.5, 'affine': False}, [In(randn(2, 3, 4, 4), grad=True)], pre=bn2_steps))
    c.append(module_case('BatchNorm3d/train', 'BatchNorm3d', (2,), {}, [In(randn(2, 2, 3, 3, 3), grad=True)], randomize=True))
    c.append(module_case('LayerNorm/last-dim', 'LayerNorm', (6,), {}, [In(randn(3, 4, 6) * 2 + 1, grad=True)], randomize=True))
    c.append(module_case('LayerNorm/multi-dim', 'LayerNorm', ([4, 6],), {}, [In(randn(3, 4, 6), grad=True)], randomize=True))
    c.append(module_case('LayerNorm/no-affine', 'LayerNorm', (5,), {'elementwise_affine': False}, [In(randn(2, 5), grad=True)]))
    c.append(module_case('LayerNorm/eps', 'LayerNorm', ([2, 3],), {'eps': 1e-3}, [In(randn(4, 2, 3) * 0.05, grad=True)], randomize=True))
    c.append(module_case('LayerNorm/float64', 'LayerNorm', (4,), {'dtype': torch.float64}, [In(randn(3, 4, dtype=torch.float64), grad=True)], randomize=True))
    c.append(module_case('GroupNorm/basic', 'GroupNorm', (2, 6), {}, [In(randn(3, 6, 4, 4), grad=True)], randomize=True))
    c.append(module_case('GroupNorm/no-affine', 'GroupNorm', (3, 6), {'affine': False}, [In(randn(2, 6, 5), grad=True)]))
    c.append(module_case('GroupNorm/one-group', 'GroupNorm', (1, 4), {'eps': 1e-3}, [In(randn(2, 4), grad=True)], randomize=True))
    c.append(module_case('GroupNorm/per-channel', 'GroupNorm', (4, 4), {}, [In(randn(2, 4, 3, 3), grad=True)], randomize=True))
    c.append(module_case('InstanceNorm2d/basic', 'InstanceNorm2d', (3,), {}, [In(randn(2, 3, 4, 4), grad=True)]))
    c.append(module_case('InstanceNorm2d/affine', 'InstanceNorm2d', (3,), {'affine': True}, [In(randn(2, 3, 4, 5), grad=True)], randomize=True))
    c.append(module_case('InstanceNorm2d/unbatched', 'InstanceNorm2d', (3,), {}, [In(randn(3, 4, 4), grad=True)]))
    in_steps = [(True, [randn(2, 3, 4, 4) + 1]), (True, [randn(2, 3, 4, 4) * 2])]
    c.append(module_case('InstanceNorm2d/track-train', 'InstanceNorm2d', (3,), {'track_running_stats': True}, [In(randn(2, 3, 4, 4), grad=True)], pre=in_steps))
    c.append(module_case('InstanceNorm2d/track-eval', 'InstanceNorm2d', (3,), {'track_running_stats': True, 'affine': True}, [In(randn(2, 3, 4, 4), grad=True)], randomize=True, pre=in_steps, train=False))
    c.append(module_case('InstanceNorm1d/basic', 'InstanceNorm1d', (3,), {'affine': True}, [In(randn(2, 3, 6), grad=True)], randomize=True))

    # 5.5 dropout: masks drawn by bernoulli_ after manual_seed
    c.append(module_case('Dropout/train', 'Dropout', (), {}, [In(randn(32, 16), grad=True)], seed=7))
    c.append(module_case('Dropout/p0.2', 'Dropout', (), {'p': 0.2}, [In(randn(10, 10), grad=True)], seed=8))
    c.append(module_case('Dropout/p0.9-3d', 'Dropout', (0.9,), {}, [In(randn(4, 5, 6), grad=True)], seed=9))
    c.append(module_case('Dropout/inplace', 'Dropout', (0.5,), {'inplace': True}, [In(randn(6, 7), grad=True, clone=True)], seed=10))
    c.append(module_case('Dropout/eval', 'Dropout', (0.5,), {}, [In(randn(6, 7), grad=True)], train=False, seed=10))
    c.append(module_case('Dropout/p0', 'Dropout', (0.0,), {}, [In(randn(3, 4), grad=True)], seed=10))
    c.append(module_case('Dropout/p1', 'Dropout', (1.0,), {}, [In(randn(3, 4), grad=True)], seed=10))
    c.append(module_case('Dropout/float64', 'Dropout', (0.3,), {}, [In(randn(5, 6, dtype=torch.float64), grad=True)], seed=12))
    c.append(module_case('Dropout1d/train', 'Dropout1d', (0.5,), {}, [In(randn(3, 6, 5), grad=True)], seed=13))
    c.append(module_case('Dropout1d/unbatched', 'Dropout1d', (0.5,), {}, [In(randn(6, 5), grad=True)], seed=14))
    c.append(module_case('Dropout2d/train', 'Dropout2d', (), {}, [In(randn(4, 6, 3, 3), grad=True)], seed=15))
    c.append(module_case('Dropout2d/3d-input', 'Dropout2d', (0.5,), {}, [In(randn(4, 6, 3), grad=True)], seed=16))
    c.append(module_case('Dropout2d/eval', 'Dropout2d', (0.5,), {}, [In(randn(2, 3, 2, 2), grad=True)], train=False))
    c.append(module_case('Dropout3d/train', 'Dropout3d', (0.5,), {}, [In(randn(2, 4, 2, 2, 2), grad=True)], seed=17))
    c.append(module_case('Dropout3d/unbatched', 'Dropout3d', (0.4,), {}, [In(randn(5, 2, 2, 2), grad=True)], seed=18))
    c.append(module_case('AlphaDropout/train', 'AlphaDropout', (0.5,), {}, [In(randn(8, 9), grad=True)], seed=19))
    c.append(module_case('AlphaDropout/p0.2', 'AlphaDropout', (0.2,), {}, [In(randn(5, 4, 3), grad=True)], seed=20))
    c.append(module_case('AlphaDropout/eval', 'AlphaDropout', (0.5,), {}, [In(randn(4, 4), grad=True)], train=False, seed=19))
    c.append(module_case('FeatureAlphaDropout/train', 'FeatureAlphaDropout', (0.5,), {}, [In(randn(3, 4, 2, 2), grad=True)], seed=21))

    # 5.8 embedding
    ids = torch.tensor([[1, 2, 4, 5], [4, 3, 2, 0]])
    c.append(module_case('Embedding/basic', 'Embedding', (10, 4), {}, [ids], randomize=True))
    c.append(module_case('Embedding/padding-idx', 'Embedding', (10, 4), {'padding_idx': 0}, [ids], randomize=True))
    c.append(module_case('Embedding/padding-idx-negative', 'Embedding', (6, 3), {'padding_idx': -1}, [torch.tensor([5, 1, 5, 2])], randomize=True))
    c.append(module_case('Embedding/repeated-ids', 'Embedding', (5, 3), {}, [torch.tensor([[0, 0, 1], [1, 4, 0]])], randomize=True))
    c.append(module_case('Embedding/max-norm', 'Embedding', (8, 4), {'max_norm': 1.0}, [torch.tensor([[1, 2, 7], [2, 3, 1]])], randomize=True))
    c.append(module_case('Embedding/max-norm-p1', 'Embedding', (8, 4), {'max_norm': 1.5, 'norm_type': 1.0}, [torch.tensor([0, 5, 6, 0])], randomize=True))
    pre_w = randn(7, 3)
    c.append(module_case('Embedding/from-pretrained-freeze', 'Embedding', (pre_w,), {}, [torch.tensor([1, 6, 0])], factory='from_pretrained'))
    c.append(module_case('Embedding/from-pretrained-trainable', 'Embedding', (pre_w,), {'freeze': False, 'padding_idx': 1}, [torch.tensor([[1, 6], [0, 1]])], factory='from_pretrained'))
    bag_in = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9])
    offs = torch.tensor([0, 4, 6])
    for mode in ('sum', 'mean', 'max'):
        c.append(module_case(f'EmbeddingBag/{mode}-offsets', 'EmbeddingBag', (10, 3), {'mode': mode}, [bag_in, offs], randomize=True))
        c.append(module_case(f'EmbeddingBag/{mode}-2d', 'EmbeddingBag', (10, 3), {'mode': mode}, [torch.tensor([[1, 2, 4], [4, 3, 3]])], randomize=True))
        c.append(module_case(f'EmbeddingBag/{mode}-empty-bag', 'EmbeddingBag', (10, 3), {'mode': mode}, [bag_in, torch.tensor([0, 3, 3, 5])], randomize=True))
        c.append(module_case(f'EmbeddingBag/{mode}-padding', 'EmbeddingBag', (10, 3), {'mode': mode, 'padding_idx': 2}, [bag_in, offs], randomize=True))
    c.append(module_case('EmbeddingBag/per-sample-weights', 'EmbeddingBag', (10, 3), {'mode': 'sum'}, [bag_in, offs, In(rand(8), grad=True)], randomize=True))
    c.append(module_case('EmbeddingBag/include-last-offset', 'EmbeddingBag', (10, 3), {'mode': 'mean', 'include_last_offset': True}, [bag_in, torch.tensor([0, 3, 8])], randomize=True))
    c.append(module_case('EmbeddingBag/max-norm', 'EmbeddingBag', (10, 3), {'mode': 'sum', 'max_norm': 1.0}, [bag_in, offs], randomize=True))
    c.append(module_case('EmbeddingBag/from-pretrained', 'EmbeddingBag', (pre_w,), {'mode': 'max'}, [torch.tensor([[0, 1], [6, 5]])], factory='from_pretrained'))

    # the functional forms, with their positional PyTorch signatures
    w = randn(10, 4)
    c.append(functional_case('F.embedding/padding', 'embedding', [torch.tensor([[0, 2], [2, 5]]), In(w, grad=True)], kwargs={'padding_idx': 2}))
    c.append(functional_case('F.embedding/max-norm', 'embedding', [torch.tensor([1, 3, 3]), In(w, grad=True)], kwargs={'max_norm': 0.5}, after=[1]))
    c.append(functional_case('F.embedding_bag/sum', 'embedding_bag', [bag_in, In(w, grad=True), offs], kwargs={'mode': 'sum'}))
    c.append(functional_case('F.linear/basic', 'linear', [In(randn(3, 5), grad=True), In(randn(2, 5), grad=True), In(randn(2), grad=True)]))
    c.append(functional_case('F.linear/no-bias', 'linear', [In(randn(3, 5), grad=True), In(randn(2, 5), grad=True)]))
    c.append(functional_case('F.bilinear/basic', 'bilinear', [In(randn(3, 2), grad=True), In(randn(3, 4), grad=True), In(randn(5, 2, 4), grad=True), In(randn(5), grad=True)]))
    rm, rv = randn(3), rand(3) + 0.5
    c.append(functional_case('F.batch_norm/train', 'batch_norm', [In(randn(4, 3), grad=True), rm.clone(), rv.clone()], kwargs={'weight': In(randn(3), grad=True), 'bias': In(randn(3), grad=True), 'training': True, 'momentum': 0.2}, after=[1, 2]))
    c.append(functional_case('F.batch_norm/eval', 'batch_norm', [In(randn(4, 3, 2), grad=True), rm.clone(), rv.clone()]))
    c.append(functional_case('F.layer_norm/basic', 'layer_norm', [In(randn(2, 3, 4), grad=True), [3, 4]], kwargs={'weight': In(randn(3, 4), grad=True), 'bias': In(randn(3, 4), grad=True), 'eps': 1e-4}))
    c.append(functional_case('F.group_norm/basic', 'group_norm', [In(randn(2, 4, 3), grad=True), 2, In(randn(4), grad=True), In(randn(4), grad=True)]))
    c.append(functional_case('F.instance_norm/basic', 'instance_norm', [In(randn(2, 3, 5), grad=True)]))
    c.append(functional_case('F.normalize/default', 'normalize', [In(randn(4, 5), grad=True)]))
    c.append(functional_case('F.normalize/p1-dim0', 'normalize', [In(randn(4, 5), grad=True)], kwargs={'p': 1.0, 'dim': 0}))
    c.append(functional_case('F.normalize/zero-row', 'normalize', [In(torch.tensor([[0., 0., 0.], [1., 2., 2.]]), grad=True)]))
    c.append(functional_case('F.dropout/train', 'dropout', [In(randn(5, 6), grad=True)], kwargs={'p': 0.4}, seed=31))
    c.append(functional_case('F.dropout/not-training', 'dropout', [In(randn(5, 6), grad=True)], kwargs={'p': 0.4, 'training': False}, seed=31))
    c.append(functional_case('F.dropout2d/train', 'dropout2d', [In(randn(2, 5, 2, 2), grad=True)], args=[0.3], seed=32))
    c.append(functional_case('F.alpha_dropout/train', 'alpha_dropout', [In(randn(5, 6), grad=True)], args=[0.3, True], seed=33))
    c.append(functional_case('F.one_hot/default', 'one_hot', [torch.tensor([0, 3, 1, 3])]))
    c.append(functional_case('F.one_hot/classes', 'one_hot', [torch.tensor([[0, 2], [1, 0]])], args=[4]))
    c.append(functional_case('F.cosine_similarity/basic', 'cosine_similarity', [In(randn(4, 5), grad=True), In(randn(4, 5), grad=True)]))
    c.append(functional_case('F.cosine_similarity/dim0', 'cosine_similarity', [In(randn(3, 4), grad=True), In(randn(3, 4), grad=True)], kwargs={'dim': 0}))
    c.append(functional_case('F.pairwise_distance/basic', 'pairwise_distance', [In(randn(4, 5), grad=True), In(randn(4, 5), grad=True)]))
    c.append(functional_case('F.pairwise_distance/p1-keepdim', 'pairwise_distance', [In(randn(4, 5), grad=True), In(randn(4, 5), grad=True)], kwargs={'p': 1.0, 'keepdim': True}))
    return c


# ---------------------------------------------------------------------------------------------------
# Activations (chapter 6), with inputs exactly at each kink

KINKS = torch.tensor([-6.0, -3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0, 6.0, 20.0, -20.0, 0.1, 2.5, -2.5])


def act_input(n_random=16, shape=None):
    x = torch.cat([KINKS, randn(n_random) * 3])
    return x.reshape(shape) if shape else x.reshape(4, -1)


def activation_cases():
    c = []
    simple = [
        ('ReLU', (), {}), ('ReLU6', (), {}), ('LeakyReLU', (), {}), ('LeakyReLU', (0.2,), {}),
        ('LeakyReLU', (), {'negative_slope': -0.3}), ('ELU', (), {}), ('ELU', (), {'alpha': 0.5}), ('CELU', (), {'alpha': 2.0}),
        ('SELU', (), {}), ('GELU', (), {}), ('GELU', (), {'approximate': 'tanh'}), ('SiLU', (), {}), ('Mish', (), {}),
        ('Sigmoid', (), {}), ('Tanh', (), {}), ('Softplus', (), {}), ('Softplus', (), {'beta': 2.0, 'threshold': 4.0}),
        ('Hardtanh', (), {}), ('Hardtanh', (-2.0, 3.0), {}), ('Hardtanh', (), {'min_val': -0.5, 'max_val': 0.5}),
        ('Hardswish', (), {}), ('Hardsigmoid', (), {}), ('LogSigmoid', (), {}), ('Softsign', (), {}), ('Tanhshrink', (), {}),
        ('Softshrink', (), {}), ('Softshrink', (1.0,), {}), ('Hardshrink', (), {}), ('Hardshrink', (), {'lambd': 2.0}),
        ('Threshold', (0.5, -1.0), {}), ('Threshold', (), {'threshold': 0.0, 'value': 2.0}),
    ]
    for name, args, kwargs in simple:
        tag = '-'.join([str(a) for a in args] + [f'{k}={v}' for k, v in kwargs.items()]) or 'default'
        c.append(module_case(f'{name}/{tag}', name, args, kwargs, [In(act_input(), grad=True)]))
    # in-place forms (fed a clone of the leaf, so the graph runs through the in-place op)
    for name, args, kwargs in [('ReLU', (), {'inplace': True}), ('ReLU', (True,), {}), ('ReLU6', (), {'inplace': True}),
                               ('LeakyReLU', (), {'negative_slope': 0.1, 'inplace': True}), ('ELU', (), {'alpha': 1.5, 'inplace': True}),
                               ('SELU', (), {'inplace': True}), ('SiLU', (), {'inplace': True}), ('Mish', (), {'inplace': True}),
                               ('Hardtanh', (), {'inplace': True}), ('Hardswish', (), {'inplace': True}), ('Hardsigmoid', (), {'inplace': True}),
                               ('Threshold', (0.1, 20.0), {'inplace': True})]:
        tag = '-'.join([str(a) for a in args] + [f'{k}={v}' for k, v in kwargs.items()])
        c.append(module_case(f'{name}/{tag}', name, args, kwargs, [In(act_input(), grad=True, clone=True)]))
    # PReLU: learnable slopes, shared or per channel
    c.append(module_case('PReLU/shared', 'PReLU', (), {}, [In(act_input(), grad=True)]))
    c.append(module_case('PReLU/per-channel', 'PReLU', (), {'num_parameters': 3, 'init': 0.1}, [In(randn(2, 3, 4), grad=True)], randomize=True))
    c.append(module_case('PReLU/per-channel-2d', 'PReLU', (4,), {}, [In(randn(5, 4), grad=True)], randomize=True))
    c.append(module_case('PReLU/per-channel-4d', 'PReLU', (2,), {}, [In(randn(2, 2, 3, 3), grad=True)], randomize=True))
    c.append(module_case('RReLU/eval', 'RReLU', (), {}, [In(act_input(), grad=True)], train=False))
    c.append(module_case('RReLU/train', 'RReLU', (), {}, [In(act_input(), grad=True)], seed=41))
    c.append(module_case('RReLU/train-bounds', 'RReLU', (0.1, 0.5), {}, [In(randn(3, 5, 4), grad=True)], seed=42))
    c.append(functional_case('F.rrelu/training', 'rrelu', [In(act_input(), grad=True)], kwargs={'training': True}, seed=43))
    # softmax family along a dim
    x3 = randn(2, 3, 4) * 2
    for name in ('Softmax', 'LogSoftmax', 'Softmin'):
        c.append(module_case(f'{name}/dim1', name, (), {'dim': 1}, [In(randn(4, 5) * 3, grad=True)]))
        c.append(module_case(f'{name}/dim-1-3d', name, (-1,), {}, [In(x3, grad=True)]))
        c.append(module_case(f'{name}/dim0-3d', name, (0,), {}, [In(x3, grad=True)]))
    c.append(module_case('Softmax/implicit-dim-2d', 'Softmax', (), {}, [In(randn(3, 4), grad=True)]))
    c.append(module_case('Softmax/implicit-dim-3d', 'Softmax', (), {}, [In(x3, grad=True)]))
    c.append(module_case('Softmax/large', 'Softmax', (), {'dim': 1}, [In(torch.tensor([[1000.0, 1001.0, 999.0], [-1000.0, 0.0, 1000.0]]), grad=True)]))
    c.append(module_case('LogSoftmax/large', 'LogSoftmax', (), {'dim': 1}, [In(torch.tensor([[1000.0, 1001.0, 999.0], [-1000.0, 0.0, 1000.0]]), grad=True)]))
    c.append(module_case('Softmax2d/basic', 'Softmax2d', (), {}, [In(randn(2, 3, 2, 2), grad=True)]))
    c.append(module_case('GLU/default', 'GLU', (), {}, [In(randn(3, 6), grad=True)]))
    c.append(module_case('GLU/dim1', 'GLU', (), {'dim': 1}, [In(randn(3, 4, 5), grad=True)]))
    c.append(module_case('Softmax/float64', 'Softmax', (), {'dim': -1}, [In(randn(3, 5, dtype=torch.float64), grad=True)]))
    c.append(module_case('GELU/float64', 'GELU', (), {}, [In(randn(20, dtype=torch.float64) * 3, grad=True)]))

    # functional forms, with the keyword/positional spellings of the handbook
    fx = act_input()
    c.append(functional_case('F.relu/basic', 'relu', [In(fx, grad=True)]))
    c.append(functional_case('F.relu/inplace', 'relu', [In(fx, grad=True, clone=True)], kwargs={'inplace': True}))
    c.append(functional_case('F.gelu/basic', 'gelu', [In(fx, grad=True)]))
    c.append(functional_case('F.gelu/tanh', 'gelu', [In(fx, grad=True)], kwargs={'approximate': 'tanh'}))
    c.append(functional_case('F.silu/basic', 'silu', [In(fx, grad=True)]))
    c.append(functional_case('F.leaky_relu/kw', 'leaky_relu', [In(fx, grad=True)], kwargs={'negative_slope': 0.01}))
    c.append(functional_case('F.leaky_relu/positional', 'leaky_relu', [In(fx, grad=True)], args=[0.3]))
    c.append(functional_case('F.elu/positional', 'elu', [In(fx, grad=True)], args=[0.7]))
    c.append(functional_case('F.hardtanh/kw', 'hardtanh', [In(fx, grad=True)], kwargs={'min_val': -2.0, 'max_val': 2.0}))
    c.append(functional_case('F.relu6/basic', 'relu6', [In(fx, grad=True)]))
    c.append(functional_case('F.hardswish/basic', 'hardswish', [In(fx, grad=True)]))
    c.append(functional_case('F.softplus/kw', 'softplus', [In(fx, grad=True)], kwargs={'beta': 0.5, 'threshold': 10.0}))
    c.append(functional_case('F.prelu/basic', 'prelu', [In(randn(2, 3, 4), grad=True), In(torch.tensor([0.1, -0.2, 0.3]), grad=True)]))
    c.append(functional_case('F.threshold/positional', 'threshold', [In(fx, grad=True)], args=[1.0, 0.0]))
    logits = randn(32, 10)
    c.append(functional_case('F.softmax/dim1', 'softmax', [In(logits, grad=True)], kwargs={'dim': 1}))
    c.append(functional_case('F.log_softmax/dim1', 'log_softmax', [In(logits, grad=True)], kwargs={'dim': 1}))
    c.append(functional_case('F.softmax/positional-dim', 'softmax', [In(logits, grad=True)], args=[0]))
    c.append(functional_case('F.log_softmax/dtype', 'log_softmax', [In(logits, grad=True)], kwargs={'dim': 1, 'dtype': torch.float64}))
    c.append(functional_case('F.softmin/dim1', 'softmin', [In(logits, grad=True)], kwargs={'dim': 1}))
    c.append(functional_case('F.sigmoid/basic', 'sigmoid', [In(fx, grad=True)]))
    c.append(functional_case('F.tanh/basic', 'tanh', [In(fx, grad=True)]))
    c.append(functional_case('F.logsigmoid/basic', 'logsigmoid', [In(fx, grad=True)]))
    c.append(functional_case('F.mish/basic', 'mish', [In(fx, grad=True)]))
    c.append(functional_case('F.glu/basic', 'glu', [In(randn(2, 8), grad=True)]))
    return c


# ---------------------------------------------------------------------------------------------------
# Losses (chapter 7)

REDUCTIONS = ('none', 'mean', 'sum')


def loss_cases():
    c = []
    x, y = randn(8, 3), randn(8, 3)
    y_kink = x.detach().clone()
    y_kink[0] -= 1.0   # |x - y| exactly 1 (SmoothL1/Huber switch point)
    y_kink[1] -= 0.5
    y_kink[2] += 2.0
    for r in REDUCTIONS:
        for name, kw in [('MSELoss', {}), ('L1Loss', {}), ('SmoothL1Loss', {}), ('SmoothL1Loss', {'beta': 0.5}), ('SmoothL1Loss', {'beta': 0.0}),
                         ('HuberLoss', {}), ('HuberLoss', {'delta': 2.0}), ('HuberLoss', {'delta': 0.5})]:
            tag = ''.join(f'-{k}={v}' for k, v in kw.items())
            c.append(module_case(f'{name}{tag}/{r}', name, (), {**kw, 'reduction': r}, [In(x, grad=True), In(y, grad=True)]))
            c.append(module_case(f'{name}{tag}/{r}-kinks', name, (), {**kw, 'reduction': r}, [In(x, grad=True), In(y_kink, grad=True)]))
    c.append(module_case('MSELoss/float64', 'MSELoss', (), {}, [In(randn(4, 3, dtype=torch.float64), grad=True), In(randn(4, 3, dtype=torch.float64), grad=True)]))

    # cross entropy and NLL
    N, C = 6, 5
    logits = randn(N, C) * 2
    tgt = torch.tensor([0, 4, 2, 2, 1, 3])
    tgt_ign = torch.tensor([0, 4, -100, 2, 1, -100])
    tgt_ign3 = torch.tensor([0, 3, 3, 2, 1, 3])
    w = rand(C) + 0.5
    probs = torch.softmax(randn(N, C), 1)
    kd_logits = randn(2, C, 3, 4)
    kd_tgt = randint(0, C, (2, 3, 4))
    kd_tgt[0, 0, 0] = -100
    kd_probs = torch.softmax(randn(2, C, 3, 4), 1)
    for r in REDUCTIONS:
        ce = lambda cid, kw, ins: c.append(module_case(f'CrossEntropyLoss/{cid}/{r}', 'CrossEntropyLoss', (), {**kw, 'reduction': r}, ins))
        ce('basic', {}, [In(logits, grad=True), tgt])
        ce('weight', {'weight': w}, [In(logits, grad=True), tgt])
        ce('ignore-index', {}, [In(logits, grad=True), tgt_ign])
        ce('ignore-index-3', {'ignore_index': 3}, [In(logits, grad=True), tgt_ign3])
        ce('weight-ignore', {'weight': w, 'ignore_index': 3}, [In(logits, grad=True), tgt_ign3])
        ce('smoothing', {'label_smoothing': 0.1}, [In(logits, grad=True), tgt])
        ce('smoothing-weight', {'label_smoothing': 0.2, 'weight': w}, [In(logits, grad=True), tgt])
        ce('smoothing-weight-ignore', {'label_smoothing': 0.2, 'weight': w}, [In(logits, grad=True), tgt_ign])
        ce('smoothing-ignore', {'label_smoothing': 0.3}, [In(logits, grad=True), tgt_ign])
        ce('probs', {}, [In(logits, grad=True), In(probs, grad=True)])
        ce('probs-weight', {'weight': w}, [In(logits, grad=True), In(probs, grad=True)])
        ce('probs-smoothing', {'label_smoothing': 0.1}, [In(logits, grad=True), In(probs, grad=True)])
        ce('probs-smoothing-weight', {'label_smoothing': 0.1, 'weight': w}, [In(logits, grad=True), In(probs, grad=True)])
        ce('kdim', {}, [In(kd_logits, grad=True), kd_tgt])
        ce('kdim-weight-smoothing', {'weight': w, 'label_smoothing': 0.05}, [In(kd_logits, grad=True), kd_tgt])
        ce('kdim-probs', {}, [In(kd_logits, grad=True), In(kd_probs, grad=True)])
        ce('unbatched', {}, [In(logits[0], grad=True), torch.tensor(3)])
        ce('unbatched-probs', {'label_smoothing': 0.1}, [In(logits[1], grad=True), In(probs[1], grad=True)])
        logp = torch.log_softmax(logits, 1)
        nl = lambda cid, kw, ins: c.append(module_case(f'NLLLoss/{cid}/{r}', 'NLLLoss', (), {**kw, 'reduction': r}, ins))
        nl('basic', {}, [In(logp, grad=True), tgt])
        nl('weight', {'weight': w}, [In(logp, grad=True), tgt])
        nl('ignore', {'ignore_index': 2}, [In(logp, grad=True), tgt])
        nl('weight-ignore', {'weight': w}, [In(logp, grad=True), tgt_ign])
        nl('kdim', {'weight': w}, [In(torch.log_softmax(kd_logits, 1), grad=True), kd_tgt])
        nl('unbatched', {}, [In(logp[2], grad=True), torch.tensor(1)])
    c.append(module_case('CrossEntropyLoss/all-ignored/mean', 'CrossEntropyLoss', (), {}, [In(logits[:2], grad=True), torch.tensor([-100, -100])]))
    c.append(module_case('CrossEntropyLoss/float64', 'CrossEntropyLoss', (), {'label_smoothing': 0.1}, [In(logits.double(), grad=True), tgt]))
    c.append(module_case('CrossEntropyLoss/handbook', 'CrossEntropyLoss', (), {'weight': None, 'ignore_index': -100, 'label_smoothing': 0.0}, [In(randn(32, 10), grad=True), randint(0, 10, (32,))]))

    # binary
    p = torch.sigmoid(randn(6, 4))
    t01 = rand(6, 4)
    tb = randint(0, 2, (6, 4)).float()
    bw = rand(4) + 0.5
    lg = randn(6, 4) * 3
    pw = rand(4) * 3
    for r in REDUCTIONS:
        c.append(module_case(f'BCELoss/basic/{r}', 'BCELoss', (), {'reduction': r}, [In(p, grad=True), In(t01, grad=True)]))
        c.append(module_case(f'BCELoss/weight/{r}', 'BCELoss', (), {'reduction': r, 'weight': bw}, [In(p, grad=True), In(tb, grad=True)]))
        c.append(module_case(f'BCEWithLogitsLoss/basic/{r}', 'BCEWithLogitsLoss', (), {'reduction': r}, [In(lg, grad=True), In(t01, grad=True)]))
        c.append(module_case(f'BCEWithLogitsLoss/pos-weight/{r}', 'BCEWithLogitsLoss', (), {'reduction': r, 'pos_weight': pw}, [In(lg, grad=True), In(tb, grad=True)]))
        c.append(module_case(f'BCEWithLogitsLoss/weight-pos-weight/{r}', 'BCEWithLogitsLoss', (), {'reduction': r, 'weight': bw, 'pos_weight': pw}, [In(lg, grad=True), In(t01, grad=True)]))
        c.append(module_case(f'MultiLabelSoftMarginLoss/basic/{r}', 'MultiLabelSoftMarginLoss', (), {'reduction': r}, [In(lg, grad=True), tb]))
        c.append(module_case(f'MultiLabelSoftMarginLoss/weight/{r}', 'MultiLabelSoftMarginLoss', (), {'reduction': r, 'weight': bw}, [In(lg, grad=True), tb]))
        mm_x, mm_t = randn(5, 4), torch.tensor([0, 3, 1, 1, 2])
        c.append(module_case(f'MultiMarginLoss/p1/{r}', 'MultiMarginLoss', (), {'reduction': r}, [In(mm_x, grad=True), mm_t]))
        c.append(module_case(f'MultiMarginLoss/p2-margin/{r}', 'MultiMarginLoss', (), {'reduction': r, 'p': 2, 'margin': 0.7}, [In(mm_x, grad=True), mm_t]))
        c.append(module_case(f'MultiMarginLoss/weight/{r}', 'MultiMarginLoss', (), {'reduction': r, 'weight': bw}, [In(mm_x, grad=True), mm_t]))
        c.append(module_case(f'MultiMarginLoss/p2-weight/{r}', 'MultiMarginLoss', (), {'reduction': r, 'p': 2, 'weight': bw}, [In(mm_x, grad=True), mm_t]))
    c.append(module_case('BCELoss/edges', 'BCELoss', (), {'reduction': 'none'}, [torch.tensor([0.0, 1.0, 0.0, 1.0, 1e-30]), torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0])]))
    c.append(module_case('BCEWithLogitsLoss/handbook', 'BCEWithLogitsLoss', (), {'pos_weight': torch.tensor([2.0])}, [In(randn(32, 1), grad=True), randint(0, 2, (32, 1)).float()]))
    c.append(module_case('BCEWithLogitsLoss/handbook-multilabel', 'BCEWithLogitsLoss', (), {'pos_weight': torch.tensor([2.0])}, [In(randn(32, 5), grad=True), randint(0, 2, (32, 5)).float()]))
    c.append(module_case('BCEWithLogitsLoss/large-logits', 'BCEWithLogitsLoss', (), {'reduction': 'none'}, [In(torch.tensor([-200.0, -30.0, 0.0, 30.0, 200.0]), grad=True), torch.tensor([1.0, 0.0, 0.5, 1.0, 0.0])]))
    c.append(module_case('MultiMarginLoss/unbatched', 'MultiMarginLoss', (), {}, [In(randn(4), grad=True), torch.tensor(2)]))

    # other losses
    lq = torch.log_softmax(randn(6, 5), 1)
    pt = torch.softmax(randn(6, 5), 1)
    for r in ('none', 'mean', 'sum', 'batchmean'):
        c.append(module_case(f'KLDivLoss/basic/{r}', 'KLDivLoss', (), {'reduction': r}, [In(lq, grad=True), In(pt, grad=True)]))
        c.append(module_case(f'KLDivLoss/log-target/{r}', 'KLDivLoss', (), {'reduction': r, 'log_target': True}, [In(lq, grad=True), In(torch.log(pt), grad=True)]))
    c.append(module_case('KLDivLoss/zero-target', 'KLDivLoss', (), {'reduction': 'sum'}, [In(lq, grad=True), torch.tensor([[0.0, 0.5, 0.5, 0.0, 0.0]] * 6)]))
    c.append(module_case('KLDivLoss/handbook', 'KLDivLoss', (), {'reduction': 'batchmean'}, [In(F.log_softmax(randn(32, 10), dim=1), grad=True), F.softmax(randn(32, 10), dim=1)]))
    a, b = randn(7, 6), randn(7, 6)
    yc = torch.tensor([1, -1, 1, -1, -1, 1, 0]).float()
    ym = torch.tensor([1, -1, 1, -1, -1, 1, 1]).float()
    for r in REDUCTIONS:
        c.append(module_case(f'CosineEmbeddingLoss/basic/{r}', 'CosineEmbeddingLoss', (), {'reduction': r}, [In(a, grad=True), In(b, grad=True), yc]))
        c.append(module_case(f'CosineEmbeddingLoss/margin/{r}', 'CosineEmbeddingLoss', (), {'reduction': r, 'margin': -0.2}, [In(a, grad=True), In(b, grad=True), yc]))
        c.append(module_case(f'MarginRankingLoss/basic/{r}', 'MarginRankingLoss', (), {'reduction': r}, [In(a[:, 0], grad=True), In(b[:, 0], grad=True), ym]))
        c.append(module_case(f'MarginRankingLoss/margin/{r}', 'MarginRankingLoss', (), {'reduction': r, 'margin': 0.5}, [In(a[:, 0], grad=True), In(b[:, 0], grad=True), ym]))
        n = randn(7, 6)
        c.append(module_case(f'TripletMarginLoss/basic/{r}', 'TripletMarginLoss', (), {'reduction': r}, [In(a, grad=True), In(b, grad=True), In(n, grad=True)]))
        c.append(module_case(f'TripletMarginLoss/swap-p1/{r}', 'TripletMarginLoss', (), {'reduction': r, 'swap': True, 'p': 1.0, 'margin': 2.0}, [In(a, grad=True), In(a + 0.3 * b, grad=True), In(n, grad=True)]))
        c.append(module_case(f'SoftMarginLoss/basic/{r}', 'SoftMarginLoss', (), {'reduction': r}, [In(a, grad=True), torch.sign(b)]))
    c.append(module_case('CosineEmbeddingLoss/1d', 'CosineEmbeddingLoss', (), {}, [In(a[0], grad=True), In(b[0], grad=True), torch.tensor(-1.0)]))
    c.append(module_case('CosineEmbeddingLoss/handbook', 'CosineEmbeddingLoss', (), {}, [In(randn(32, 128), grad=True), In(randn(32, 128), grad=True), randint(-1, 2, (32,)).float()]))
    c.append(module_case('TripletMarginLoss/handbook', 'TripletMarginLoss', (), {'margin': 1.0}, [In(randn(32, 128), grad=True), In(randn(32, 128), grad=True), In(randn(32, 128), grad=True)]))
    c.append(module_case('TripletMarginLoss/1d', 'TripletMarginLoss', (), {}, [In(a[0], grad=True), In(b[0], grad=True), In(a[1], grad=True)]))

    # functional spellings
    c.append(functional_case('F.cross_entropy/kw', 'cross_entropy', [In(logits, grad=True), tgt], kwargs={'weight': w, 'label_smoothing': 0.1, 'reduction': 'sum'}))
    c.append(functional_case('F.nll_loss/basic', 'nll_loss', [In(torch.log_softmax(logits, 1), grad=True), tgt]))
    c.append(functional_case('F.mse_loss/basic', 'mse_loss', [In(x, grad=True), In(y, grad=True)]))
    c.append(functional_case('F.smooth_l1_loss/beta', 'smooth_l1_loss', [In(x, grad=True), In(y_kink, grad=True)], kwargs={'beta': 0.5}))
    c.append(functional_case('F.huber_loss/delta', 'huber_loss', [In(x, grad=True), In(y_kink, grad=True)], kwargs={'delta': 0.5, 'reduction': 'sum'}))
    c.append(functional_case('F.binary_cross_entropy/basic', 'binary_cross_entropy', [In(p, grad=True), t01]))
    c.append(functional_case('F.binary_cross_entropy_with_logits/pos', 'binary_cross_entropy_with_logits', [In(lg, grad=True), t01], kwargs={'pos_weight': pw}))
    c.append(functional_case('F.kl_div/batchmean', 'kl_div', [In(lq, grad=True), pt], kwargs={'reduction': 'batchmean'}))
    c.append(functional_case('F.triplet_margin_loss/swap', 'triplet_margin_loss', [In(a, grad=True), In(b, grad=True), In(randn(7, 6), grad=True)], kwargs={'swap': True}))
    c.append(functional_case('F.multi_margin_loss/p2', 'multi_margin_loss', [In(randn(5, 4), grad=True), torch.tensor([0, 3, 1, 1, 2])], kwargs={'p': 2}))
    c.append(functional_case('F.margin_ranking_loss/basic', 'margin_ranking_loss', [In(a[:, 1], grad=True), In(b[:, 1], grad=True), ym], kwargs={'margin': 0.1}))
    c.append(functional_case('F.cosine_embedding_loss/basic', 'cosine_embedding_loss', [In(a, grad=True), In(b, grad=True), yc]))
    c.append(functional_case('F.multilabel_soft_margin_loss/basic', 'multilabel_soft_margin_loss', [In(lg, grad=True), tb]))
    c.append(functional_case('F.l1_loss/sum', 'l1_loss', [In(x, grad=True), In(y, grad=True)], kwargs={'reduction': 'sum'}))
    return c


def ctc_cases():
    """CTC: log-probs (T, N, C) (or (T, C) unbatched); targets padded (N, S) or concatenated; lengths as
    tensors or tuples. Gradients are recorded both w.r.t. the log-probs (PyTorch's kernel returns the
    gradient w.r.t. the logits of a log_softmax, not the true one) and w.r.t. logits under log_softmax."""
    c = []
    T, N, C = 12, 3, 5
    logits = randn(T, N, C)
    lp = torch.log_softmax(logits, 2)
    tgt_pad = torch.tensor([[1, 2, 2, 3], [4, 4, 0, 0], [2, 1, 3, 4]])
    tgt_len = torch.tensor([4, 2, 3])
    in_len = torch.tensor([12, 9, 10])
    tgt_cat = torch.cat([tgt_pad[i, :tgt_len[i]] for i in range(N)])
    for r in REDUCTIONS:
        c.append(module_case(f'CTCLoss/padded/{r}', 'CTCLoss', (), {'reduction': r}, [In(lp, grad=True), tgt_pad, in_len, tgt_len]))
        c.append(module_case(f'CTCLoss/concatenated/{r}', 'CTCLoss', (), {'reduction': r}, [In(lp, grad=True), tgt_cat, in_len, tgt_len]))
        c.append(module_case(f'CTCLoss/tuple-lengths/{r}', 'CTCLoss', (), {'reduction': r}, [In(lp, grad=True), tgt_pad, [12, 9, 10], [4, 2, 3]]))
    # blank elsewhere, and targets that avoid it
    tgt_b = torch.tensor([[0, 1, 1], [3, 2, 0], [1, 0, 2]])
    c.append(module_case('CTCLoss/blank-last', 'CTCLoss', (), {'blank': 4}, [In(lp, grad=True), tgt_b, in_len, torch.tensor([3, 3, 2])]))
    # a zero-length target, and an impossible alignment (target longer than the input allows)
    tgt_imp = torch.tensor([[1, 2, 1, 2, 1, 2], [3, 3, 3, 3, 3, 3], [1, 1, 1, 1, 1, 1]])
    imp_len = torch.tensor([6, 0, 6])
    imp_in = torch.tensor([12, 5, 7])  # the third needs 11 frames (five repeats need blanks between)
    c.append(module_case('CTCLoss/zero-infinity/none', 'CTCLoss', (), {'reduction': 'none', 'zero_infinity': True}, [In(lp, grad=True), tgt_imp, imp_in, imp_len]))
    c.append(module_case('CTCLoss/zero-infinity/mean', 'CTCLoss', (), {'zero_infinity': True}, [In(lp, grad=True), tgt_imp, imp_in, imp_len]))
    c.append(module_case('CTCLoss/zero-infinity/sum', 'CTCLoss', (), {'reduction': 'sum', 'zero_infinity': True}, [In(lp, grad=True), tgt_imp, imp_in, imp_len]))
    c.append(module_case('CTCLoss/infinite-no-grad/none', 'CTCLoss', (), {'reduction': 'none'}, [lp, tgt_imp, imp_in, imp_len]))
    # through log_softmax: the gradient w.r.t. the logits is the true one
    for r in REDUCTIONS:
        case = ctc_through_log_softmax(f'CTC/logits/{r}', logits, tgt_pad, in_len, tgt_len, r, 0, False)
        c.append(case)
    # (targets must not contain the blank: PyTorch's backward mishandles a blank as the last label)
    tgt_b2 = torch.where(tgt_imp == 2, torch.tensor(4), tgt_imp)
    c.append(ctc_through_log_softmax('CTC/logits-blank2-zero-inf', logits, tgt_b2, imp_in, imp_len, 'mean', 2, True))
    lp64 = torch.log_softmax(randn(9, 2, 4, dtype=torch.float64), 2)
    c.append(module_case('CTCLoss/float64', 'CTCLoss', (), {}, [In(lp64, grad=True), torch.tensor([[1, 2, 2], [3, 1, 0]]), torch.tensor([9, 7]), torch.tensor([3, 2])]))
    # unbatched (T, C) with a 1-D target and 0-d lengths
    c.append(module_case('CTCLoss/unbatched', 'CTCLoss', (), {'reduction': 'none'}, [In(lp[:, 0], grad=True), tgt_pad[0], torch.tensor(12), torch.tensor(4)]))
    c.append(functional_case('F.ctc_loss/kw', 'ctc_loss', [In(lp, grad=True), tgt_pad, in_len, tgt_len], kwargs={'reduction': 'sum', 'blank': 0}))
    # longer sequence, larger alphabet
    lp_long = torch.log_softmax(randn(40, 2, 12), 2)
    c.append(module_case('CTCLoss/long', 'CTCLoss', (), {}, [In(lp_long, grad=True), randint(1, 12, (2, 15)), torch.tensor([40, 33]), torch.tensor([15, 11])]))
    return c


def ctc_through_log_softmax(cid, logits, targets, in_len, tgt_len, reduction, blank, zero_inf):
    x = logits.detach().clone().requires_grad_(True)
    loss = F.ctc_loss(F.log_softmax(x, 2), targets, in_len, tgt_len, blank=blank, reduction=reduction, zero_infinity=zero_inf)
    case = {'id': cid, 'kind': 'ctc-logits', 'logits': enc(x), 'targets': enc(targets), 'input_lengths': enc(in_len),
            'target_lengths': enc(tgt_len), 'kwargs': {'blank': blank, 'reduction': reduction, 'zero_infinity': zero_inf}, 'output': enc(loss)}
    g = torch.randn(loss.shape, generator=torch.Generator().manual_seed(99)) if loss.dim() else torch.tensor(1.0)
    loss.backward(g)
    case['grad_output'] = enc(g)
    case['grad_logits'] = enc(x.grad)
    return case


# ---------------------------------------------------------------------------------------------------
# nn.init (14.1) and default initialisation


def init_cases():
    c = []

    def rec(cid, fn, shape, args=(), kwargs=None, seed=0, dtype=torch.float32):
        kwargs = kwargs or {}
        torch.manual_seed(seed)
        t = torch.empty(*shape, dtype=dtype)
        getattr(init, fn)(t, *args, **kwargs)
        c.append({'id': cid, 'fn': fn, 'shape': list(shape), 'dtype': 'float32' if dtype == torch.float32 else 'float64', 'args': enc_arg(list(args)),
                  'kwargs': enc_arg(kwargs), 'seed': seed, 'output': enc(t, summarize=fn not in ('orthogonal_', 'trunc_normal_'))})

    rec('xavier_uniform_/default', 'xavier_uniform_', (64, 128))
    rec('xavier_uniform_/gain', 'xavier_uniform_', (5, 7), kwargs={'gain': init.calculate_gain('tanh')}, seed=1)
    rec('xavier_normal_/default', 'xavier_normal_', (64, 128), seed=2)
    rec('xavier_normal_/gain-conv', 'xavier_normal_', (4, 3, 3, 3), args=(2.0,), seed=3)
    rec('kaiming_uniform_/handbook', 'kaiming_uniform_', (64, 128), kwargs={'mode': 'fan_in', 'nonlinearity': 'relu'}, seed=4)
    rec('kaiming_normal_/handbook', 'kaiming_normal_', (64, 128), kwargs={'mode': 'fan_out', 'nonlinearity': 'relu'}, seed=5)
    rec('kaiming_uniform_/default', 'kaiming_uniform_', (6, 5), seed=6)
    rec('kaiming_uniform_/a-sqrt5', 'kaiming_uniform_', (6, 5), kwargs={'a': math.sqrt(5)}, seed=7)
    rec('kaiming_normal_/leaky', 'kaiming_normal_', (6, 5), kwargs={'a': 0.2, 'mode': 'fan_in', 'nonlinearity': 'leaky_relu'}, seed=8)
    rec('kaiming_normal_/fan-out-conv', 'kaiming_normal_', (8, 3, 3, 3), kwargs={'mode': 'fan_out'}, seed=9)
    rec('kaiming_uniform_/tanh-fan-out', 'kaiming_uniform_', (5, 4, 2), kwargs={'mode': 'fan_out', 'nonlinearity': 'tanh'}, seed=10)
    rec('kaiming_normal_/selu', 'kaiming_normal_', (5, 9), kwargs={'nonlinearity': 'selu'}, seed=11)
    rec('kaiming_normal_/linear', 'kaiming_normal_', (5, 9), kwargs={'nonlinearity': 'linear'}, seed=11)
    rec('constant_/handbook', 'constant_', (5,), args=(0,))
    rec('constant_/value', 'constant_', (2, 3), args=(0.25,))
    rec('zeros_/handbook', 'zeros_', (3, 4))
    rec('ones_/handbook', 'ones_', (3, 4))
    rec('eye_/rect', 'eye_', (3, 5))
    rec('normal_/handbook', 'normal_', (64, 128), kwargs={'mean': 0, 'std': 0.01}, seed=12)
    rec('normal_/positional', 'normal_', (10,), args=(1.0, 2.0), seed=13)
    rec('uniform_/handbook', 'uniform_', (64, 128), kwargs={'a': -1, 'b': 1}, seed=14)
    rec('uniform_/default', 'uniform_', (10,), seed=15)
    rec('orthogonal_/square', 'orthogonal_', (6, 6), seed=16)
    rec('orthogonal_/tall', 'orthogonal_', (8, 4), seed=17)
    rec('orthogonal_/wide', 'orthogonal_', (3, 7), seed=18)
    rec('orthogonal_/gain-3d', 'orthogonal_', (4, 2, 3), kwargs={'gain': 2.0}, seed=19)
    rec('orthogonal_/handbook', 'orthogonal_', (64, 128), seed=20)
    rec('trunc_normal_/default', 'trunc_normal_', (50,), seed=21)
    rec('trunc_normal_/args', 'trunc_normal_', (6, 5), kwargs={'mean': 0.5, 'std': 0.2, 'a': 0.0, 'b': 1.0}, seed=22)
    rec('xavier_uniform_/float64', 'xavier_uniform_', (4, 6), seed=23, dtype=torch.float64)
    rec('kaiming_normal_/float64', 'kaiming_normal_', (4, 6), seed=24, dtype=torch.float64)
    rec('dirac_/conv', 'dirac_', (3, 2, 3))

    gains = []
    for args in [('linear',), ('conv1d',), ('conv2d',), ('conv3d',), ('conv_transpose1d',), ('conv_transpose2d',), ('conv_transpose3d',),
                 ('sigmoid',), ('tanh',), ('relu',), ('leaky_relu',), ('leaky_relu', 0.2), ('leaky_relu', 0), ('selu',)]:
        gains.append({'args': list(args), 'gain': init.calculate_gain(*args)})

    defaults = []

    def default(cid, name, args, kwargs=None, seed=0):
        torch.manual_seed(seed)
        m = getattr(nn, name)(*args, **(kwargs or {}))
        defaults.append({'id': cid, 'module': name, 'args': enc_arg(list(args)), 'kwargs': enc_arg(kwargs or {}), 'seed': seed, 'state': state(m, summarize=True)})

    default('Linear/784-256', 'Linear', (784, 256))
    default('Linear/3-2', 'Linear', (3, 2), seed=5)
    default('Linear/no-bias', 'Linear', (4, 3), {'bias': False}, seed=6)
    default('Bilinear', 'Bilinear', (3, 4, 5), seed=7)
    default('Embedding', 'Embedding', (10, 4), seed=8)
    default('Embedding/padding', 'Embedding', (10, 4), {'padding_idx': 3}, seed=9)
    default('EmbeddingBag', 'EmbeddingBag', (6, 3), {'mode': 'sum'}, seed=10)
    default('EmbeddingBag/padding', 'EmbeddingBag', (6, 3), {'padding_idx': 0}, seed=10)
    default('BatchNorm1d', 'BatchNorm1d', (8,), seed=11)
    default('BatchNorm2d/no-affine', 'BatchNorm2d', (3,), {'affine': False}, seed=11)
    default('LayerNorm', 'LayerNorm', ([2, 3],), seed=12)
    default('GroupNorm', 'GroupNorm', (2, 4), seed=12)
    default('InstanceNorm2d/track', 'InstanceNorm2d', (3,), {'track_running_stats': True, 'affine': True}, seed=12)
    default('PReLU', 'PReLU', (3,), seed=13)
    # a whole model: parameters drawn in registration order
    torch.manual_seed(42)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    defaults.append({'id': 'Sequential/handbook', 'module': 'Sequential-handbook', 'seed': 42, 'state': state(model, summarize=True)})
    return c, gains, defaults


# ---------------------------------------------------------------------------------------------------
# nn.utils (14.2)


def utils_cases():
    c = []
    shapes = [(3, 4), (5,), (2, 2, 2)]

    def params_with_grads(scale=1.0):
        ps = []
        for s in shapes:
            p = nn.Parameter(randn(*s))
            p.grad = randn(*s) * scale
            ps.append(p)
        return ps

    for norm_type in (2.0, 1.0, 'inf', 3.0):
        for max_norm in (1.0, 100.0):
            ps = params_with_grads()
            before = [enc(p.grad) for p in ps]
            nt = math.inf if norm_type == 'inf' else norm_type
            total = clip_grad_norm_(ps, max_norm=max_norm, norm_type=nt)
            c.append({'id': f'clip_grad_norm_/{norm_type}/{max_norm}', 'fn': 'clip_grad_norm_', 'grads': before, 'max_norm': max_norm,
                      'norm_type': norm_type, 'total_norm': enc(total), 'after': [enc(p.grad) for p in ps]})
    ps = params_with_grads()
    ps[1].grad = None
    before = [enc(p.grad) if p.grad is not None else None for p in ps]
    total = clip_grad_norm_(ps, 0.5)
    c.append({'id': 'clip_grad_norm_/missing-grad', 'fn': 'clip_grad_norm_', 'grads': before, 'max_norm': 0.5, 'norm_type': 2.0,
              'total_norm': enc(total), 'after': [enc(p.grad) if p.grad is not None else None for p in ps]})
    p1 = nn.Parameter(randn(3))
    total = clip_grad_norm_([p1], 1.0)
    c.append({'id': 'clip_grad_norm_/no-grads', 'fn': 'clip_grad_norm_', 'grads': [None], 'max_norm': 1.0, 'norm_type': 2.0,
              'total_norm': enc(total), 'after': [None]})
    for cv in (1.0, 0.25):
        ps = params_with_grads(2.0)
        before = [enc(p.grad) for p in ps]
        clip_grad_value_(ps, clip_value=cv)
        c.append({'id': f'clip_grad_value_/{cv}', 'fn': 'clip_grad_value_', 'grads': before, 'clip_value': cv, 'after': [enc(p.grad) for p in ps]})
    ps = params_with_grads()
    vec = parameters_to_vector(ps)
    c.append({'id': 'parameters_to_vector', 'fn': 'parameters_to_vector', 'params': [enc(p) for p in ps], 'output': enc(vec)})
    new = randn(vec.numel())
    vector_to_parameters(new, ps)
    c.append({'id': 'vector_to_parameters', 'fn': 'vector_to_parameters', 'vector': enc(new), 'shapes': [list(s) for s in shapes],
              'after': [enc(p) for p in ps]})
    return c


# ---------------------------------------------------------------------------------------------------
# Printing, state_dict and load_state_dict (5.9, 14.3, 15.1)


class Classifier(nn.Module):
    def __init__(self, input_dim, hidden_dim, num_classes, dropout=0.5):
        super().__init__()
        self.fc1 = nn.Linear(input_dim, hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, hidden_dim)
        self.fc3 = nn.Linear(hidden_dim, num_classes)
        self.dropout = nn.Dropout(dropout)
        self.bn1 = nn.BatchNorm1d(hidden_dim)
        self.bn2 = nn.BatchNorm1d(hidden_dim)

    def forward(self, x):
        x = F.relu(self.bn1(self.fc1(x)))
        x = self.dropout(x)
        x = F.relu(self.bn2(self.fc2(x)))
        x = self.dropout(x)
        x = self.fc3(x)
        return x


class MyModel(nn.Module):
    def __init__(self, num_layers):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(128, 128) for _ in range(num_layers)])

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class MultiTaskModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Linear(128, 64)
        self.heads = nn.ModuleDict({'classification': nn.Linear(64, 10), 'regression': nn.Linear(64, 1)})

    def forward(self, x, task):
        x = self.backbone(x)
        return self.heads[task](x)


def handbook_models():
    return {
        'Classifier': Classifier(784, 256, 10),
        'Sequential': nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)),
        'SequentialOrderedDict': nn.Sequential(OrderedDict([('fc1', nn.Linear(784, 256)), ('relu1', nn.ReLU()), ('fc2', nn.Linear(256, 10))])),
        'MyModel': MyModel(3),
        'MultiTaskModel': MultiTaskModel(),
    }


def module_info_cases():
    models = []
    for name, m in handbook_models().items():
        models.append({
            'model': name,
            'repr': repr(m),
            'state_dict_keys': list(m.state_dict().keys()),
            'named_parameters': [[k, list(p.shape)] for k, p in m.named_parameters()],
            'named_modules': [[k, type(v).__name__] for k, v in m.named_modules()],
            'named_children': [k for k, _ in m.named_children()],
            'named_buffers': [k for k, _ in m.named_buffers()],
            'total_params': sum(p.numel() for p in m.parameters()),
        })
    reprs = []

    def r(name, args=(), kwargs=None, factory=None):
        cls = getattr(nn, name)
        m = getattr(cls, factory)(*args, **(kwargs or {})) if factory else cls(*args, **(kwargs or {}))
        reprs.append({'module': name, 'args': enc_arg(list(args)), 'kwargs': enc_arg(kwargs or {}), 'factory': factory, 'repr': repr(m)})

    for name, args, kwargs in [
        ('Linear', (128, 64), {}), ('Linear', (3, 2), {'bias': False}), ('Bilinear', (3, 4, 5), {}), ('LazyLinear', (64,), {}), ('Identity', (), {}),
        ('BatchNorm1d', (256,), {}), ('BatchNorm2d', (64,), {'momentum': None, 'affine': False}), ('BatchNorm1d', (4,), {'eps': 1e-3, 'track_running_stats': False}),
        ('LayerNorm', (768,), {}), ('LayerNorm', ([10, 768],), {}), ('LayerNorm', (5,), {'elementwise_affine': False, 'eps': 1e-6}),
        ('GroupNorm', (8, 64), {}), ('InstanceNorm2d', (64,), {}), ('InstanceNorm1d', (3,), {'affine': True, 'track_running_stats': True}),
        ('Dropout', (), {}), ('Dropout', (0.1,), {'inplace': True}), ('Dropout2d', (0.5,), {}), ('Dropout3d', (), {}), ('AlphaDropout', (0.2,), {}),
        ('Embedding', (10000, 256), {'padding_idx': 0}), ('Embedding', (10, 3), {'max_norm': 1.0}), ('Embedding', (10, 3), {'max_norm': 2.0, 'norm_type': 1.0, 'scale_grad_by_freq': True}),
        ('EmbeddingBag', (1000, 128), {'mode': 'mean'}), ('EmbeddingBag', (10, 3), {'mode': 'sum', 'padding_idx': 2}),
        ('ReLU', (), {}), ('ReLU', (), {'inplace': True}), ('ReLU6', (), {}), ('LeakyReLU', (), {}), ('LeakyReLU', (0.2, True), {}), ('PReLU', (), {}), ('PReLU', (3,), {}),
        ('ELU', (), {}), ('ELU', (), {'alpha': 0.5, 'inplace': True}), ('CELU', (), {}), ('SELU', (), {}), ('GELU', (), {}), ('GELU', (), {'approximate': 'tanh'}),
        ('SiLU', (), {}), ('Mish', (), {}), ('Sigmoid', (), {}), ('Tanh', (), {}), ('Softmax', (), {'dim': 1}), ('Softmax', (), {}), ('LogSoftmax', (), {'dim': -1}),
        ('Softmin', (), {'dim': 0}), ('Softmax2d', (), {}), ('Softplus', (), {}), ('Softplus', (), {'beta': 2, 'threshold': 10}), ('Hardtanh', (), {}), ('Hardtanh', (-2.0, 2.0), {}),
        ('Hardswish', (), {}), ('Hardsigmoid', (), {}), ('LogSigmoid', (), {}), ('Softsign', (), {}), ('Tanhshrink', (), {}), ('Softshrink', (), {}), ('Hardshrink', (), {}),
        ('Threshold', (0.1, 20.0), {}), ('GLU', (), {}), ('RReLU', (), {}),
        ('MSELoss', (), {}), ('L1Loss', (), {'reduction': 'sum'}), ('SmoothL1Loss', (), {}), ('HuberLoss', (), {}), ('CrossEntropyLoss', (), {}), ('NLLLoss', (), {}),
        ('BCELoss', (), {}), ('BCEWithLogitsLoss', (), {'pos_weight': torch.tensor([2.0])}), ('MultiLabelSoftMarginLoss', (), {}), ('MultiMarginLoss', (), {}),
        ('KLDivLoss', (), {'reduction': 'batchmean'}), ('CosineEmbeddingLoss', (), {}), ('TripletMarginLoss', (), {'margin': 1.0}), ('MarginRankingLoss', (), {}), ('CTCLoss', (), {}),
        ('Flatten', (), {}), ('Unflatten', (1, (2, 5)), {}),
    ]:
        r(name, args, kwargs)
    r('Embedding', (torch.zeros(5, 2),), {'freeze': False}, factory='from_pretrained')
    plist = nn.ParameterList([nn.Parameter(torch.zeros(3, 4)), nn.Parameter(torch.zeros(5, dtype=torch.float64))])
    pdict = nn.ParameterDict({'a': nn.Parameter(torch.zeros(2)), 'b': nn.Parameter(torch.zeros(1, 2))})
    extra_reprs = [
        {'id': 'ParameterList', 'repr': repr(plist)},
        {'id': 'ParameterDict', 'repr': repr(pdict)},
        {'id': 'Sequential-slice', 'repr': repr(handbook_models()['Sequential'][1:3])},
        {'id': 'Parameter', 'repr': repr(nn.Parameter(torch.tensor([1.0, 2.0])))},
    ]

    # load_state_dict: missing / unexpected keys, strict errors, size mismatch
    loads = []
    clf = Classifier(8, 6, 3)
    sd = clf.state_dict()
    partial = OrderedDict((k, v) for k, v in sd.items() if not k.startswith('bn2.') and k != 'fc1.bias')
    partial['extra.weight'] = torch.zeros(2)
    partial['fc3.scale'] = torch.zeros(1)
    res = clf.load_state_dict(partial, strict=False)
    loads.append({'id': 'non-strict', 'keys': list(partial.keys()), 'missing_keys': res.missing_keys, 'unexpected_keys': res.unexpected_keys})
    try:
        clf.load_state_dict(partial)
    except RuntimeError as e:
        loads.append({'id': 'strict', 'keys': list(partial.keys()), 'error': str(e)})
    bad = OrderedDict(sd)
    bad['fc1.weight'] = torch.zeros(6, 9)
    try:
        clf.load_state_dict(bad)
    except RuntimeError as e:
        loads.append({'id': 'size-mismatch', 'replace': {'fc1.weight': [6, 9]}, 'error': str(e)})
    bad2 = OrderedDict(sd)
    bad2['fc2.bias'] = torch.zeros(7)
    del bad2['bn1.running_mean']
    try:
        clf.load_state_dict(bad2, strict=False)
    except RuntimeError as e:
        loads.append({'id': 'size-mismatch-non-strict', 'replace': {'fc2.bias': [7]}, 'delete': ['bn1.running_mean'], 'strict': False, 'error': str(e)})
    return models, reprs, extra_reprs, loads


# ---------------------------------------------------------------------------------------------------
# 15.1: the Classifier, one training step in train mode with dropout


def classifier_cases():
    cases = []
    for (seed_init, seed_fwd, n, d, h, k, p) in [(0, 123, 16, 20, 32, 5, 0.5), (1, 7, 64, 100, 48, 10, 0.5), (2, 99, 8, 12, 16, 4, 0.2)]:
        torch.manual_seed(seed_init)
        model = Classifier(d, h, k, dropout=p)
        x = randn(n, d)
        y = randint(0, k, (n,))
        init_state = state(model)
        model.train()
        torch.manual_seed(seed_fwd)
        logits = model(x)
        loss = nn.CrossEntropyLoss()(logits, y)
        loss.backward()
        cases.append({
            'id': f'classifier/{n}x{d}-{h}-{k}-p{p}', 'dims': [d, h, k], 'dropout': p, 'init_seed': seed_init, 'state': init_state, 'x': enc(x), 'y': enc(y),
            'seed': seed_fwd, 'logits': enc(logits), 'loss': enc(loss),
            'grads': {name: enc(prm.grad) for name, prm in model.named_parameters()}, 'state_after': state(model),
        })
    return cases


# ---------------------------------------------------------------------------------------------------
# Error messages for misuse


def errors():
    out = []

    def err(cid, fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001
            out.append({'id': cid, 'type': type(e).__name__, 'message': str(e)})
            return
        raise AssertionError(f'{cid} did not raise')

    err('linear-shape', lambda: nn.Linear(128, 64)(torch.randn(32, 100)))
    err('linear-shape-3d', lambda: nn.Linear(128, 64)(torch.randn(2, 5, 100)))
    err('ce-target-out-of-range', lambda: nn.CrossEntropyLoss()(torch.randn(4, 10), torch.tensor([1, 2, 10, 3])))
    err('ce-target-negative', lambda: nn.CrossEntropyLoss()(torch.randn(4, 10), torch.tensor([1, -5, 2, 3])))
    err('ce-batch-size', lambda: nn.CrossEntropyLoss()(torch.randn(32, 10), torch.randint(0, 10, (16,))))
    err('ce-target-float-shape', lambda: nn.CrossEntropyLoss()(torch.randn(4, 10), torch.rand(4, 9)))
    err('ce-label-smoothing-range', lambda: F.cross_entropy(torch.randn(4, 10), torch.tensor([1, 2, 3, 4]), label_smoothing=1.5))
    err('nll-target-dtype', lambda: nn.NLLLoss()(torch.randn(4, 10), torch.tensor([1, 2, 3, 4], dtype=torch.int32)))
    err('bce-size', lambda: nn.BCELoss()(torch.rand(4, 1), torch.rand(4)))
    err('bce-range', lambda: nn.BCELoss()(torch.tensor([0.5, 1.5]), torch.tensor([1.0, 0.0])))
    err('bce-logits-size', lambda: nn.BCEWithLogitsLoss()(torch.rand(4, 1), torch.rand(4)))
    err('embedding-float-index', lambda: nn.Embedding(10, 3)(torch.tensor([1.0, 2.0])))
    err('embedding-index-out-of-range', lambda: nn.Embedding(10, 3)(torch.tensor([1, 10])))
    err('embedding-padding-idx', lambda: nn.Embedding(10, 3, padding_idx=10))
    err('embeddingbag-psw-mode', lambda: nn.EmbeddingBag(10, 3, mode='mean')(torch.tensor([1, 2]), torch.tensor([0]), torch.rand(2)))
    err('embeddingbag-2d-offsets', lambda: nn.EmbeddingBag(10, 3)(torch.tensor([[1, 2]]), torch.tensor([0])))
    err('embeddingbag-1d-no-offsets', lambda: nn.EmbeddingBag(10, 3)(torch.tensor([1, 2])))
    err('batchnorm-one-value', lambda: nn.BatchNorm1d(4)(torch.randn(1, 4)))
    err('batchnorm1d-dims', lambda: nn.BatchNorm1d(4)(torch.randn(2, 4, 3, 3)))
    err('batchnorm2d-dims', lambda: nn.BatchNorm2d(4)(torch.randn(2, 4)))
    err('batchnorm-channels', lambda: nn.BatchNorm1d(4)(torch.randn(3, 5)))
    err('layernorm-shape', lambda: nn.LayerNorm(768)(torch.randn(2, 10, 512)))
    err('groupnorm-divisible', lambda: nn.GroupNorm(3, 64))
    err('groupnorm-input-channels', lambda: nn.GroupNorm(2, 4)(torch.randn(2, 6, 3)))
    err('dropout-p', lambda: nn.Dropout(1.5))
    err('dropout1d-dims', lambda: nn.Dropout1d()(torch.randn(2, 3, 4, 5)))
    err('softmax-dim', lambda: F.softmax(torch.randn(3, 4), dim=2))
    err('glu-odd', lambda: F.glu(torch.randn(3, 5)))
    err('mse-reduction', lambda: nn.MSELoss(reduction='avg')(torch.randn(3), torch.randn(3)))
    err('multimargin-p', lambda: nn.MultiMarginLoss(p=3))
    err('kaiming-mode', lambda: init.kaiming_uniform_(torch.empty(3, 4), mode='fan_avg'))
    err('xavier-1d', lambda: init.xavier_uniform_(torch.empty(3)))
    err('calculate-gain', lambda: init.calculate_gain('swish'))
    err('orthogonal-1d', lambda: init.orthogonal_(torch.empty(3)))
    err('one-hot-range', lambda: F.one_hot(torch.tensor([0, 5]), 3))
    err('one-hot-dtype', lambda: F.one_hot(torch.tensor([0.0, 1.0]), 3))
    err('ctc-lengths', lambda: F.ctc_loss(torch.randn(5, 2, 4).log_softmax(2), torch.tensor([[1, 2], [1, 1]]), torch.tensor([5, 6]), torch.tensor([2, 2])))
    err('module-forward-missing', lambda: nn.Module()(torch.randn(2)))
    err('module-list-forward', lambda: nn.ModuleList()(torch.randn(2)))
    err('register-parameter-dot', lambda: nn.Module().register_parameter('a.b', None))
    err('vector-to-parameters-type', lambda: vector_to_parameters([1.0], [nn.Parameter(torch.zeros(1))]))
    err('clip-nonfinite', lambda: clip_grad_norm_([_with_grad(torch.tensor([float('inf'), 1.0]))], 1.0, error_if_nonfinite=True))
    return out


def _with_grad(g):
    p = nn.Parameter(torch.zeros_like(g))
    p.grad = g
    return p


def main():
    torch.manual_seed(0)
    write('layers', layer_cases())
    write('activations', activation_cases())
    write('losses', loss_cases())
    write('ctc', ctc_cases())
    inits, gains, defaults = init_cases()
    write('init', inits, gains=gains, defaults=defaults)
    write('utils', utils_cases())
    models, reprs, extra_reprs, loads = module_info_cases()
    write('modules', [], models=models, reprs=reprs, extra_reprs=extra_reprs, loads=loads)
    write('classifier', classifier_cases())
    write('errors', errors())


if __name__ == '__main__':
    main()
