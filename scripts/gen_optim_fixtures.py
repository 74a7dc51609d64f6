#!/usr/bin/python3
"""Generate fixtures/optim/*.json: optimizer trajectories and lr-scheduler sequences recorded from
PyTorch 1.13 (handbook chapters 8-9).

Run with the Debian PyTorch build:  /usr/bin/python3 scripts/gen_optim_fixtures.py

Optimizer files (sgd.json, adam.json, ... lbfgs.json) hold {"torch_version", "problems", "cases"}.
problems: the fixed float32 starting points, by name:
  mlp         params W1 [4,3], b1 [4], W2 [2,4], b2 [2]; constants x [6,3], y [6,2];
              loss = mean((tanh(x @ W1.T + b1) @ W2.T + b2 - y) ** 2)
  rosenbrock  params p [2]; loss = (1 - p0)^2 + 100 (p1 - p0^2)^2
  quadratic   params p [4]; constants A [6,4], b [6]; loss = 0.5 |A p - b|^2 + 0.05 |p|^2
Each case:
  id, optimizer (class name), kwargs (PyTorch's keyword arguments), problem,
  dtype         the params' dtype: "float32", or "float64" for the LBFGS cases on non-convex problems
  groups        null, or param groups: [{"params": [param indices], ...per-group kwargs}]
  objective     "min": the closure returns the loss; "neg": it returns -loss (used with maximize)
  unused_param  true: an extra param u = [0.5, -0.5, 0.25] is given to the optimizer (appended to the
                last group) but is not in the loss, so its grad stays None and it gets no state
  set_to_none   the closure's zero_grad(set_to_none=...)
  manual_lr     {"k": lr}: before step k (0-based) every param_groups[i]['lr'] is set to lr by hand
  scheduler     null, or {"name", "kwargs"}: stepped after every optimizer step
  initial       param values (flat lists) before the first step
  trajectory    param values (flat lists) after each step
  losses        what step(closure) returned at each step (the loss before that step's update)
  state_dict_step, state_dict   opt.state_dict() after that many steps, tensors encoded as below
Tensors in state dicts: {"dtype", "shape", "data": nested lists}; tuples become lists; +-inf "inf"/"-inf".

schedulers.json holds {"torch_version", "cases"}; each case:
  id, optimizer {"name", "kwargs", "group_lrs"} (one 1-element param per group, never given a grad;
                optimizer.step() is called before every scheduler step, as in a training loop),
  schedulers    [{"name", "kwargs"}], stepped in order at every step (two = chained by hand);
                SequentialLR / ChainedScheduler kwargs hold their sub-schedulers as such specs
  step_args     null, or one argument per step: the metric (ReduceLROnPlateau) or epoch
  lrs           param_groups' lr after construction and after each step
  last_lrs      the last scheduler's get_last_lr() at the same points
  momentums     param_groups' momentum (SGD) or betas[0] (Adam) at the same points, when cycled
  state_dict_step, optimizer_state_dict, scheduler_state_dicts   after that many steps (callables and
                weak references left out)
LambdaLR / MultiplicativeLR take named functions (LAMBDAS below; the tests have the same table).
"""
import json
import math
import os
from collections import Counter

import torch
import torch.optim as optim
from torch.optim import lr_scheduler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "fixtures", "optim")
STEPS = 25
SD_STEP = 10
DTYPES = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64"}


# ---- encoding ------------------------------------------------------------------------------------

def enc_float(v):
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if math.isnan(v):
        return "nan"
    return v


