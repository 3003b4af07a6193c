#!/usr/bin/env python3
"""Accuracy and AUC of each model and of their average, from `smearscan predict --format csv` outputs of the same
crops, or from `cv`'s out-of-fold scores (`fold-k/predictions.csv`), one CSV per model; label from the folder
name, Parasitized / Uninfected; threshold 0.5 as in `cv`.

    python3 bench/cv/ensemble.py A.csv B.csv [C.csv ...]
    python3 bench/cv/ensemble.py runs/cv-default/fold-1/predictions.csv runs/cv-seed7/fold-1/predictions.csv
    python3 bench/cv/ensemble.py --cv runs/cv-default runs/cv-lighting   # every fold the cv folders share, and the mean

Standard library only.
"""
import csv
import os
import statistics
import sys


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if rows and "p_Parasitized" in rows[0]:  # cv's predictions.csv
        return {r["path"]: float(r["p_Parasitized"]) for r in rows}
    return {r["file"]: float(r["parasitized_probability"]) for r in rows if not r["error"]}


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


def score(files, models):
    """(accuracy, AUC) of each model and of their average on the crops all of them scored."""
    labels = [1 if "/Parasitized/" in f else 0 for f in files]
    columns = [[m[f] for f in files] for m in models]
    columns.append([sum(m[f] for m in models) / len(models) for f in files])
    return [(sum((p >= 0.5) == bool(y) for p, y in zip(c, labels)) / len(files), auc(labels, c)) for c in columns]


def common(models):
    files = sorted(set.intersection(*(set(m) for m in models)))
    if not files:
        raise SystemExit("the CSVs have no crop in common")
    return files


def by_fold(folders):
    """Each fold that every cv folder has scored, then the mean and spread over those folds."""
    folds = [k for k in range(1, 100)
             if all(os.path.exists(os.path.join(d, f"fold-{k}", "predictions.csv")) for d in folders)]
    if not folds:
        raise SystemExit("no fold has predictions.csv in every folder")
    names = list(folders) + ["average of the %d" % len(folders)]
    table = []
    for k in folds:
        models = [read(os.path.join(d, f"fold-{k}", "predictions.csv")) for d in folders]
        files = common(models)
        table.append(score(files, models))
        print(f"fold {k}: {len(files)} crops; " + "; ".join(f"{a:.4f} / {u:.4f}" for a, u in table[-1])
              + "  (accuracy / AUC: " + ", ".join(names) + ")")
    print(f"mean ± sd over folds {folds[0]}-{folds[-1]}:")
    for i, name in enumerate(names):
        accs = [row[i][0] for row in table]
        aucs = [row[i][1] for row in table]
        sd = (lambda v: statistics.stdev(v) if len(v) > 1 else 0.0)
        print(f"  accuracy {statistics.mean(accs):.4f} ± {sd(accs):.4f}  AUC {statistics.mean(aucs):.4f} ± "
              f"{sd(aucs):.4f}  {name}")


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--cv":
        return by_fold(sys.argv[2:])
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    models = [read(p) for p in sys.argv[1:]]
    files = common(models)
    names = sys.argv[1:] + ["average of the %d" % len(models)]
    print(f"{len(files)} crops in every CSV")
    for name, (accuracy, area) in zip(names, score(files, models)):
        print(f"  accuracy {accuracy:.4f}  AUC {area:.4f}  {name}")


if __name__ == "__main__":
    main()
