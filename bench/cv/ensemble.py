#!/usr/bin/env python3
"""Accuracy and AUC of each model and of their average, from `smearscan predict --format csv` outputs of the same
crops (one CSV per model; label from the folder name, Parasitized / Uninfected; threshold 0.5 as in `cv`).

    python3 bench/cv/ensemble.py A.csv B.csv [C.csv ...]

Standard library only.
"""
import csv
import sys


def read(path):
    with open(path, newline="") as f:
        return {r["file"]: float(r["parasitized_probability"]) for r in csv.DictReader(f) if not r["error"]}


def auc(labels, scores):
    """Mann-Whitney AUC with ties counted half."""
    pairs = sorted(zip(scores, labels))
    ranks, i = [0.0] * len(pairs), 0
    while i < len(pairs):
        j = i
        while j + 1 < len(pairs) and pairs[j + 1][0] == pairs[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2 + 1
        i = j + 1
    positives = sum(labels)
    negatives = len(labels) - positives
    rank_sum = sum(r for r, (_, y) in zip(ranks, pairs) if y)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    models = [read(p) for p in sys.argv[1:]]
    files = sorted(set.intersection(*(set(m) for m in models)))
    if not files:
        raise SystemExit("the CSVs have no crop in common")
    labels = [1 if "/Parasitized/" in f else 0 for f in files]
    rows = [(p, [m[f] for f in files]) for p, m in zip(sys.argv[1:], models)]
    rows.append(("average of the %d" % len(models), [sum(m[f] for m in models) / len(models) for f in files]))
    print(f"{len(files)} crops in every CSV")
    for name, scores in rows:
        accuracy = sum((s >= 0.5) == bool(y) for s, y in zip(scores, labels)) / len(files)
        print(f"  accuracy {accuracy:.4f}  AUC {auc(labels, scores):.4f}  {name}")


if __name__ == "__main__":
    main()
