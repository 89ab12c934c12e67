"""LOGAN (ganzoo.tricks.latent_optimization): the natural-gradient latent step in
closed form, G's loss at the moved latents, its second-order gradient, saving."""

import keras
import numpy as np
import pytest
from keras import ops
from tricks_helpers import SIZE, fit_once, linear_discriminator, numpy, tiny_gan

from ganzoo import backends
from ganzoo.errors import GanzooError
from ganzoo.gan import GAN
from ganzoo.tricks.latent_optimization import LatentOptimization

RNG = np.random.default_rng(3)
W = RNG.normal(0, 0.3, (4, SIZE * SIZE)).astype("float32")  # G(z) = z W
K = RNG.normal(0, 0.3, (SIZE * SIZE,)).astype("float32")  # D(x) = <K, x>
V = W @ K  # the gradient of D(G(z)) = <z, V> w.r.t. z, the same for every z
Z = RNG.normal(0, 1, (5, 4)).astype("float32")


def linear_generator():
    g = keras.Sequential([keras.Input((4,)), keras.layers.Dense(SIZE * SIZE, use_bias=False),
                          keras.layers.Reshape((SIZE, SIZE, 1))])
    g.layers[0].kernel.assign(W)
    return g


def linear_gan(**compile_args):
    return tiny_gan(d=linear_discriminator(K), g=linear_generator(), **compile_args)


def ngd_step(alpha, beta):
    return alpha * V / (beta + V @ V)


@pytest.mark.parametrize("steps", [1, 2])
def test_latent_step_is_the_damped_natural_gradient_step(steps):
    gan = linear_gan()
    lo = LatentOptimization(alpha=0.5, beta=0.2, rate=1.0, steps=steps)
    moved, cost = lo.optimize(gan, ops.convert_to_tensor(Z), None)
    dz = ngd_step(0.5, 0.2)
    np.testing.assert_allclose(numpy(moved), Z + steps * dz, rtol=1e-5, atol=1e-6)
    assert float(numpy(cost)) == pytest.approx(steps * dz @ dz, rel=1e-5)


def test_rate_picks_which_latents_move_and_clip_bounds_them():
    gan = linear_gan()
    z = ops.convert_to_tensor(Z)
    still, cost = LatentOptimization(rate=0.0).optimize(gan, z, None)
    np.testing.assert_array_equal(numpy(still), Z)  # no latent moves ...
    dz = ngd_step(0.9, 0.1)
    assert float(numpy(cost)) == pytest.approx(dz @ dz, rel=1e-5)  # ... the cost is StudioGAN's
    moved = numpy(LatentOptimization(rate=0.5).optimize(gan, ops.tile(z, (40, 1)), None)[0])
    moved_rows = np.abs(moved - np.tile(Z, (40, 1))).max(axis=1) > 1e-6
    assert 0.25 < moved_rows.mean() < 0.75  # each latent moves with probability 1/2
    clipped = numpy(LatentOptimization(rate=1.0, alpha=50.0, beta=0.0, clip=1.0)
                    .optimize(gan, z, None)[0])
    np.testing.assert_allclose(clipped, np.clip(Z + ngd_step(50.0, 0.0), -1, 1), rtol=1e-5)


def test_a_small_step_raises_d_on_every_fake_by_the_first_order_amount():
    keras.utils.set_random_seed(1)
    g = keras.Sequential([keras.Input((4,)), keras.layers.Dense(16, activation="tanh"),
                          keras.layers.Dense(SIZE * SIZE, activation="tanh"),
                          keras.layers.Reshape((SIZE, SIZE, 1))])
    d = keras.Sequential([keras.Input((SIZE, SIZE, 1)), keras.layers.Flatten(),
                          keras.layers.Dense(8, activation="softplus"), keras.layers.Dense(1)])
    gan = tiny_gan(d=d, g=g)
    lo = LatentOptimization(alpha=0.01, beta=0.1, rate=1.0)
    z = ops.convert_to_tensor(RNG.normal(0, 1, (16, 4)).astype("float32"))
    score = lo.score(gan, None)
    before = numpy(score(z))
    after = numpy(score(lo.optimize(gan, z, None)[0]))
    g_z = numpy(gan.input_gradient(score, z))
    norms = (g_z**2).sum(axis=1)
    first_order = 0.01 * norms / (0.1 + norms)  # <g, dz>
    assert np.all(after > before)
    np.testing.assert_allclose(after - before, first_order, rtol=0.05)


