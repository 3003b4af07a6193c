#!/usr/bin/env python3
"""The textbook red-cell segmentation, as a baseline for SmearScan's circle search: green channel, Otsu,
hole filling, distance-transform peaks as markers, watershed, size filter (OpenCV from Debian's
python3-opencv). Prints the share of boxed cells (and of infected boxed cells) that a detected region matches at
IoU >= 0.5, one to one and greedy by IoU, leaving out boxes within 3 px of the border and difficult boxes --
the same rules as `smearscan evaluate-fields`. Segmentation only: no classifier.

    /usr/bin/python3 bench/fields/textbook_watershed.py ../shared/data/smear_fields [NAMES_FILE]
"""
import json
import sys
import time

import cv2
import numpy as np


def boxes_of(objects, width, height):
    out = []
    for o in objects:
        b = o["bbox"]
        x, y, w, h = (int(float(b[k])) for k in "xywh")
        x0, y0, x1, y1 = max(0, x), max(0, y), min(width, x + w), min(height, y + h)
        if x1 > x0 and y1 > y0:
            out.append((x0, y0, x1 - x0, y1 - y0, o["type"]))
    return out


def iou(a, b):
    iw = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    ih = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0:
        return 0.0
    inter = iw * ih
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def near_border(b, width, height, margin=3):
    return b[0] <= margin or b[1] <= margin or b[0] + b[2] >= width - margin or b[1] + b[3] >= height - margin


def matched_truth(detections, truth):
    pairs = sorted((-iou(d, t), i, j) for i, d in enumerate(detections) for j, t in enumerate(truth) if iou(d, t) >= 0.5)
    used_d, used_t = set(), set()
    for _, i, j in pairs:
        if i not in used_d and j not in used_t:
            used_d.add(i)
            used_t.add(j)
    return used_t


def fill_holes(mask, limit):
    n, labels, stats, _ = cv2.connectedComponentsWithStats((mask == 0).astype(np.uint8), connectivity=4)
    h, w = mask.shape
    out = mask.copy()
    for i in range(1, n):
        x, y, ww, hh, area = stats[i]
        if x > 0 and y > 0 and x + ww < w and y + hh < h and area < limit:
            out[labels == i] = 255
    return out


def segment(image, radius=38, min_area=1200, max_area=12000):
    green = cv2.GaussianBlur(image[:, :, 1], (5, 5), 0)
    _, fg = cv2.threshold(green, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    fg = cv2.morphologyEx(fg, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    fg = fill_holes(fg, 3000)
    dist = cv2.distanceTransform(fg, cv2.DIST_L2, 5)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (int(radius * 0.9) | 1, int(radius * 0.9) | 1))
    peaks = ((dist >= cv2.dilate(dist, kernel) - 1e-3) & (dist > radius * 0.45)).astype(np.uint8)
    n, markers = cv2.connectedComponents(peaks)
    markers = np.where(peaks > 0, markers + 1, 0).astype(np.int32)
    markers[fg == 0] = 1
    regions = cv2.watershed(image, markers)
    out = []
    for label in range(2, n + 1):
        ys, xs = np.nonzero(regions == label)
        if min_area <= len(xs) <= max_area:
            out.append((xs.min(), ys.min(), xs.max() - xs.min() + 1, ys.max() - ys.min() + 1))
    return out


def main():
    root = sys.argv[1]
    annotations = {o["image_name"]: o["objects"] for o in json.load(open(f"{root}/annotations.json"))}
    names_file = sys.argv[2] if len(sys.argv) > 2 else f"{root}/names.txt"
    names = [l.strip() for l in open(names_file) if l.strip() and not l.startswith("#")]
    boxes = found = infected = infected_found = 0
    seconds = []
    for name in names:
        image = cv2.imread(f"{root}/fields/{name}")
        height, width = image.shape[:2]
        start = time.time()
        detections = segment(image)
        seconds.append(time.time() - start)
        truth = boxes_of(annotations[name], width, height)
        hit = matched_truth(detections, truth)
        for j, t in enumerate(truth):
            if near_border(t, width, height) or t[4] == "difficult":
                continue
            sick = t[4] != "red blood cell"
            boxes += 1
            infected += sick
            if j in hit:
                found += 1
                infected_found += sick
    print(f"{len(names)} fields: boxed cells found {found}/{boxes} = {found / boxes:.4f}; infected boxed cells found "
          f"{infected_found}/{infected} = {infected_found / max(1, infected):.4f}; segmentation "
          f"{np.median(seconds):.3f} s per field (median)")


if __name__ == "__main__":
    main()
