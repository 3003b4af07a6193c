#!/usr/bin/env python3
"""PyTorch side of bench/ops-vs-pytorch.sh: the operators org.smearscan.bench.train.OpBenchmark times, on the
same shapes, each call on a fresh copy of the input as the Java side does. Prints
`pytorch op=<name> shape=<CxHxW> median_ms=...` per op."""
import argparse
import statistics
import time

import torch
import torch.nn.functional as F


def timed(op, shape, x, iters, reps, f):
    ms = []
    for r in range(-1, reps):  # r = -1 warms up
        start = time.perf_counter()
        for _ in range(iters):
            f(x.clone())
        if r >= 0:
            ms.append((time.perf_counter() - start) * 1000 / iters)
    print(f"pytorch op={op} shape={shape} median_ms={statistics.median(ms):.3f}", flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--iters", type=int, default=50)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    for c, h, w in ((64, 16, 16), (16, 32, 32)):
        x = torch.randn(64, c, h, w)
        kernel = torch.randn(c, c, 3, 3)
        mean, var, gamma, beta = torch.zeros(c), torch.ones(c), torch.ones(c), torch.zeros(c)
        shape = f"{c}x{h}x{w}"
        timed("conv3x3", shape, x, a.iters, a.reps, lambda t: F.conv2d(t, kernel, None, 1, 1))
        timed("batch_norm_train", shape, x, a.iters, a.reps, lambda t: F.batch_norm(t, mean, var, gamma, beta, True, 0.1, 1e-5))
        timed("batch_norm_eval", shape, x, a.iters, a.reps, lambda t: F.batch_norm(t, mean, var, gamma, beta, False, 0.1, 1e-5))
        timed("relu", shape, x, a.iters, a.reps, F.relu)
        timed("add", shape, x, a.iters, a.reps, lambda t: t + t)
    print(f"# torch {torch.__version__}")


if __name__ == "__main__":
    main()
