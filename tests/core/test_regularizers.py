import keras
import numpy as np
import pytest
from keras import ops

from ganzoo.errors import GanzooError
from ganzoo.gan import GAN
from ganzoo.regularizers import (
    DriftPenalty,
    GradientPenalty,
    OrthogonalRegularization,
    R1Penalty,
    StepContext,
    orthogonal_penalty,
)
from ganzoo.testing.toy import mlp


def linear_gan(w):
    """A GAN whose D is the linear map x -> w.x, so its input gradient is w."""
    inputs = keras.Input((2,))
    d = keras.Model(inputs, keras.layers.Dense(1, use_bias=False)(inputs))
    d.layers[-1].kernel.assign(np.asarray(w, "float32").reshape(2, 1))
    return GAN(mlp(2, 2), d, latent_dim=2, seed=0)


def context(gan, real, fake):
    real, fake = np.asarray(real, "float32"), np.asarray(fake, "float32")
    return StepContext(gan, real, fake, None,
                       gan.discriminator_forward(real), gan.discriminator_forward(fake))


def value(x):
    return float(ops.convert_to_numpy(x))


def test_gradient_penalty_on_linear_critic():
    gan = linear_gan([3.0, 4.0])  # ||w|| = 5 everywhere
    ctx = context(gan, np.ones((4, 2)), np.zeros((4, 2)))
    assert value(GradientPenalty()(ctx)) == pytest.approx(16.0, rel=1e-5)


def test_r1_r2_and_drift():
    gan = linear_gan([1.0, 2.0])
    real = np.array([[1.0, 1.0], [2.0, 0.0]])
    ctx = context(gan, real, np.zeros((2, 2)))
    assert value(R1Penalty()(ctx)) == pytest.approx(0.5 * 5.0, rel=1e-5)
    assert value(DriftPenalty()(ctx)) == pytest.approx(np.mean([3.0**2, 2.0**2]), rel=1e-5)


def test_orthogonal_zero_for_orthogonal_positive_otherwise():
    q, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(6, 4)))
    assert value(orthogonal_penalty([q.astype("float32")])) == pytest.approx(0.0, abs=1e-8)
    w = np.random.default_rng(1).normal(size=(3, 3, 2, 4)).astype("float32")
    gram = w.reshape(-1, 4).T @ w.reshape(-1, 4)
    expected = ((gram * (1 - np.eye(4))) ** 2).sum()
    assert value(orthogonal_penalty([w])) == pytest.approx(expected, rel=1e-4)


def test_orthogonal_skips_embeddings_and_vectors():
    g_in = keras.Input((), dtype="int32")
    g = keras.Model(g_in, keras.layers.Dense(2)(keras.layers.Embedding(3, 4)(g_in)))
    gan = GAN(g, mlp(2, 1), latent_dim=2)
    paths = [v.path for v in OrthogonalRegularization().kernels(gan)]
    assert paths and all("embedding" not in p and "bias" not in p for p in paths)


@pytest.mark.parametrize("kwargs", [{"weight": -1}, {"interval": 0}, {"interval": 1.5}])
def test_bad_regularizer_values(kwargs):
    with pytest.raises(GanzooError):
        R1Penalty(**kwargs)
