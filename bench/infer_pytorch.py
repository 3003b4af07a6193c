#!/usr/bin/python3
"""Batched CPU inference throughput of SmearScan's networks in PyTorch (Debian's python3-torch).

The same layouts as org.smearscan.model.Networks: torchvision's resnet18/34, and the compact nets (3x3
stride-2 stem, no max-pool, basic blocks [2,2,2,2], widths 32-256, or 16-128 for compact-slim), with fastai's head or a linear one.
Measured as bench/infer-vs-pytorch.sh measures DJL: a host float batch copied into a tensor, eval mode,
gradients off, logits copied back. Prints one line per repetition, last `median_images_per_s X`.
"""
import argparse
import statistics
import time

import numpy as np
import torch
from torch import nn
from torchvision.models import resnet18, resnet34
from torchvision.models.resnet import BasicBlock


def fastai_head(features, classes):
    class ConcatPool(nn.Module):
        def forward(self, x):
            return torch.cat([nn.functional.adaptive_avg_pool2d(x, 1), nn.functional.adaptive_max_pool2d(x, 1)], 1)

    return nn.Sequential(ConcatPool(), nn.Flatten(), nn.BatchNorm1d(2 * features), nn.Dropout(0.25),
                         nn.Linear(2 * features, 512, bias=False), nn.ReLU(inplace=True), nn.BatchNorm1d(512),
                         nn.Dropout(0.5), nn.Linear(512, classes, bias=False))


def linear_head(features, classes):
    return nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(features, classes))


def stage(in_width, width, blocks, stride):
    layers = []
    for i in range(blocks):
        s = stride if i == 0 else 1
        down = None
        if s != 1 or in_width != width:
            down = nn.Sequential(nn.Conv2d(in_width, width, 1, s, bias=False), nn.BatchNorm2d(width))
        layers.append(BasicBlock(in_width, width, s, down))
        in_width = width
    return nn.Sequential(*layers)


def compact_body(width):
    widths = [width, 2 * width, 4 * width, 8 * width]
    parts = [nn.Conv2d(3, width, 3, 2, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True)]
    in_width = width
    for i, w in enumerate(widths):
        parts.append(stage(in_width, w, 2, 1 if i == 0 else 2))
        in_width = w
    return nn.Sequential(*parts), widths[-1]


COMPACT_WIDTHS = {"compact": 32, "compact-slim": 16}


def torchvision_body(arch):
    net = (resnet18 if arch == "resnet18" else resnet34)()
    return nn.Sequential(net.conv1, net.bn1, net.relu, net.maxpool, net.layer1, net.layer2, net.layer3,
                         net.layer4), 512


def build(arch, head):
    body, features = compact_body(COMPACT_WIDTHS[arch]) if arch in COMPACT_WIDTHS else torchvision_body(arch)
    return nn.Sequential(body, fastai_head(features, 2) if head == "fastai" else linear_head(features, 2))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--arch", default="compact", choices=["compact-slim", "compact", "resnet18", "resnet34"])
    p.add_argument("--head", default="fastai", choices=["fastai", "linear"])
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--iters", type=int, default=20)
    p.add_argument("--reps", type=int, default=5)
    a = p.parse_args()
    torch.manual_seed(0)
    if a.threads:
        torch.set_num_threads(a.threads)
    model = build(a.arch, a.head).eval()
    host = np.random.default_rng(1).standard_normal((a.batch, 3, a.size, a.size)).astype(np.float32)
    print(f"# torch {torch.__version__}, {a.arch}/{a.head} at {a.size} px, batch {a.batch}, "
          f"{torch.get_num_threads()} threads", flush=True)

    def forward():
        x = torch.tensor(host)  # a copy, as DJL copies the Java array into the engine
        return model(x).numpy()

    with torch.no_grad():
        for _ in range(a.warmup):
            forward()
        rates = []
        for r in range(a.reps):
            start = time.perf_counter()
            for _ in range(a.iters):
                forward()
            rate = a.iters * a.batch / (time.perf_counter() - start)
            rates.append(rate)
            print(f"rep {r + 1}: {rate:.1f} images/s", flush=True)
    print(f"median_images_per_s {statistics.median(rates):.1f}")


if __name__ == "__main__":
    main()
