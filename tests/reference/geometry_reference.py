#!/usr/bin/env python3
"""Reference computations for the C# geometry layer (SasNet.Geometry), using scipy and skimage.

Written for this kit; it restates, with scipy/skimage primitives, what the official SASNet/UA-MT
code computes, so that the C# results can be compared voxel by voxel:

  * the normalised signed distance map of `compute_sdf` (paper Fig. 5; docs/method.md §5.4),
  * scipy's Euclidean distance transform (with voxel spacing),
  * skimage inner boundaries and medpy-style surfaces (mask XOR 6-neighbour erosion),
  * medpy's dc / jc / hd95 / asd / assd definitions (medpy itself is not required).

Data exchange is through raw files in one folder:
  shape.txt    "B X Y Z"        (batch of B volumes, C order, Z fastest)
  spacing.txt  "sx sy sz"       (optional, defaults to 1 1 1)
  masks.u8     uint8 (B, X, Y, Z)          input of `maps`
  pred.u8, gt.u8  uint8 (B, X, Y, Z)       inputs of `metrics`

Commands:
  maps DIR               -> sdm.f32, edt.f32 (float32), boundary.u8, surface.u8
  metrics DIR            -> metrics.txt, one line per case: dice jaccard hd95 asd assd
  bench DIR REPEATS      -> prints "sdm_seconds=<best>" and "metrics_seconds=<best>", timed inside
                            Python (interpreter start-up and file reading excluded)
"""
import os
import sys
import time

import numpy as np
from scipy import ndimage
from skimage.segmentation import find_boundaries


def read_batch(folder, name):
    b, x, y, z = (int(v) for v in open(os.path.join(folder, "shape.txt")).read().split())
    data = np.fromfile(os.path.join(folder, name), dtype=np.uint8)
    return data.reshape(b, x, y, z)


def read_spacing(folder):
    path = os.path.join(folder, "spacing.txt")
    if not os.path.exists(path):
        return (1.0, 1.0, 1.0)
    return tuple(float(v) for v in open(path).read().split())


def normalised_sdf(masks):
    """SDM per sample as the official compute_sdf: min-max normalised outside minus inside
    distances, inner boundary set to zero, all-zero map for an empty mask."""
    result = np.zeros(masks.shape, dtype=np.float64)
    for index in range(masks.shape[0]):
        inside = masks[index].astype(bool)
        if not inside.any():
            continue
        outside = ~inside
        dist_in = ndimage.distance_transform_edt(inside)
        dist_out = ndimage.distance_transform_edt(outside)
        edge = find_boundaries(inside, mode="inner")
        sdf = (dist_out - dist_out.min()) / (dist_out.max() - dist_out.min()) \
            - (dist_in - dist_in.min()) / (dist_in.max() - dist_in.min())
        sdf[edge] = 0
        result[index] = sdf
    return result


CROSS = ndimage.generate_binary_structure(3, 1)


def surface(mask):
    """Foreground voxels removed by one erosion with the 6-neighbour cross (outside = background)."""
    mask = mask.astype(bool)
    return mask ^ ndimage.binary_erosion(mask, structure=CROSS, iterations=1)


def directed_surface_distances(source, target, spacing):
    """Distance from each surface voxel of source to the nearest surface voxel of target."""
    field = ndimage.distance_transform_edt(~surface(target), sampling=spacing)
    return field[surface(source)]


def case_metrics(pred, gt, spacing):
    pred = pred.astype(bool)
    gt = gt.astype(bool)
    if not pred.any() or not gt.any():
        return (0.0, 0.0, 0.0, 0.0, 0.0)
    overlap = np.count_nonzero(pred & gt)
    dice = 2.0 * overlap / (np.count_nonzero(pred) + np.count_nonzero(gt))
    jaccard = overlap / np.count_nonzero(pred | gt)
    forward = directed_surface_distances(pred, gt, spacing)
    backward = directed_surface_distances(gt, pred, spacing)
    hd95 = np.percentile(np.hstack((forward, backward)), 95)
    asd = forward.mean()
    assd = (forward.mean() + backward.mean()) / 2
    return (dice, jaccard, hd95, asd, assd)


def command_maps(folder):
    masks = read_batch(folder, "masks.u8")
    spacing = read_spacing(folder)
    normalised_sdf(masks).astype(np.float32).tofile(os.path.join(folder, "sdm.f32"))
    edt = np.stack([ndimage.distance_transform_edt(m.astype(bool), sampling=spacing) for m in masks])
    edt.astype(np.float32).tofile(os.path.join(folder, "edt.f32"))
    inner = np.stack([find_boundaries(m.astype(bool), mode="inner") for m in masks])
    inner.astype(np.uint8).tofile(os.path.join(folder, "boundary.u8"))
    np.stack([surface(m) for m in masks]).astype(np.uint8).tofile(os.path.join(folder, "surface.u8"))


def command_metrics(folder):
    pred = read_batch(folder, "pred.u8")
    gt = read_batch(folder, "gt.u8")
    spacing = read_spacing(folder)
    with open(os.path.join(folder, "metrics.txt"), "w") as out:
        for p, g in zip(pred, gt):
            out.write(" ".join(repr(float(v)) for v in case_metrics(p, g, spacing)) + "\n")


def command_bench(folder, repeats):
    masks = read_batch(folder, "masks.u8")
    best_sdm = min(timed(lambda: normalised_sdf(masks)) for _ in range(repeats))
    pred = read_batch(folder, "pred.u8")
    gt = read_batch(folder, "gt.u8")
    spacing = read_spacing(folder)
    best_metrics = min(timed(lambda: case_metrics(pred[0], gt[0], spacing)) for _ in range(repeats))
    print(f"sdm_seconds={best_sdm:.6f}")
    print(f"metrics_seconds={best_metrics:.6f}")


def timed(action):
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main(argv):
    if len(argv) < 3 or argv[1] not in ("maps", "metrics", "bench"):
        sys.stderr.write(__doc__)
        return 2
    if argv[1] == "maps":
        command_maps(argv[2])
    elif argv[1] == "metrics":
        command_metrics(argv[2])
    else:
        command_bench(argv[2], int(argv[3]) if len(argv) > 3 else 3)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