def enc(v):
    """JSON form of a state-dict value: tensors tagged, tuples as lists, callables dropped by callers."""
    if isinstance(v, torch.Tensor):
        data = v.detach().tolist()
        return {"dtype": DTYPES[v.dtype], "shape": list(v.shape), "data": enc(data) if v.is_floating_point() else data}
    if isinstance(v, Counter):
        return {str(k): c for k, c in v.items()}
    if isinstance(v, dict):
        return {str(k): enc(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, float):
        return enc_float(v)
    return v


def flat(p):
    return [float(x) for x in p.detach().reshape(-1).tolist()]


def scheduler_state(s):
    """A scheduler's state_dict() without what JSON cannot hold (functions, weak references)."""
    sd = s.state_dict()
    out = {}
    for k, v in sd.items():
        if callable(v) or k in ("_scale_fn_ref", "anneal_func", "_scale_fn_custom"):
            continue
        if k == "_schedulers":
            out[k] = [{kk: enc(vv) for kk, vv in sub.items() if not callable(vv) and kk not in ("_scale_fn_ref", "anneal_func")} for sub in v]
            continue
        out[k] = enc(v)
    return out


# ---- problems ------------------------------------------------------------------------------------

def grid(gen, *shape):
    """Deterministic values in [-1, 1] with two decimals, as float32."""
    return (torch.round((torch.rand(*shape, generator=gen) * 2 - 1) * 100) / 100).to(torch.float32)


GEN = torch.Generator().manual_seed(20240813)
MLP = {
    "W1": grid(GEN, 4, 3), "b1": grid(GEN, 4), "W2": grid(GEN, 2, 4), "b2": grid(GEN, 2),
    "x": grid(GEN, 6, 3), "y": grid(GEN, 6, 2),
}
ROSENBROCK = {"p": torch.tensor([-1.5, 2.0], dtype=torch.float32)}
QUADRATIC = {"A": grid(GEN, 6, 4), "b": grid(GEN, 6), "p": grid(GEN, 4)}
UNUSED = [0.5, -0.5, 0.25]


def problem_params(name, dtype=torch.float32):
    if name == "mlp":
        return [MLP[k].to(dtype, copy=True).requires_grad_(True) for k in ("W1", "b1", "W2", "b2")]
    if name == "quadratic":
        return [QUADRATIC["p"].to(dtype, copy=True).requires_grad_(True)]
    return [ROSENBROCK["p"].to(dtype, copy=True).requires_grad_(True)]


def loss_fn(name, ps):
    dtype = ps[0].dtype
    if name == "mlp":
        W1, b1, W2, b2 = ps[:4]
        h = torch.tanh(MLP["x"].to(dtype) @ W1.T + b1)
        return ((h @ W2.T + b2 - MLP["y"].to(dtype)) ** 2).mean()
    if name == "quadratic":
        p = ps[0]
        r = QUADRATIC["A"].to(dtype) @ p - QUADRATIC["b"].to(dtype)
        return 0.5 * (r ** 2).sum() + 0.05 * (p ** 2).sum()
    p = ps[0]
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


def problems_json():
    return {
        "mlp": {k: {"shape": list(v.shape), "values": flat(v)} for k, v in MLP.items()},
        "rosenbrock": {k: {"shape": list(v.shape), "values": flat(v)} for k, v in ROSENBROCK.items()},
        "quadratic": {k: {"shape": list(v.shape), "values": flat(v)} for k, v in QUADRATIC.items()},
    }


# ---- optimizer cases -----------------------------------------------------------------------------

def make_scheduler(spec, opt):
    return getattr(lr_scheduler, spec["name"])(opt, **spec["kwargs"])


def run_case(c):
    c = {"groups": None, "objective": "min", "unused_param": False, "set_to_none": False, "manual_lr": {},
         "scheduler": None, "problem": "mlp", "dtype": "float32", **c}
    ps = problem_params(c["problem"], getattr(torch, c["dtype"]))
    extra = [torch.tensor(UNUSED, requires_grad=True)] if c["unused_param"] else []
    if c["groups"] is None:
        opt_params = ps + extra
    else:
        opt_params = []
        for i, g in enumerate(c["groups"]):
            group = {k: (tuple(v) if k == "betas" else v) for k, v in g.items() if k != "params"}
            group["params"] = [ps[j] for j in g["params"]] + (extra if i == len(c["groups"]) - 1 else [])
            opt_params.append(group)
    kwargs = {k: (tuple(v) if k == "betas" else v) for k, v in c["kwargs"].items()}
    opt = getattr(optim, c["optimizer"])(opt_params, **kwargs)
    sched = make_scheduler(c["scheduler"], opt) if c["scheduler"] else None
    sign = -1.0 if c["objective"] == "neg" else 1.0

    def closure():
        opt.zero_grad(set_to_none=c["set_to_none"])
        loss = sign * loss_fn(c["problem"], ps)
        loss.backward()
        return loss

    every = ps + extra
    initial = [flat(p) for p in every]
    traj, losses, sd = [], [], None
    for k in range(STEPS):
        if str(k) in c["manual_lr"]:
            for g in opt.param_groups:
                g["lr"] = c["manual_lr"][str(k)]
        loss = opt.step(closure)
        if sched is not None:
            sched.step()
        losses.append(float(loss))
        traj.append([flat(p) for p in every])
        if k + 1 == SD_STEP:
            sd = enc(opt.state_dict())
    for t in traj:
        for p in t:
            assert all(math.isfinite(v) for v in p), c["id"]
    return {**c, "initial": initial, "trajectory": traj, "losses": losses, "state_dict_step": SD_STEP, "state_dict": sd}


TWO_GROUPS = [{"params": [0, 1], "lr": 0.05}, {"params": [2, 3]}]

OPTIMIZER_CASES = {
    "sgd": [
        {"id": "sgd/plain", "optimizer": "SGD", "kwargs": {"lr": 0.1}},
        {"id": "sgd/momentum", "optimizer": "SGD", "kwargs": {"lr": 0.1, "momentum": 0.9}},
        {"id": "sgd/momentum_dampening", "optimizer": "SGD", "kwargs": {"lr": 0.1, "momentum": 0.9, "dampening": 0.3}},
        {"id": "sgd/nesterov", "optimizer": "SGD", "kwargs": {"lr": 0.05, "momentum": 0.9, "nesterov": True}},
        {"id": "sgd/handbook_8_1", "optimizer": "SGD", "kwargs": {"lr": 0.01, "momentum": 0.9, "weight_decay": 1e-4, "nesterov": True}},
        {"id": "sgd/weight_decay", "optimizer": "SGD", "kwargs": {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.05}},
        {"id": "sgd/maximize", "optimizer": "SGD", "kwargs": {"lr": 0.1, "momentum": 0.9, "maximize": True}, "objective": "neg"},
        {"id": "sgd/maximize_nesterov_wd", "optimizer": "SGD",
         "kwargs": {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.01, "maximize": True}, "objective": "neg"},
        {"id": "sgd/groups", "optimizer": "SGD", "kwargs": {"lr": 0.2, "momentum": 0.9},
         "groups": [{"params": [0, 1], "lr": 0.05, "momentum": 0.5}, {"params": [2, 3], "nesterov": True}]},
        {"id": "sgd/manual_lr", "optimizer": "SGD", "kwargs": {"lr": 0.1, "momentum": 0.9}, "manual_lr": {"8": 0.02, "16": 0.3}},
        {"id": "sgd/unused_param_set_to_none", "optimizer": "SGD", "kwargs": {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1},
         "unused_param": True, "set_to_none": True},
        {"id": "sgd/unused_param_zero_grad", "optimizer": "SGD", "kwargs": {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1},
         "unused_param": True, "set_to_none": False},
        {"id": "sgd/onecycle", "optimizer": "SGD", "kwargs": {"lr": 0.1, "momentum": 0.9},
         "scheduler": {"name": "OneCycleLR", "kwargs": {"max_lr": 0.5, "total_steps": STEPS}}},
    ],
    "adam": [
        {"id": "adam/defaults", "optimizer": "Adam", "kwargs": {}},
        {"id": "adam/lr", "optimizer": "Adam", "kwargs": {"lr": 0.05}},
        {"id": "adam/amsgrad", "optimizer": "Adam", "kwargs": {"lr": 0.05, "amsgrad": True}},
        {"id": "adam/weight_decay", "optimizer": "Adam", "kwargs": {"lr": 0.05, "weight_decay": 0.1}},
        {"id": "adam/betas_eps", "optimizer": "Adam", "kwargs": {"lr": 0.02, "betas": [0.8, 0.95], "eps": 1e-4}},
        {"id": "adam/maximize_amsgrad", "optimizer": "Adam", "kwargs": {"lr": 0.05, "amsgrad": True, "maximize": True, "weight_decay": 0.01},
         "objective": "neg"},
        {"id": "adam/handbook_groups", "optimizer": "Adam", "kwargs": {"lr": 0.01}, "groups": TWO_GROUPS},
        {"id": "adam/unused_param", "optimizer": "Adam", "kwargs": {"lr": 0.05}, "unused_param": True, "set_to_none": True},
        {"id": "adam/onecycle_betas", "optimizer": "Adam", "kwargs": {"lr": 0.01},
         "scheduler": {"name": "OneCycleLR", "kwargs": {"max_lr": 0.05, "total_steps": STEPS, "three_phase": True}}},
    ],
    "adamw": [
        {"id": "adamw/defaults", "optimizer": "AdamW", "kwargs": {}},
        {"id": "adamw/handbook_8_1", "optimizer": "AdamW", "kwargs": {"lr": 1e-4, "weight_decay": 0.01}},
        {"id": "adamw/lr_wd", "optimizer": "AdamW", "kwargs": {"lr": 0.05, "weight_decay": 0.5}},
        {"id": "adamw/amsgrad", "optimizer": "AdamW", "kwargs": {"lr": 0.05, "amsgrad": True, "betas": [0.85, 0.99]}},
        {"id": "adamw/maximize", "optimizer": "AdamW", "kwargs": {"lr": 0.05, "maximize": True}, "objective": "neg"},
        {"id": "adamw/groups", "optimizer": "AdamW", "kwargs": {"lr": 0.02}, "groups": [{"params": [0, 1], "weight_decay": 0.0}, {"params": [2, 3], "lr": 0.05}]},
    ],
    "rmsprop": [
        {"id": "rmsprop/defaults", "optimizer": "RMSprop", "kwargs": {}},
        {"id": "rmsprop/centered", "optimizer": "RMSprop", "kwargs": {"lr": 0.01, "centered": True}},
        {"id": "rmsprop/momentum", "optimizer": "RMSprop", "kwargs": {"lr": 0.005, "momentum": 0.9}},
        {"id": "rmsprop/centered_momentum", "optimizer": "RMSprop", "kwargs": {"lr": 0.005, "momentum": 0.8, "centered": True}},
        {"id": "rmsprop/alpha_eps_wd", "optimizer": "RMSprop", "kwargs": {"lr": 0.01, "alpha": 0.9, "eps": 1e-4, "weight_decay": 0.1}},
        {"id": "rmsprop/maximize", "optimizer": "RMSprop", "kwargs": {"lr": 0.01, "maximize": True, "momentum": 0.5}, "objective": "neg"},
    ],
    "adagrad": [
        {"id": "adagrad/defaults", "optimizer": "Adagrad", "kwargs": {}},
        {"id": "adagrad/lr_decay", "optimizer": "Adagrad", "kwargs": {"lr": 0.1, "lr_decay": 0.05}},
        {"id": "adagrad/initial_accumulator", "optimizer": "Adagrad", "kwargs": {"lr": 0.1, "initial_accumulator_value": 0.1, "eps": 1e-6}},
        {"id": "adagrad/weight_decay", "optimizer": "Adagrad", "kwargs": {"lr": 0.1, "weight_decay": 0.1}},
        {"id": "adagrad/maximize", "optimizer": "Adagrad", "kwargs": {"lr": 0.1, "maximize": True}, "objective": "neg"},
        {"id": "adagrad/unused_param", "optimizer": "Adagrad", "kwargs": {"lr": 0.1}, "unused_param": True, "set_to_none": True},
    ],
    "adadelta": [
        {"id": "adadelta/defaults", "optimizer": "Adadelta", "kwargs": {}},
        {"id": "adadelta/rho_eps", "optimizer": "Adadelta", "kwargs": {"lr": 0.5, "rho": 0.5, "eps": 1e-4}},
        {"id": "adadelta/weight_decay", "optimizer": "Adadelta", "kwargs": {"lr": 1.0, "weight_decay": 0.1}},
        {"id": "adadelta/maximize", "optimizer": "Adadelta", "kwargs": {"lr": 1.0, "maximize": True}, "objective": "neg"},
    ],
    "nadam": [
        {"id": "nadam/defaults", "optimizer": "NAdam", "kwargs": {}},
        {"id": "nadam/momentum_decay", "optimizer": "NAdam", "kwargs": {"lr": 0.01, "momentum_decay": 0.01}},
        {"id": "nadam/weight_decay_betas", "optimizer": "NAdam", "kwargs": {"lr": 0.01, "weight_decay": 0.1, "betas": [0.8, 0.99]}},
    ],
    "radam": [
        {"id": "radam/defaults", "optimizer": "RAdam", "kwargs": {}},
        {"id": "radam/lr", "optimizer": "RAdam", "kwargs": {"lr": 0.02}},
        {"id": "radam/weight_decay_betas", "optimizer": "RAdam", "kwargs": {"lr": 0.02, "weight_decay": 0.1, "betas": [0.85, 0.98]}},
    ],
    "lbfgs": [
        # float32 on a strongly convex least-squares problem, where rounding differences do not grow.
        {"id": "lbfgs/quadratic_defaults", "optimizer": "LBFGS", "kwargs": {}, "problem": "quadratic"},
        {"id": "lbfgs/quadratic_strong_wolfe", "optimizer": "LBFGS", "kwargs": {"line_search_fn": "strong_wolfe"}, "problem": "quadratic"},
        {"id": "lbfgs/quadratic_tolerances_max_eval", "optimizer": "LBFGS",
         "kwargs": {"max_iter": 4, "max_eval": 4, "history_size": 3, "line_search_fn": "strong_wolfe", "tolerance_grad": 1e-3,
                    "tolerance_change": 1e-4}, "problem": "quadratic"},
        # float64 on non-convex problems: there float32 rounding differences (BLAS's float32 dot
        # products, fused multiply-adds) grow past any float32 tolerance within a few iterations, so
        # these check the algorithm (line search branches, history, stopping rules) in float64.
        {"id": "lbfgs/mlp_defaults_float64", "optimizer": "LBFGS", "kwargs": {}, "dtype": "float64"},
        {"id": "lbfgs/mlp_strong_wolfe_float64", "optimizer": "LBFGS", "kwargs": {"line_search_fn": "strong_wolfe"}, "dtype": "float64"},
        {"id": "lbfgs/rosenbrock_strong_wolfe_float64", "optimizer": "LBFGS",
         "kwargs": {"lr": 1, "max_iter": 4, "history_size": 10, "line_search_fn": "strong_wolfe"}, "problem": "rosenbrock", "dtype": "float64"},
        {"id": "lbfgs/rosenbrock_strong_wolfe_defaults_float64", "optimizer": "LBFGS", "kwargs": {"line_search_fn": "strong_wolfe"},
         "problem": "rosenbrock", "dtype": "float64"},
        {"id": "lbfgs/rosenbrock_tolerances_float64", "optimizer": "LBFGS",
         "kwargs": {"lr": 0.5, "max_iter": 6, "max_eval": 9, "history_size": 3, "line_search_fn": "strong_wolfe",
                    "tolerance_grad": 1e-3, "tolerance_change": 1e-6}, "problem": "rosenbrock", "dtype": "float64"},
    ],
}


# ---- scheduler cases -----------------------------------------------------------------------------

def warmup_cosine(epoch):
    """Handbook 9.1's warmup + cosine lambda."""
    if epoch < 5:
        return epoch / 5
    return 0.5 * (1 + math.cos(math.pi * (epoch - 5) / 95))


LAMBDAS = {
    "warmup_cosine": warmup_cosine,
    "pow095": lambda epoch: 0.95 ** epoch,
    "div30": lambda epoch: 1.0 / (1 + epoch // 30),
    "const098": lambda epoch: 0.98,
    "alternate": lambda epoch: 0.9 if epoch % 2 else 1.05,
}

METRICS = [1.0, 0.9, 0.85, 0.84, 0.84, 0.8399, 0.85, 0.86, 0.83, 0.829, 0.8289, 0.83, 0.84, 0.7, 0.71, 0.72, 0.7, 0.7,
           0.69, 0.70, 0.71, 0.72, 0.73, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4]
ACCURACY = [0.1, 0.3, 0.5, 0.55, 0.56, 0.56, 0.555, 0.56, 0.6, 0.6, 0.6, 0.6, 0.61, 0.6, 0.6, 0.6, 0.6, 0.6, 0.7, 0.7,
            0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]
SGD1 = {"name": "SGD", "kwargs": {"lr": 0.1, "momentum": 0.9}, "group_lrs": [0.1]}
SGD2 = {"name": "SGD", "kwargs": {"lr": 0.1, "momentum": 0.9}, "group_lrs": [0.1, 0.02]}
ADAM1 = {"name": "Adam", "kwargs": {"lr": 0.001}, "group_lrs": [0.001]}
N = 40


def S(name, **kwargs):
    return {"name": name, "kwargs": kwargs}


SCHEDULER_CASES = [
    {"id": "StepLR/handbook", "optimizer": SGD2, "schedulers": [S("StepLR", step_size=7, gamma=0.1)]},
    {"id": "StepLR/gamma", "optimizer": SGD1, "schedulers": [S("StepLR", step_size=3, gamma=0.5)]},
    {"id": "MultiStepLR/handbook", "optimizer": SGD2, "schedulers": [S("MultiStepLR", milestones=[10, 25], gamma=0.1)]},
    {"id": "MultiStepLR/repeated", "optimizer": SGD1, "schedulers": [S("MultiStepLR", milestones=[5, 5, 20, 30], gamma=0.5)]},
    {"id": "ExponentialLR", "optimizer": SGD2, "schedulers": [S("ExponentialLR", gamma=0.9)]},
    {"id": "CosineAnnealingLR/handbook", "optimizer": SGD2, "schedulers": [S("CosineAnnealingLR", T_max=10, eta_min=1e-6)]},
    {"id": "CosineAnnealingLR/eta_min", "optimizer": SGD1, "schedulers": [S("CosineAnnealingLR", T_max=7, eta_min=0.01)]},
    {"id": "CosineAnnealingLR/closed_form", "optimizer": SGD1, "schedulers": [S("CosineAnnealingLR", T_max=7, eta_min=0.01)],
     "step_args": [float(e) for e in range(1, N + 1)]},
    {"id": "CosineAnnealingWarmRestarts/T_mult1", "optimizer": SGD2, "schedulers": [S("CosineAnnealingWarmRestarts", T_0=6)]},
    {"id": "CosineAnnealingWarmRestarts/T_mult2", "optimizer": SGD1,
     "schedulers": [S("CosineAnnealingWarmRestarts", T_0=3, T_mult=2, eta_min=0.001)]},
    {"id": "CosineAnnealingWarmRestarts/fractional", "optimizer": SGD1,
     "schedulers": [S("CosineAnnealingWarmRestarts", T_0=2, T_mult=2, eta_min=0.001)],
     "step_args": [e + i / 5 for e in range(8) for i in range(5)]},
    {"id": "CosineAnnealingWarmRestarts/fractional_T_mult1", "optimizer": SGD1,
     "schedulers": [S("CosineAnnealingWarmRestarts", T_0=3)], "step_args": [e / 4 for e in range(1, N + 1)]},
    {"id": "ReduceLROnPlateau/handbook", "optimizer": SGD2,
     "schedulers": [S("ReduceLROnPlateau", mode="min", factor=0.1, patience=2)], "step_args": METRICS},
    {"id": "ReduceLROnPlateau/abs_cooldown_min_lr", "optimizer": SGD2,
     "schedulers": [S("ReduceLROnPlateau", mode="min", factor=0.5, patience=1, threshold=0.01, threshold_mode="abs",
                      cooldown=2, min_lr=[0.02, 0.005])], "step_args": METRICS},
    {"id": "ReduceLROnPlateau/max_rel", "optimizer": SGD1,
     "schedulers": [S("ReduceLROnPlateau", mode="max", factor=0.5, patience=3, threshold=0.05, min_lr=0.01)], "step_args": ACCURACY},
    {"id": "ReduceLROnPlateau/max_abs_eps", "optimizer": SGD1,
     "schedulers": [S("ReduceLROnPlateau", mode="max", factor=0.9, patience=0, threshold_mode="abs", eps=0.02)], "step_args": ACCURACY},
    {"id": "CyclicLR/triangular", "optimizer": SGD2, "schedulers": [S("CyclicLR", base_lr=0.01, max_lr=0.1, step_size_up=5)]},
    {"id": "CyclicLR/triangular2_asym", "optimizer": SGD1,
     "schedulers": [S("CyclicLR", base_lr=0.01, max_lr=0.1, step_size_up=4, step_size_down=2, mode="triangular2")]},
    {"id": "CyclicLR/exp_range", "optimizer": SGD2,
     "schedulers": [S("CyclicLR", base_lr=[0.01, 0.001], max_lr=[0.1, 0.05], step_size_up=3, mode="exp_range", gamma=0.95,
                      base_momentum=0.7, max_momentum=0.95)]},
    {"id": "CyclicLR/no_momentum", "optimizer": SGD1,
     "schedulers": [S("CyclicLR", base_lr=0.01, max_lr=0.1, step_size_up=6, cycle_momentum=False)]},
    {"id": "OneCycleLR/handbook", "optimizer": SGD2, "schedulers": [S("OneCycleLR", max_lr=0.01, total_steps=N, pct_start=0.3)]},
    {"id": "OneCycleLR/linear_three_phase", "optimizer": SGD1,
     "schedulers": [S("OneCycleLR", max_lr=0.1, total_steps=N, anneal_strategy="linear", three_phase=True, div_factor=10.0,
                      final_div_factor=100.0)]},
    {"id": "OneCycleLR/epochs_steps_per_epoch", "optimizer": SGD2,
     "schedulers": [S("OneCycleLR", max_lr=[0.1, 0.05], epochs=4, steps_per_epoch=10, pct_start=0.25, base_momentum=0.8,
                      max_momentum=0.9)]},
    {"id": "OneCycleLR/adam_betas", "optimizer": ADAM1, "schedulers": [S("OneCycleLR", max_lr=0.01, total_steps=N)]},
    {"id": "OneCycleLR/no_momentum", "optimizer": SGD1,
     "schedulers": [S("OneCycleLR", max_lr=0.1, total_steps=N + 5, cycle_momentum=False)]},
    {"id": "LinearLR/defaults", "optimizer": SGD2, "schedulers": [S("LinearLR")]},
    {"id": "LinearLR/decay", "optimizer": SGD1, "schedulers": [S("LinearLR", start_factor=1.0, end_factor=0.1, total_iters=30)]},
    {"id": "PolynomialLR/defaults", "optimizer": SGD2, "schedulers": [S("PolynomialLR")]},
    {"id": "PolynomialLR/power2", "optimizer": SGD1, "schedulers": [S("PolynomialLR", total_iters=30, power=2.0)]},
    {"id": "LambdaLR/handbook_warmup_cosine", "optimizer": SGD2, "schedulers": [S("LambdaLR", lr_lambda="warmup_cosine")]},
    {"id": "LambdaLR/per_group", "optimizer": SGD2, "schedulers": [S("LambdaLR", lr_lambda=["div30", "pow095"])]},
    {"id": "MultiplicativeLR", "optimizer": SGD1, "schedulers": [S("MultiplicativeLR", lr_lambda="alternate")]},
    {"id": "MultiplicativeLR/const", "optimizer": SGD2, "schedulers": [S("MultiplicativeLR", lr_lambda="const098")]},
    {"id": "ConstantLR/defaults", "optimizer": SGD2, "schedulers": [S("ConstantLR")]},
    {"id": "ConstantLR/factor", "optimizer": SGD1, "schedulers": [S("ConstantLR", factor=0.5, total_iters=4)]},
    {"id": "SequentialLR/warmup_cosine", "optimizer": SGD2,
     "schedulers": [S("SequentialLR", schedulers=[S("LinearLR", start_factor=0.1, total_iters=5), S("CosineAnnealingLR", T_max=30)],
                      milestones=[5])]},
    {"id": "SequentialLR/three", "optimizer": SGD1,
     "schedulers": [S("SequentialLR", schedulers=[S("ConstantLR", factor=0.1, total_iters=2), S("ExponentialLR", gamma=0.9),
                                                  S("StepLR", step_size=4, gamma=0.5)], milestones=[2, 15])]},
    {"id": "ChainedScheduler", "optimizer": SGD2,
     "schedulers": [S("ChainedScheduler", schedulers=[S("ConstantLR", factor=0.1, total_iters=2), S("ExponentialLR", gamma=0.9)])]},
    {"id": "ChainedScheduler/three", "optimizer": SGD1,
     "schedulers": [S("ChainedScheduler", schedulers=[S("LinearLR", start_factor=0.2, total_iters=6), S("StepLR", step_size=10, gamma=0.5),
                                                      S("MultiStepLR", milestones=[25], gamma=0.3)])]},
    {"id": "chained_by_hand/exponential_step", "optimizer": SGD2,
     "schedulers": [S("ExponentialLR", gamma=0.95), S("StepLR", step_size=10, gamma=0.5)]},
    {"id": "chained_by_hand/linear_cosine", "optimizer": SGD1,
     "schedulers": [S("LinearLR", start_factor=0.25, total_iters=8), S("CosineAnnealingLR", T_max=20)]},
]


def build_scheduler(spec, opt):
    kw = dict(spec["kwargs"])
    if spec["name"] in ("LambdaLR", "MultiplicativeLR"):
        f = kw["lr_lambda"]
        kw["lr_lambda"] = [LAMBDAS[n] for n in f] if isinstance(f, list) else LAMBDAS[f]
    if spec["name"] == "SequentialLR":
        kw["schedulers"] = [build_scheduler(s, opt) for s in kw["schedulers"]]
        return lr_scheduler.SequentialLR(opt, **kw)
    if spec["name"] == "ChainedScheduler":
        return lr_scheduler.ChainedScheduler([build_scheduler(s, opt) for s in kw["schedulers"]])
    return getattr(lr_scheduler, spec["name"])(opt, **kw)


def momentum_of(opt):
    g = opt.param_groups
    if "betas" in g[0]:
        return [x["betas"][0] for x in g]
    return [x["momentum"] for x in g]


def run_scheduler_case(c):
    c = {"step_args": None, **c}
    o = c["optimizer"]
    groups = [{"params": [torch.zeros(1, requires_grad=True)], "lr": lr} for lr in o["group_lrs"]]
    opt = getattr(optim, o["name"])(groups, **o["kwargs"])
    scheds = [build_scheduler(s, opt) for s in c["schedulers"]]
    cycled = any(s["name"] in ("CyclicLR", "OneCycleLR") and s["kwargs"].get("cycle_momentum", True) for s in c["schedulers"])

    def last_lr():
        return list(scheds[-1].get_last_lr()) if hasattr(scheds[-1], "get_last_lr") else list(scheds[-1]._last_lr)

    lrs = [[g["lr"] for g in opt.param_groups]]
    last = [last_lr()] if hasattr(scheds[-1], "_last_lr") else [None]
    moms = [momentum_of(opt)]
    sd = None
    for k in range(N):
        opt.step()
        for s in scheds:
            if c["step_args"] is None:
                s.step()
            else:
                s.step(c["step_args"][k])
        lrs.append([g["lr"] for g in opt.param_groups])
        last.append(last_lr())
        moms.append(momentum_of(opt))
        if k + 1 == 20:
            sd = {"optimizer_state_dict": enc(opt.state_dict()), "scheduler_state_dicts": [scheduler_state(s) for s in scheds]}
    out = {**c, "lrs": lrs, "last_lrs": last, "state_dict_step": 20, **sd}
    if cycled:
        out["momentums"] = moms
    return out


def write(name, obj):
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, name + ".json")
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")
    return path


def main():
    import warnings
    warnings.simplefilter("ignore")  # the deprecated step(epoch) form is recorded on purpose
    total = 0
    for name, cases in OPTIMIZER_CASES.items():
        out = [run_case(c) for c in cases]
        write(name, {"torch_version": torch.__version__, "steps": STEPS, "problems": problems_json(), "cases": out})
        total += len(out)
        print(f"{name}: {len(out)} cases")
    sc = [run_scheduler_case(c) for c in SCHEDULER_CASES]
    write("schedulers", {"torch_version": torch.__version__, "steps": N, "cases": sc})
    print(f"schedulers: {len(sc)} cases; optimizer cases: {total}")


if __name__ == "__main__":
    main()
