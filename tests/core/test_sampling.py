"""generate's truncation_psi reaches style-based architectures and only them."""

import numpy as np
import pytest

from ganzoo.errors import GanzooError
from ganzoo.gan import GAN
from ganzoo.testing.toy import mlp


class ShrinkingGAN(GAN):
    """A stand-in for a style-based GAN: truncation_psi scales the latent."""

    has_w_space = True  # declares that generator_forward takes truncation_psi

    def generator_forward(self, z, labels=None, training=False, generator=None,
                          truncation_psi=None):
        self.psi_seen = truncation_psi
        if truncation_psi is not None:
            z = z * truncation_psi
        return super().generator_forward(z, labels, training, generator)


def test_truncation_psi_is_passed_to_generator_forward():
    gan = ShrinkingGAN(mlp(2, 2, name="g"), mlp(2, 1, name="d"), latent_dim=2, seed=0)
    images = gan.generate(5, seed=3, truncation_psi=0.5)
    assert gan.psi_seen == 0.5
    expected = gan.generate_from_latents(0.5 * gan.latents(5, seed=3))
    np.testing.assert_allclose(images, expected, rtol=1e-6)
    assert not np.allclose(images, gan.generate(5, seed=3))
    assert gan.psi_seen is None  # not passed when not asked for


def test_truncation_psi_without_w_space_is_a_clear_error():
    gan = GAN(mlp(2, 2, name="g"), mlp(2, 1, name="d"), latent_dim=2, seed=0)
    with pytest.raises(GanzooError, match="truncation_psi needs a style-based.*truncation="):
        gan.generate(2, truncation_psi=0.7)
    with pytest.raises(GanzooError, match="truncation_psi"):
        gan.generate_from_latents(np.zeros((2, 2), "float32"), truncation_psi=0.7)