class ZeroLatentGAN(GAN):
    """Latents all 0: G(0) = 0 and D(0) = 0 for the linear pair, so G's loss shows
    only where the latent step moved them."""

    def sample_latent(self, n):
        return ops.zeros((n, self.latent_dim))


@pytest.mark.parametrize("on", [True, False])
def test_g_loss_is_computed_at_the_moved_latents(on):
    gan = ZeroLatentGAN(linear_generator(), linear_discriminator(K), latent_dim=4, seed=0)
    gan.compile(loss="wasserstein", g_optimizer=keras.optimizers.SGD(0.0),
                d_optimizer=keras.optimizers.SGD(0.0),
                latent_optimization={"alpha": 0.5, "beta": 0.2, "rate": 1.0} if on else None)
    logs = fit_once(gan)
    s = V @ V
    if on:  # G's loss -mean(D(G(0 + dz))) = -<dz, V>
        assert logs["g_loss"] == pytest.approx(-0.5 * s / (0.2 + s), rel=1e-5)
        assert logs["g_logan"] == pytest.approx(0.25 * s / (0.2 + s) ** 2, rel=1e-5)
        assert logs["d_fake"] == pytest.approx(0.5 * s / (0.2 + s), rel=1e-5)
    else:
        assert logs["g_loss"] == pytest.approx(0.0, abs=1e-6)
        assert "g_logan" not in logs and "d_logan" not in logs


@pytest.mark.parametrize("backprop_step", [True, False])
def test_the_gradient_reaches_the_weights_through_the_step(backprop_step):
    """d/dK of sum_i D(G(z_i + dz)): with the step differentiated, the second-order
    term of the paper; without, dz is a constant."""
    gan = linear_gan()
    lo = LatentOptimization(alpha=0.5, beta=0.2, rate=1.0, backprop_step=backprop_step)
    kernel = gan.discriminator.layers[-1].kernel
    z = ops.convert_to_tensor(Z)

    def loss():
        return ops.sum(lo.score(gan, None)(lo.optimize(gan, z, None)[0])), None

    _, (grad,) = backends.get().value_and_grad(loss, [kernel])
    n, s = len(Z), V @ V
    coefficient = 2 * n * 0.5 * 0.2 / (0.2 + s) ** 2 if backprop_step else n * 0.5 / (0.2 + s)
    expected = Z.sum(axis=0) @ W + coefficient * (W.T @ V)
    np.testing.assert_allclose(numpy(grad).reshape(-1), expected, rtol=1e-4, atol=1e-6)


def test_logan_trains_saves_and_resumes(tmp_path):
    gan = tiny_gan(latent_optimization="rate=0.5,discriminator=false")
    logs = fit_once(gan)
    assert np.isfinite(logs["g_loss"]) and logs["g_logan"] > 0 and "d_logan" not in logs
    gan.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.get_compile_config()["latent_optimization"] == {
        "alpha": 0.9, "beta": 0.1, "rate": 0.5, "steps": 1, "weight": 0.1,
        "discriminator": False, "backprop_step": True, "clip": None}
    assert loaded.latent_optimization.rate == 0.5
    loaded.compile(latent_optimization=False)
    assert loaded.latent_optimization is None


@pytest.mark.parametrize("value, message", [
    ({"gamma": 0.9}, "latent_optimization takes alpha, beta, rate, steps, weight, "
                     "discriminator, backprop_step, clip; got gamma"),
    ("rate=2", "latent_optimization rate=2: use a value in"),
    ("steps=0", "latent_optimization steps=0: use a whole number"),
    ("clip=none", "latent_optimization clip='none': use a number > 0 or None"),
    (3, "latent_optimization=3: pass True"),
])
def test_bad_logan_settings_are_one_error_line(value, message):
    with pytest.raises(GanzooError, match=message.replace("(", r"\(")):
        tiny_gan(latent_optimization=value)
