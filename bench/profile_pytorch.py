#!/usr/bin/env python3
"""PyTorch side of bench/profile-vs-pytorch.sh, and the comparison of two profiler traces.

--trace FILE: trains bench/pytorch_train_bench.py's resnet18 for WARMUP + BATCHES batches (same optimizer
and loop) and writes a Chrome trace of the timed batches with torch.autograd.profiler.
--compare A B: prints each operator's self time (its time minus that of the operators it called) in ms per
batch, for trace A (SmearScan) and trace B (PyTorch), largest first.
"""
import argparse
import collections
import json

import torch
import torch.nn.functional as F

from pytorch_train_bench import model_and_optimizer


def trace(size, batches, warmup, threads, out):
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    model, opt = model_and_optimizer()
    x = torch.rand(64, 3, size, size) * 2 - 1
    y = torch.randint(0, 2, (64,))

    def step():
        loss = F.cross_entropy(model(x), y)
        loss.item()
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=False)

    for _ in range(warmup):
        step()
    with torch.autograd.profiler.profile() as prof:
        for _ in range(batches):
            step()
    prof.export_chrome_trace(out)


def self_times(path, batches):
    events = json.load(open(path))
    if isinstance(events, dict):
        events = events["traceEvents"]
    by_thread = collections.defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and "dur" in e:
            by_thread[e.get("tid")].append(e)
    totals = collections.Counter()
    for thread_events in by_thread.values():
        thread_events.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack = []
        for e in thread_events:
            while stack and stack[-1]["ts"] + stack[-1]["dur"] <= e["ts"]:
                stack.pop()
            e["self"] = e["dur"]
            if stack:
                stack[-1]["self"] -= e["dur"]
            stack.append(e)
        for e in thread_events:
            totals[e["name"]] += e["self"]
    return {name: us / 1000 / batches for name, us in totals.items()}


def compare(ours_path, theirs_path, batches, top):
    ours, theirs = self_times(ours_path, batches), self_times(theirs_path, batches)
    names = sorted(set(ours) | set(theirs), key=lambda n: -max(ours.get(n, 0), theirs.get(n, 0)))
    print(f"{'operator (self time, ms per batch)':48s} {'smearscan':>10s} {'pytorch':>10s}")
    print(f"{'all':48s} {sum(ours.values()):10.1f} {sum(theirs.values()):10.1f}")
    for n in names[:top]:
        print(f"{n[:48]:48s} {ours.get(n, 0):10.1f} {theirs.get(n, 0):10.1f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--batches", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--trace")
    ap.add_argument("--compare", nargs=2)
    ap.add_argument("--top", type=int, default=25)
    a = ap.parse_args()
    if a.compare:
        compare(a.compare[0], a.compare[1], a.batches, a.top)
    else:
        trace(a.size, a.batches, a.warmup, a.threads, a.trace)


if __name__ == "__main__":
    main()
