#!/usr/bin/python3
"""bench/slic_skimage.py: scikit-image's slic on the masked photos; the reference figures
for bench/slic_bench.cpp, printed as JSON with the same keys so the two read side by side.

    /usr/bin/python3 bench/slic_skimage.py [FOLDER]       (FOLDER holds images/, masks/)

FOLDER defaults to segmentation/ under $SANTA_LENS_DATA, the data root. Needs Debian's
python3-skimage (apt-get install python3-skimage). Only the slic call is timed; the figures and
their definitions are those of slic_bench.cpp (borders: a right or lower neighbour differs;
masks scaled to the photo with nearest neighbour, pixel centre to pixel centre).
"""
import json
import os
import pathlib
import statistics
import sys
import time

import numpy as np
import skimage
from PIL import Image
from skimage.segmentation import slic

SETTINGS = [(n, c) for c in (30.0, 10.0) for n in (50, 200)]  # (n_segments, compactness)
SIGMA = 3.0


def resize_nearest(a, width, height):
    """Nearest neighbour, pixel centre to pixel centre: source = floor((2 x + 1) * sw / (2 w))."""
    sh, sw = a.shape
    ys = (2 * np.arange(height) + 1) * sh // (2 * height)
    xs = (2 * np.arange(width) + 1) * sw // (2 * width)
    return a[ys][:, xs]


def borders(labels):
    """1 where the right or lower neighbour has another label (sl::segment_borders)."""
    b = np.zeros(labels.shape, dtype=bool)
    b[:, :-1] |= labels[:, :-1] != labels[:, 1:]
    b[:-1, :] |= labels[:-1, :] != labels[1:, :]
    return b


def dilate(b, r):
    """Max filter over a (2r+1) x (2r+1) square."""
    rows = b.copy()
    for k in range(1, r + 1):
        rows[:, k:] |= b[:, :-k]
        rows[:, :-k] |= b[:, k:]
    out = rows.copy()
    for k in range(1, r + 1):
        out[k:, :] |= rows[:-k, :]
        out[:-k, :] |= rows[k:, :]
    return out


def boundary_recall(labels, mask):
    truth = borders(mask)
    total = truth.sum()
    return float((truth & dilate(borders(labels), 2)).sum() / total) if total else None


def undersegmentation_error(labels, mask):
    count = labels.max() + 1
    inside = np.bincount(labels[mask], minlength=count)
    outside = np.bincount(labels[~mask], minlength=count)
    return float(np.minimum(inside, outside).sum() / labels.size)


def main():
    if len(sys.argv) > 1:
        folder = pathlib.Path(sys.argv[1])
    elif os.environ.get("SANTA_LENS_DATA"):
        folder = pathlib.Path(os.environ["SANTA_LENS_DATA"]) / "segmentation"
    else:
        sys.exit("usage: slic_skimage.py FOLDER (or set SANTA_LENS_DATA, the data root)")
    photos = []
    for path in sorted((folder / "images").glob("*.jpg")):
        if path.name.startswith("."):
            continue  # macOS's ._ and .DS_Store files
        image = np.asarray(Image.open(path).convert("RGB"))
        mask = np.asarray(Image.open(folder / "masks" / (path.stem + ".png")).convert("RGB"))[:, :, 0] >= 128
        photos.append((image, resize_nearest(mask, image.shape[1], image.shape[0])))
    results = []
    for n_segments, compactness in SETTINGS:
        run = lambda img: slic(img, n_segments=n_segments, compactness=compactness, sigma=SIGMA,
                               start_label=0)
        run(photos[0][0])  # warm-up
        ms_per_mp, segments, recall, under = [], [], [], []
        for image, mask in photos:
            start = time.perf_counter()
            labels = run(image)
            ms = (time.perf_counter() - start) * 1000
            ms_per_mp.append(ms / (image.shape[0] * image.shape[1] / 1e6))
            segments.append(labels.max() + 1)
            r = boundary_recall(labels, mask)
            if r is not None:
                recall.append(r)
            under.append(undersegmentation_error(labels, mask))
        results.append({"n_segments": n_segments, "compactness": compactness, "sigma": SIGMA,
                        "ms_per_megapixel": statistics.median(ms_per_mp),
                        "mean_segments": float(np.mean(segments)),
                        "boundary_recall": float(np.mean(recall)),
                        "undersegmentation_error": float(np.mean(under))})
    megapixels = np.mean([i.shape[0] * i.shape[1] / 1e6 for i, _ in photos])
    print(json.dumps({"implementation": f"scikit-image {skimage.__version__} slic",
                      "photos": len(photos), "mean_megapixels": float(megapixels),
                      "results": results}, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
