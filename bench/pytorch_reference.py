"""PyTorch reference trainer, for comparing SmearScan's accuracy on the very same split.

Reads the images named by a SmearScan split file, trains a model with the same recipe SmearScan uses
(AdamW, fastai one-cycle, dihedral augmentation, squish resize, dataset normalisation) and prints an
epoch table and the final validation accuracy. Uses Debian's python3-torch; no network.

  python3 bench/pytorch_reference.py --data ../shared/data/cell_images --split-file runs/x/split.tsv
"""
import argparse
import csv
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image

p = argparse.ArgumentParser()
p.add_argument('--data', required=True)
p.add_argument('--split-file', required=True)
p.add_argument('--arch', default='resnet18', choices=['resnet18', 'compact'])
p.add_argument('--size', type=int, default=64)
p.add_argument('--epochs', type=int, default=8)
p.add_argument('--lr', type=float, default=3e-3)
p.add_argument('--wd', type=float, default=0.01)
p.add_argument('--bs', type=int, default=64)
p.add_argument('--seed', type=int, default=42)
p.add_argument('--threads', type=int, default=2)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)


def read_split(path):
    """SmearScan's split file: a TSV whose header names the path, class and side columns."""
    with open(path) as f:
        rows = [r for r in csv.reader((l for l in f if not l.startswith('#')), delimiter='\t')]
    head = [h.lower() for h in rows[0]]
    col = {name: head.index(name) for name in head}
    side_col = col.get('side', col.get('fold'))
    train, valid = [], []
    for r in rows[1:]:
        item = (r[col['path']], r[col['class']])
        (valid if r[side_col].lower() in ('valid', 'validation') else train).append(item)
    return train, valid


train_items, valid_items = read_split(a.split_file)
classes = sorted({c for _, c in train_items + valid_items})


def load(items):
    x = np.zeros((len(items), a.size, a.size, 3), np.uint8)
    for i, (rel, _) in enumerate(items):
        im = Image.open(f'{a.data}/{rel}').convert('RGB').resize((a.size, a.size), Image.BILINEAR)
        x[i] = np.asarray(im)
    y = np.array([classes.index(c) for _, c in items])
    return torch.tensor(x).permute(0, 3, 1, 2).contiguous(), torch.tensor(y)


t_load = time.time()
Xtr, ytr = load(train_items)
Xva, yva = load(valid_items)
print(f'train {len(ytr)} valid {len(yva)} classes {classes} decoded in {time.time() - t_load:.0f}s', flush=True)
mean = (Xtr.float() / 255).mean((0, 2, 3))
std = (Xtr.float() / 255).std((0, 2, 3))


def norm(xb):
    return ((xb.float() / 255) - mean[None, :, None, None]) / std[None, :, None, None]


class Basic(nn.Module):
    def __init__(self, i, o, stride):
        super().__init__()
        self.c1 = nn.Conv2d(i, o, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(o)
        self.c2 = nn.Conv2d(o, o, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(o)
        self.sc = nn.Sequential() if stride == 1 and i == o else nn.Sequential(
            nn.Conv2d(i, o, 1, stride, bias=False), nn.BatchNorm2d(o))

    def forward(self, x):
        return F.relu(self.b2(self.c2(F.relu(self.b1(self.c1(x))))) + self.sc(x))


def body():
    if a.arch == 'resnet18':
        m = torchvision.models.resnet18(num_classes=2)
        return nn.Sequential(*list(m.children())[:-2]), 512
    widths = [32, 64, 128, 256]  # SmearScan's compact net: 3x3 stride-2 stem, no max-pool
    layers = [nn.Conv2d(3, 32, 3, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU()]
    i = 32
    for s, o in enumerate(widths):
        for k in range(2):
            layers.append(Basic(i, o, 2 if s > 0 and k == 0 else 1))
            i = o
    return nn.Sequential(*layers), 256


class ConcatPool(nn.Module):
    def forward(self, x):
        return torch.cat([F.adaptive_avg_pool2d(x, 1), F.adaptive_max_pool2d(x, 1)], 1).flatten(1)


b, nf = body()
model = nn.Sequential(b, ConcatPool(), nn.BatchNorm1d(2 * nf), nn.Dropout(0.25), nn.Linear(2 * nf, 512, bias=False),
                      nn.ReLU(), nn.BatchNorm1d(512), nn.Dropout(0.5), nn.Linear(512, len(classes), bias=False))
for m in model.modules():
    if isinstance(m, nn.Conv2d):
        nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
decay = [q for q in model.parameters() if q.ndim > 1]
no_decay = [q for q in model.parameters() if q.ndim <= 1]
opt = torch.optim.AdamW([{'params': decay, 'weight_decay': a.wd}, {'params': no_decay, 'weight_decay': 0}],
                        lr=a.lr, betas=(0.95, 0.99), eps=1e-5)
steps_per_epoch = len(ytr) // a.bs
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=a.epochs * steps_per_epoch, pct_start=0.25,
                                            div_factor=25, final_div_factor=1e5, base_momentum=0.85, max_momentum=0.95)


def dihedral(xb):
    v = torch.randint(0, 8, (xb.shape[0],))[:, None, None, None]
    xb = torch.where(v >= 4, xb.transpose(2, 3), xb)
    xb = torch.where((v % 4) >= 2, xb.flip(2), xb)
    return torch.where(v % 2 == 1, xb.flip(3), xb)


def validate():
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(yva), 256):
            out = model(norm(Xva[i:i + 256]))
            loss += F.cross_entropy(out, yva[i:i + 256], reduction='sum').item()
            correct += (out.argmax(1) == yva[i:i + 256]).sum().item()
    return loss / len(yva), correct / len(yva)


print('epoch\ttrain_loss\tvalid_loss\taccuracy\tseconds', flush=True)
t0 = time.time()
for epoch in range(a.epochs):
    model.train()
    te = time.time()
    perm = torch.randperm(len(ytr))
    total = 0.0
    for s in range(steps_per_epoch):
        idx = perm[s * a.bs:(s + 1) * a.bs]
        loss = F.cross_entropy(model(dihedral(norm(Xtr[idx]))), ytr[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        total += loss.item()
    vl, acc = validate()
    print(f'{epoch + 1}\t{total / steps_per_epoch:.4f}\t{vl:.4f}\t{acc:.4f}\t{time.time() - te:.0f}', flush=True)
print(f'final accuracy {acc:.4f} in {time.time() - t0:.0f}s training', flush=True)
