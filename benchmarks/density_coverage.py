"""Time density_coverage on two sets of 10,000 random features of the given dimension.

    /usr/bin/time -v python benchmarks/density_coverage.py 2048
"""

import sys
import time

import numpy as np

from ganzoo.metrics.scores.density_coverage import density_coverage

dim = int(sys.argv[1])
rng = np.random.default_rng(0)
real = rng.normal(size=(10000, dim)).astype(np.float32)
fake = rng.normal(size=(10000, dim)).astype(np.float32)
start = time.time()
print(dim, density_coverage(real, fake, k=5), f"{time.time() - start:.1f}s")
