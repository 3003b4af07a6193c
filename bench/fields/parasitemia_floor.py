#!/usr/bin/env python3
"""How small can the per-field parasitemia error be, given a cell classifier's scores on crops of unseen donors?

Composed fields (compose-fields) are made of NIH crops whose labels are the truth, so no field pipeline can count
better than its classifier does on the crops themselves. This script draws fields of N cells at a given
parasitemia from a `smearscan predict --format csv` output on labelled crops (label from the folder name:
Parasitized / Uninfected), counts the cells each threshold calls infected, and reports the mean absolute
parasitemia error in percentage points, per field and per slide (several fields of one parasitemia pooled).
Perfect segmentation is assumed: this is the floor the classifier sets, not a measurement of the field pipeline.

    python3 bench/fields/parasitemia_floor.py PREDICTIONS.csv [PREDICTIONS.csv ...] [--cells 150] [--fields 4000]

Standard library only, so it runs with any python3.
"""
import argparse
import csv
import random


def read_scores(paths):
    positives, negatives = [], []
    for path in paths:
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                if row.get("error"):
                    continue
                p = float(row["parasitized_probability"])
                if "/Parasitized/" in row["file"]:
                    positives.append(p)
                elif "/Uninfected/" in row["file"]:
                    negatives.append(p)
    if not positives or not negatives:
        raise SystemExit("need crops of both classes (folders Parasitized/ and Uninfected/) in " + ", ".join(paths))
    return positives, negatives


def field_error(rng, positives, negatives, cells, prevalence, threshold):
    infected = round(cells * prevalence)
    called = sum(p >= threshold for p in rng.sample(positives, infected))
    called += sum(p >= threshold for p in rng.sample(negatives, cells - infected))
    return called - infected


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("predictions", nargs="+")
    ap.add_argument("--cells", type=int, default=150, help="cells per field (composed fields: 150)")
    ap.add_argument("--fields", type=int, default=4000, help="fields drawn per threshold and parasitemia")
    ap.add_argument("--slide-fields", type=int, default=10, help="fields pooled into one slide")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    positives, negatives = read_scores(args.predictions)
    prevalences = (0.02, 0.05, 0.10)
    print(f"{len(positives)} parasitized and {len(negatives)} uninfected crops; {args.cells} cells a field; "
          f"parasitemia {', '.join(f'{p:.0%}' for p in prevalences)} in equal shares")
    print("threshold  sensitivity  specificity  field error (pp)  slide error (pp, %d fields)" % args.slide_fields)
    for threshold in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99):
        rng = random.Random(args.seed)
        sens = sum(p >= threshold for p in positives) / len(positives)
        spec = sum(p < threshold for p in negatives) / len(negatives)
        field_errors, slide_errors = [], []
        for prevalence in prevalences:
            for _ in range(args.fields // len(prevalences)):
                field_errors.append(abs(field_error(rng, positives, negatives, args.cells, prevalence, threshold))
                                    / args.cells * 100)
            for _ in range(args.fields // len(prevalences) // args.slide_fields):
                miss = sum(field_error(rng, positives, negatives, args.cells, prevalence, threshold)
                           for _ in range(args.slide_fields))
                slide_errors.append(abs(miss) / (args.cells * args.slide_fields) * 100)
        print(f"{threshold:9.2f}  {sens:11.4f}  {spec:11.4f}  {sum(field_errors) / len(field_errors):16.2f}  "
              f"{sum(slide_errors) / len(slide_errors):10.2f}")
    requirement(args, prevalences)


def requirement(args, prevalences):
    """The field error of a classifier that errs independently per cell at a given sensitivity and specificity."""
    rng = random.Random(args.seed)
    specificities = (0.99, 0.995, 0.997, 0.998, 0.999)
    print(f"\nfield error (pp) of a classifier with this sensitivity (rows) and specificity (columns), {args.cells} cells:")
    print("          " + "".join(f"{q:>8.3f}" for q in specificities))
    for sensitivity in (0.93, 0.95, 0.97, 0.99):
        cells = []
        for specificity in specificities:
            total, draws = 0.0, 0
            for prevalence in prevalences:
                infected = round(args.cells * prevalence)
                for _ in range(args.fields // len(prevalences)):
                    missed = sum(rng.random() >= sensitivity for _ in range(infected))
                    false_calls = sum(rng.random() >= specificity for _ in range(args.cells - infected))
                    total += abs(false_calls - missed) / args.cells * 100
                    draws += 1
            cells.append(total / draws)
        print(f"{sensitivity:>10.2f}" + "".join(f"{e:8.2f}" for e in cells))


if __name__ == "__main__":
    main()
