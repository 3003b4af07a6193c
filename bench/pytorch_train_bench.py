#!/usr/bin/env python3
"""PyTorch side of bench/train-vs-pytorch.sh: training throughput of torchvision's resnet18 layout with a
2-class fc on synthetic input, AdamW (betas 0.9/0.99, eps 1e-5, wd 0.01) with the learning rate and beta1
set every step (one-cycle), batch 64. Mirrors org.smearscan.bench.train.TrainingBenchmark.

Prints one line per repetition: `pytorch size=64 rep=1 img_per_s=...`. torchvision is not needed: the
network is spelled out here with torchvision's layout and initialisation.
"""
import argparse
import math
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class ResNet18(nn.Module):
    def __init__(self, classes=2):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        widths = [64, 128, 256, 512]
        cin = 64
        for i, w in enumerate(widths):
            stride = 1 if i == 0 else 2
            setattr(self, f"layer{i + 1}", nn.Sequential(BasicBlock(cin, w, stride), BasicBlock(w, w, 1)))
            cin = w
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(512, classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def one_cycle(pct, max_lr, div=25.0, div_final=1e5, pct_start=0.25, moms=(0.95, 0.85, 0.95)):
    def cos(start, end, p):
        return start + (1 + math.cos(math.pi * (1 - p))) * (end - start) / 2

    if pct < pct_start:
        p = pct / pct_start
        return cos(max_lr / div, max_lr, p), cos(moms[0], moms[1], p)
    p = (pct - pct_start) / (1 - pct_start)
    return cos(max_lr, max_lr / div_final, p), cos(moms[1], moms[2], p)


def model_and_optimizer():
    """The seeded network in training mode, and AdamW with weight decay on the weights only, as SmearScan's."""
    torch.manual_seed(1)
    model = ResNet18().train()
    decay = [p for p in model.parameters() if p.dim() > 1]
    no_decay = [p for p in model.parameters() if p.dim() <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.99), eps=1e-5)
    return model, opt


def run(size, batch, batches, warmup):
    model, opt = model_and_optimizer()
    gen = torch.Generator().manual_seed(1)
    pool = [(torch.rand(batch, 3, size, size, generator=gen) * 2 - 1, torch.randint(0, 2, (batch,), generator=gen))
            for _ in range(4)]
    total = warmup + batches
    start = None
    phases = [0.0, 0.0, 0.0]  # forward + loss, backward, zero_grad + step: seconds over the timed batches
    for i in range(total):
        lr, mom = one_cycle(i / total, 1e-3)
        for g in opt.param_groups:
            g["lr"] = lr
            g["betas"] = (mom, 0.99)
        x, y = pool[i % len(pool)]
        t0 = time.perf_counter()
        loss = F.cross_entropy(model(x), y)
        loss.item()  # the Java loop reads every loss too
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        opt.step()
        opt.zero_grad(set_to_none=False)  # DJL's fused update clears the gradient inside its step
        t3 = time.perf_counter()
        if i >= warmup:
            phases[0] += t1 - t0
            phases[1] += t2 - t1
            phases[2] += t3 - t2
        if i + 1 == warmup:
            start = time.perf_counter()
            cpu_start = time.process_time()
    images = batches * batch
    ms = [1000 * p / batches for p in phases]
    return images / (time.perf_counter() - start), images / (time.process_time() - cpu_start), ms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--batches", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    results = []
    for r in range(a.reps):
        wall, cpu, ms = run(a.size, a.batch, a.batches, a.warmup)
        results.append(wall)
        print(f"pytorch size={a.size} rep={r + 1} img_per_s={wall:.2f} img_per_cpu_s={cpu:.2f} "
              f"ms_per_batch forward={ms[0]:.1f} backward={ms[1]:.1f} step={ms[2]:.1f}", flush=True)
    print(f"pytorch size={a.size} median_img_per_s={statistics.median(results):.2f} torch={torch.__version__}")


if __name__ == "__main__":
    main()
