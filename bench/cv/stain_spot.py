#!/usr/bin/env python3
"""Do the model's errors on unseen donors show a stained parasite at all? A model-free check of the labels.

Giemsa stains a parasite's chromatin dark purple: a crop with a parasite has a spot far darker than the rest of
its cell. For every crop in a `smearscan predict --format csv` output or a `cv` fold's predictions.csv (label from
the folder name, Parasitized / Uninfected), this measures the darkest spot: the cell's median green level minus its
0.5th percentile (3x3 blur, the black background and a 2-pixel rim left out). It then tabulates the spot contrast of correct calls and of
errors, and counts the crops whose stain contradicts their label (labelled Parasitized without any spot darker
than SPOT_NONE levels, labelled Uninfected with a spot of SPOT_DARK levels or more).

    /usr/bin/python3 bench/cv/stain_spot.py PREDICTIONS.csv [--none 25] [--dark 40]
    /usr/bin/python3 bench/cv/stain_spot.py CV_DIR/fold-1/predictions.csv   # a cv fold's out-of-fold scores
    /usr/bin/python3 bench/cv/stain_spot.py CV_DIR/suspects.csv        # the images `cv` found suspect
    /usr/bin/python3 bench/cv/stain_spot.py PREDICTIONS.csv --write-consistent OUT.csv

With --write-consistent, the rows of PREDICTIONS.csv whose stain does not contradict their label are written to
OUT.csv (for bench/fields/parasitemia_floor.py, say). Leaving crops out by a test that agrees with the model's
own cues favours the model: read what is measured on them as "if the labels were right", not as a score.

For `cv`'s suspects.csv it gives, per label, how many suspects have no stained spot or a dark one.

Needs OpenCV for Python (Debian: python3-opencv) and NumPy. The default thresholds were read off the default
model's fold-1 calls (95% of its uninfected calls lie below 23, 95% of its infected calls above 42) and are used
unchanged on other folds. A spotless crop labelled Parasitized is the strong case (no stained chromatin at all);
a dark spot on a crop labelled Uninfected may be debris or a platelet lying on the cell rather than a parasite.
"""
import argparse
import csv

import cv2
import numpy as np


def spot_contrast(path):
    image = cv2.imread(path)
    if image is None:
        raise SystemExit(f"{path}: cannot be read as an image")
    green = cv2.GaussianBlur(image[:, :, 1].astype(np.float32), (3, 3), 0)
    cell = cv2.erode((image.max(axis=2) > 10).astype(np.uint8), np.ones((5, 5), np.uint8))
    values = green[cell > 0]
    if values.size < 50:
        return 0.0
    return float(np.median(values) - np.percentile(values, 0.5))


def quantiles(values):
    values = sorted(values)
    if not values:
        return "-"
    return " / ".join(f"{values[min(len(values) - 1, int(len(values) * q))]:.0f}" for q in (0.05, 0.25, 0.5, 0.75, 0.95))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("predictions")
    ap.add_argument("--none", type=float, default=25, help="below this, a cell shows no stained spot")
    ap.add_argument("--dark", type=float, default=40, help="from this on, a cell shows a dark stained spot")
    ap.add_argument("--write-consistent", metavar="OUT", help="write the rows whose stain agrees with their label")
    args = ap.parse_args()
    with open(args.predictions, newline="") as f:
        if "suggested" in (csv.DictReader(f).fieldnames or []):
            return suspects(args)
    rows = []
    consistent = []
    with open(args.predictions, newline="") as f:
        reader = csv.DictReader(f)
        from_cv = "p_Parasitized" in (reader.fieldnames or [])
        path, probability = ("path", "p_Parasitized") if from_cv else ("file", "parasitized_probability")
        for r in reader:
            if not from_cv and r["error"]:
                continue
            sick = "/Parasitized/" in r[path]
            if not sick and "/Uninfected/" not in r[path]:
                continue
            contrast = spot_contrast(r[path])
            rows.append((sick, float(r[probability]) >= 0.5, contrast))
            if not ((sick and contrast < args.none) or (not sick and contrast >= args.dark)):
                consistent.append(r)
    if args.write_consistent:
        with open(args.write_consistent, "w", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
            writer.writeheader()
            writer.writerows(consistent)
    groups = {
        "labelled Parasitized, called parasitized": [c for s, p, c in rows if s and p],
        "labelled Parasitized, called uninfected (false negatives)": [c for s, p, c in rows if s and not p],
        "labelled Uninfected, called uninfected": [c for s, p, c in rows if not s and not p],
        "labelled Uninfected, called parasitized (false positives)": [c for s, p, c in rows if not s and p],
    }
    print(f"{len(rows)} crops; spot contrast in green levels, quantiles 5 / 25 / 50 / 75 / 95%")
    for name, values in groups.items():
        print(f"  {name:58s} {len(values):5d}   {quantiles(values)}")
    errors = sum(1 for s, p, c in rows if s != p)
    spotless = [(s, p) for s, p, c in rows if s and c < args.none]
    spotted = [(s, p) for s, p, c in rows if not s and c >= args.dark]
    contradicted_errors = sum(1 for s, p in spotless if not p) + sum(1 for s, p in spotted if p)
    print(f"labelled Parasitized without a spot (< {args.none:g}): {len(spotless)}, of which the model called "
          f"uninfected {sum(1 for s, p in spotless if not p)}")
    print(f"labelled Uninfected with a dark spot (>= {args.dark:g}): {len(spotted)}, of which the model called "
          f"parasitized {sum(1 for s, p in spotted if p)}")
    print(f"errors: {errors} of {len(rows)} (accuracy {1 - errors / len(rows):.4f}); {contradicted_errors} of them "
          f"({contradicted_errors / max(1, errors):.0%}) are crops whose stain contradicts their label "
          f"({sum(1 for s, p in spotless if not p)} spotless false negatives, {sum(1 for s, p in spotted if p)} "
          f"spotted false positives)")
    print(f"accuracy with every other error fixed: {1 - contradicted_errors / len(rows):.4f}; calling every spotless "
          f"crop uninfected and all else right: {1 - len(spotless) / len(rows):.4f}")


def suspects(args):
    by_label = {}
    with open(args.predictions, newline="") as f:
        for r in csv.DictReader(f):
            by_label.setdefault(r["label"], []).append(spot_contrast(r["path"]))
    print("suspects of `cv`; spot contrast in green levels, quantiles 5 / 25 / 50 / 75 / 95%")
    for label, values in sorted(by_label.items()):
        none = sum(1 for c in values if c < args.none)
        dark = sum(1 for c in values if c >= args.dark)
        print(f"  labelled {label:12s} {len(values):5d}   {quantiles(values)}   no spot (< {args.none:g}): {none} "
              f"({none / len(values):.0%}), dark spot (>= {args.dark:g}): {dark} ({dark / len(values):.0%})")


if __name__ == "__main__":
    main()
