"""A GAN trained by ganzoo learns: the ring of 8 Gaussians (Metz et al. 2017).

Uses the example third-party plugin (examples/ganzoo-mlp2d), so it also shows
an externally installed architecture training through ganzoo.build(...).fit.
Non-saturating and hinge use a small R1 penalty (gamma = 0.1; Mescheder et al.
2018): without it both collapse to 4-6 modes in this budget on most seeds.
"""

import numpy as np
import pytest

import ganzoo

mlp2d = pytest.importorskip("ganzoo_mlp2d", reason="pip install -e examples/ganzoo-mlp2d")
from ganzoo_mlp2d.data import ring_centers, ring_of_gaussians  # noqa: E402

NEAR = 0.25  # a sample is "near" a mode within this distance (modes are 1.53 apart)


def mode_coverage(samples, centers):
    distance = np.linalg.norm(samples[:, None] - centers[None], axis=-1)
    near = distance.min(axis=1) < NEAR
    counts = np.bincount(distance.argmin(axis=1)[near], minlength=len(centers))
    covered = int((counts >= 0.01 * len(samples)).sum())
    return covered, float(near.mean())


@pytest.mark.slow
@pytest.mark.parametrize(
    "overrides, steps",
    [
        ({"loss": "non_saturating", "r1": 0.1}, 1500),
        ({"loss": "hinge", "r1": 0.1}, 1500),
        ({"loss": "wasserstein", "gradient_penalty": 0.1, "d_steps": 5}, 1000),
    ],
    ids=["non_saturating", "hinge", "wgan-gp"],
)
def test_ring_of_gaussians(overrides, steps):
    gan = ganzoo.build("mlp2d", **overrides)
    batch = 256 * gan.d_steps
    data = ring_of_gaussians(batch * 100, seed=1)
    gan.fit(data, batch_size=batch, epochs=steps // 100, verbose=0)
    covered, near = mode_coverage(gan.generate(2000, seed=0), ring_centers())
    assert covered >= 7, f"only {covered}/8 modes covered"
    assert near > 0.5, f"only {near:.0%} of samples near a mode"
