#!/usr/bin/python3
"""Single-image latency and batched throughput of SmearScan's networks in PyTorch from Python (Debian's python3-torch).

The Python side of bench/latency-vs-pytorch.sh, measured as LatencyBenchmark measures PyTorch through DJL and ONNX
Runtime: a host float tensor of normalised images copied in, eval mode, gradients off, logits copied back;
--iters single images (batch 1) each timed on its own, then --batches batches of --batch images, per repetition.

The network is the same architecture with the same shapes (bench/infer_pytorch.py's builder, which mirrors
org.smearscan.model.Networks), NOT the .smear file's weights: this side cannot read a .smear file, and the
time of a dense forward pass does not depend on the weight values. As SmearScan does (BatchNormFolding, applied by
CellClassifier.load and by ONNX export), each batch norm that follows a convolution in the body is folded into it
(--no-fold keeps them); the head runs as it is.

Prints `# torch …`, one `rep=R engine=pytorch-python …` line per repetition, then
`engine=pytorch-python single_p50_ms=X single_p99_ms=X single_mean_ms=X batch=N batch_img_per_s=X`.
"""
import argparse
import math
import os
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from infer_pytorch import build  # noqa: E402  the same layouts as infer-vs-pytorch.sh times


def fold_batch_norms(module):
    """Folds every BatchNorm2d that directly follows a Conv2d into it, as org.smearscan.model.BatchNormFolding does.
    Covers nn.Sequential (stem, downsample) and torchvision's BasicBlock (conv1/bn1, conv2/bn2). Returns the count."""
    folded = 0
    if isinstance(module, nn.Sequential):
        names = list(module._modules.keys())
        for a, b in zip(names, names[1:]):
            conv, bn = module._modules[a], module._modules[b]
            if isinstance(conv, nn.Conv2d) and isinstance(bn, nn.BatchNorm2d):
                module._modules[a] = fuse_conv_bn_eval(conv, bn)
                module._modules[b] = nn.Identity()
                folded += 1
    for conv_name, bn_name in (("conv1", "bn1"), ("conv2", "bn2")):
        conv, bn = getattr(module, conv_name, None), getattr(module, bn_name, None)
        if isinstance(conv, nn.Conv2d) and isinstance(bn, nn.BatchNorm2d):
            setattr(module, conv_name, fuse_conv_bn_eval(conv, bn))
            setattr(module, bn_name, nn.Identity())
            folded += 1
    for child in module.children():
        folded += fold_batch_norms(child)
    return folded


def percentile(values, q):
    """Nearest rank, as LatencyBenchmark computes it."""
    v = sorted(values)
    return v[max(0, min(len(v) - 1, math.ceil(q * len(v)) - 1))]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--arch", default="compact-slim", choices=["compact-slim", "compact", "resnet18", "resnet34"])
    p.add_argument("--head", default="fastai", choices=["fastai", "linear"])
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--iters", type=int, default=200)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--batches", type=int, default=10, help="0 skips throughput")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--no-fold", action="store_true", help="keep the batch norms as trained")
    a = p.parse_args()
    if a.iters < 1 or a.reps < 1 or a.batch < 1 or a.warmup < 0 or a.batches < 0:
        p.error("--iters, --reps and --batch must be at least 1; --warmup and --batches not negative")
    torch.manual_seed(0)
    if a.threads:
        torch.set_num_threads(a.threads)
    model = build(a.arch, a.head).eval()
    folded = 0 if a.no_fold else fold_batch_norms(model[0])
    rng = np.random.default_rng(1)
    single = rng.standard_normal((1, 3, a.size, a.size)).astype(np.float32)
    many = rng.standard_normal((a.batch, 3, a.size, a.size)).astype(np.float32)
    print(f"# torch {torch.__version__}, {a.arch}/{a.head} at {a.size} px, {torch.get_num_threads()} threads, "
          f"{folded} batch norms folded, OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '(default)')}", flush=True)

    def forward(host):
        x = torch.tensor(host)  # a copy, as the engines copy the Java array in
        return model(x).numpy()

    singles, rates = [], []
    with torch.no_grad():
        for _ in range(a.warmup):
            forward(single)
        for _ in range(0 if a.batches == 0 else max(1, a.warmup // 10)):
            forward(many)
        for r in range(a.reps):
            ms = []
            for _ in range(a.iters):
                t0 = time.perf_counter()
                forward(single)
                ms.append((time.perf_counter() - t0) * 1e3)
            singles += ms
            line = f"rep={r + 1} engine=pytorch-python single_p50_ms={percentile(ms, 0.5):.3f} single_p99_ms={percentile(ms, 0.99):.3f}"
            if a.batches:
                t0 = time.perf_counter()
                for _ in range(a.batches):
                    forward(many)
                rate = a.batches * a.batch / (time.perf_counter() - t0)
                rates.append(rate)
                line += f" batch={a.batch} batch_img_per_s={rate:.1f}"
            print(line, flush=True)
    line = (f"engine=pytorch-python single_p50_ms={percentile(singles, 0.5):.3f} "
            f"single_p99_ms={percentile(singles, 0.99):.3f} single_mean_ms={statistics.fmean(singles):.3f}")
    if a.batches:
        line += f" batch={a.batch} batch_img_per_s={statistics.median(rates):.1f}"
    print(line)


if __name__ == "__main__":
    main()
