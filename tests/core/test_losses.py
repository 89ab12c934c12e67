import numpy as np
import pytest
from keras import ops

from ganzoo.errors import GanzooError
from ganzoo.losses import BUILTIN_LOSSES

LOSSES = {loss.name: loss for loss in BUILTIN_LOSSES}
real = np.array([1.5, -0.5, 0.3], "float32")
fake = np.array([-1.0, 0.2, 2.0], "float32")


def softplus(x):
    return np.log1p(np.exp(x))


EXPECTED = {
    "non_saturating": (softplus(-real).mean() + softplus(fake).mean(), softplus(-fake).mean()),
    "minimax": (softplus(-real).mean() + softplus(fake).mean(), -softplus(fake).mean()),
    "least_squares": (0.5 * ((real - 1) ** 2).mean() + 0.5 * (fake**2).mean(),
                      0.5 * ((fake - 1) ** 2).mean()),
    "wasserstein": (fake.mean() - real.mean(), -fake.mean()),
    "hinge": (np.maximum(0, 1 - real).mean() + np.maximum(0, 1 + fake).mean(), -fake.mean()),
    "relativistic_average": (
        softplus(-(real - fake.mean())).mean() + softplus(fake - real.mean()).mean(),
        softplus(-(fake - real.mean())).mean() + softplus(real - fake.mean()).mean(),
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_loss_matches_formula(name):
    loss = LOSSES[name]
    d = float(ops.convert_to_numpy(loss.discriminator(real, fake)))
    g = float(ops.convert_to_numpy(loss.generator(fake, real)))
    np.testing.assert_allclose([d, g], EXPECTED[name], rtol=1e-5)


def test_one_sided_label_smoothing_moves_only_real_target():
    loss = LOSSES["non_saturating"]
    smoothed = float(ops.convert_to_numpy(loss.discriminator(real, fake, 0.1)))
    expected = (0.9 * softplus(-real) + 0.1 * softplus(real)).mean() + softplus(fake).mean()
    np.testing.assert_allclose(smoothed, expected, rtol=1e-5)


def test_label_smoothing_rejected_where_meaningless():
    with pytest.raises(GanzooError, match="hinge"):
        LOSSES["hinge"].check_label_smoothing(0.1)
    with pytest.raises(GanzooError, match="range"):
        LOSSES["non_saturating"].check_label_smoothing(1.5)
