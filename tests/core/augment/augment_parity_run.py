"""Augment fixed images with fixed seeds; run once per backend by test_augment_parity.py.

Usage: KERAS_BACKEND=... python augment_parity_run.py OUT.npz
"""

import sys

import numpy as np
from keras import ops

from ganzoo.augment import ADA, DiffAugment

rng = np.random.default_rng(0)
RGB = rng.uniform(-1, 1, (6, 12, 12, 3)).astype("float32")
GREY = rng.uniform(-1, 1, (6, 12, 12, 1)).astype("float32")
CASES = {
    "diffaugment": lambda: DiffAugment(seed=7),
    "ada_bgc": lambda: ADA(target=None, p=0.8, seed=7),
    "ada_geometric": lambda: ADA(target=None, p=1.0, pipeline="g", seed=8),
}

if __name__ == "__main__":
    results = {}
    for name, make in CASES.items():
        for kind, x in (("rgb", RGB), ("grey", GREY)):
            pipeline = make()
            for call in range(2):  # the second call checks that the stream advanced alike
                results[f"{name}/{kind}/{call}"] = ops.convert_to_numpy(pipeline(x))
    np.savez(sys.argv[1], **results)
