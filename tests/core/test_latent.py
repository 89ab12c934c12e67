import numpy as np
import pytest

from ganzoo.errors import GanzooError
from ganzoo.gan import GAN
from ganzoo.latent import interpolate, latent_arithmetic, latent_for_seed, slerp
from ganzoo.testing.toy import mlp


def test_interpolation_end_points_and_norm():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=8), rng.normal(size=8)
    path = interpolate(a, b, 5, spherical=True)
    np.testing.assert_allclose(path[0], a, rtol=1e-5)
    np.testing.assert_allclose(path[-1], b, rtol=1e-5)
    linear = interpolate(a, b, 5)
    np.testing.assert_allclose(linear[2], (a + b) / 2, rtol=1e-5)
    # slerp between equal-norm vectors keeps the norm; lerp shrinks it
    u, v = a / np.linalg.norm(a), b / np.linalg.norm(b)
    assert np.linalg.norm(slerp(u, v, 0.5)) == pytest.approx(1.0, rel=1e-5)
    with pytest.raises(GanzooError):
        interpolate(a, b, 1)


def test_latent_arithmetic_averages_seed_groups():
    gan = GAN(mlp(4, 2), mlp(2, 1), latent_dim=4)
    z = latent_arithmetic(gan, positive=[[1, 2], [3]], negative=[[4]])
    expected = (latent_for_seed(gan, 1) + latent_for_seed(gan, 2)) / 2 \
        + latent_for_seed(gan, 3) - latent_for_seed(gan, 4)
    np.testing.assert_allclose(z[0], expected, rtol=1e-6)
    assert gan.generate_from_latents(z).shape == (1, 2)
    np.testing.assert_allclose(latent_for_seed(gan, 7), gan.latents(1, seed=7)[0])
