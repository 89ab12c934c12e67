"""The train step's phases: which run when, and what each adds to the weights."""

import keras
import numpy as np
import pytest
from keras import ops

from ganzoo.errors import GanzooError
from ganzoo.gan import GAN
from ganzoo.regularizers import DISCRIMINATOR, GENERATOR, Regularizer
from ganzoo.testing.toy import mlp, points

LR = 0.1


def numpy(v):
    return np.array(ops.convert_to_numpy(v))


class Idle(keras.layers.Layer):
    """Owns a weight the forward pass never reads: only a penalty moves it."""

    def build(self, input_shape):
        self.idle = self.add_weight(shape=(3,), initializer="ones", name="idle")

    def call(self, x):
        return x


class IdleNorm(Regularizer):
    """0.5 * ||idle||^2 on one network's idle weight: its gradient is idle itself."""

    name = "idle_norm"

    def __init__(self, weight=None, interval=1, target=DISCRIMINATOR):
        super().__init__(weight, interval)
        self.target = target

    def __call__(self, ctx):
        network = ctx.gan.discriminator if self.target == DISCRIMINATOR else ctx.gan.generator
        (idle,) = [v for v in network.weights if "idle" in v.path]
        return 0.5 * ops.sum(ops.square(idle))


def idle_gan():
    g = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2), Idle()], name="g")
    d = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1), Idle()], name="d")
    return GAN(g, d, latent_dim=2, seed=0)


def idle_value(model):
    (idle,) = [v for v in model.weights if "idle" in v.path]
    return numpy(idle)


def test_lazy_phase_adds_weight_times_interval_on_its_steps_only():
    gan = idle_gan()
    d_reg = IdleNorm(0.5, interval=3, target=DISCRIMINATOR)
    g_reg = IdleNorm(0.25, interval=2, target=GENERATOR)
    gan.compile(keras.optimizers.SGD(LR), keras.optimizers.SGD(LR),
                regularizers=[d_reg, g_reg])
    assert [p.name for p in gan.step_phases] == ["Dmain", "Dreg", "Gmain", "Greg"]
    assert [p.interval for p in gan.step_phases] == [1, 3, 1, 2]
    x = points(8)
    d_idle, g_idle = np.ones(3), np.ones(3)
    for step in range(7):
        d_dense = numpy(gan.discriminator.layers[0].kernel)
        gan.fit(x, batch_size=8, epochs=1, shuffle=False, verbose=0)
        # SGD on 0.5*||v||^2 * weight * k: v <- v - lr * weight * k * v on
        # steps 0, k, 2k..., nothing on the others.
        if step % 3 == 0:
            d_idle = d_idle * (1 - LR * 0.5 * 3)
        if step % 2 == 0:
            g_idle = g_idle * (1 - LR * 0.25 * 2)
        np.testing.assert_allclose(idle_value(gan.discriminator), d_idle, rtol=1e-6,
                                   err_msg=f"D after step {step}")
        np.testing.assert_allclose(idle_value(gan.generator), g_idle, rtol=1e-6,
                                   err_msg=f"G after step {step}")
        # The main phase ran on every step.
        assert not np.allclose(numpy(gan.discriminator.layers[0].kernel), d_dense)
    assert int(numpy(gan.step_counter)) == 7


def test_lazy_phases_run_only_the_passes_their_regularizers_read():
    # StyleGAN2's Dreg runs D on reals only and its Greg runs G on its own
    # smaller batch: a lazy phase makes fakes and logits only when read.
    gan = idle_gan()
    gan.compile(keras.optimizers.SGD(LR), keras.optimizers.SGD(LR), run_eagerly=True,
                regularizers=[IdleNorm(0.5, interval=2, target=DISCRIMINATOR),
                              IdleNorm(0.5, interval=2, target=GENERATOR)])
    calls = {"G": 0, "D": 0}

    def counting(name, forward):
        def wrapped(*args, **kwargs):
            calls[name] += 1
            return forward(*args, **kwargs)
        return wrapped

    gan.generator_forward = counting("G", gan.generator_forward)
    gan.discriminate = counting("D", gan.discriminate)
    gan.fit(points(8), batch_size=8, epochs=1, verbose=0)  # step 0: all four phases
    # Dmain: G once, D on reals and fakes; Gmain: G once, D on fakes. Nothing more.
    assert calls == {"G": 2, "D": 3}
    assert not np.allclose(idle_value(gan.generator), 1.0)  # Greg did run


def test_every_step_regularizer_joins_the_main_phase():
    gan = idle_gan()
    gan.compile(keras.optimizers.SGD(LR), keras.optimizers.SGD(LR),
                regularizers=[IdleNorm(0.5)])
    assert [p.name for p in gan.step_phases] == ["Dboth", "Gmain"]
    history = gan.fit(points(16), batch_size=8, epochs=1, verbose=0).history
    np.testing.assert_allclose(idle_value(gan.discriminator), (1 - LR * 0.5) ** 2 * np.ones(3),
                               rtol=1e-6)
    assert history["idle_norm"][0] > 0


def test_lazy_rescale_follows_karras_2020():
    gan = idle_gan()
    gan.compile(keras.optimizers.Adam(0.002, beta_1=0.0, beta_2=0.99),
                keras.optimizers.Adam(0.002, beta_1=0.5, beta_2=0.99),
                regularizers=[IdleNorm(1.0, interval=16)], lazy_rescale=True)
    ratio = 16 / 17
    assert float(numpy(gan.d_optimizer.learning_rate)) == pytest.approx(0.002 * ratio)
    assert gan.d_optimizer.beta_1 == pytest.approx(0.5**ratio)
    assert gan.d_optimizer.beta_2 == pytest.approx(0.99**ratio)
    # G has no lazy phase: untouched.
    assert float(numpy(gan.g_optimizer.learning_rate)) == pytest.approx(0.002)
    # The compile config keeps the unscaled settings, so a reload scales once.
    saved = gan.get_compile_config()["d_optimizer"]["config"]["learning_rate"]
    assert saved == pytest.approx(0.002)


def test_lazy_rescale_needs_one_interval_per_network():
    with pytest.raises(GanzooError, match="several intervals"):
        idle_gan().compile(regularizers=[IdleNorm(interval=2), IdleNorm(interval=4)],
                           lazy_rescale=True)


class Flip:
    """A stand-in augmentation: negates images and counts update() calls."""

    def __init__(self):
        self.seen = 0

    def __call__(self, images, training=True):
        return -images

    def update(self, real_logits):
        self.seen += 1  # a Python side effect: runs when the step is traced


def test_augment_sees_every_image_d_sees():
    gan = GAN(mlp(2, 2, name="g"), mlp(2, 1, name="d"), latent_dim=2, seed=0)
    flip = Flip()
    gan.compile(augment=flip, run_eagerly=True)
    x = points(4)
    expected = numpy(gan.discriminator_forward(-x))
    np.testing.assert_allclose(numpy(gan.discriminate(x, training=False)), expected, rtol=1e-6)
    gan.fit(x, batch_size=4, epochs=2, verbose=0)
    assert flip.seen == 2  # once after each D main phase (eager: once per step)


def test_weight_clipping_is_a_constraint_on_d():
    from ganzoo.constraints import WeightClip

    gan = GAN(mlp(2, 2), mlp(2, 1, name="d"), latent_dim=2, seed=0)
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(0.5),
                loss="wasserstein", d_constraint=WeightClip(0.01))
    assert gan.step_phases[0].constraint is gan.d_constraint and gan.regularizer_list == []
    gan.fit(points(64), batch_size=32, verbose=0)
    for v in gan.discriminator.trainable_variables:
        assert np.abs(numpy(v)).max() <= 0.01 + 1e-7
    # G is not clipped: its large Adam steps leave the range.
    assert max(np.abs(numpy(v)).max() for v in gan.generator.trainable_variables) > 0.01
    config = gan.get_compile_config()["d_constraint"]
    assert config["config"] == {"clip": 0.01}
    with pytest.raises(GanzooError, match="clip"):
        WeightClip(0.0)


class CountingPenalty(Regularizer):
    """A stateful regularizer: counts its calls and keeps a running mean of its value."""

    name = "test_counting_penalty"

    def build(self, gan):
        self.calls = self.add_variable("calls")
        self.mean = self.add_variable("mean")

    def __call__(self, ctx):
        value = ops.mean(ops.square(ctx.real_logits))
        self.calls.assign(self.calls + 1.0)
        self.mean.assign(self.mean + (value - self.mean) / self.calls)
        return value


class CountingPlugin:
    from ganzoo.hookspecs import hookimpl

    @hookimpl
    def register_regularizers(self, register):
        register(CountingPenalty)


@pytest.fixture
def counting_plugin():
    from ganzoo.plugins import get_plugin_manager

    manager = get_plugin_manager()
    manager.register(CountingPlugin(), "test-counting")
    yield
    manager.unregister("test-counting")


def test_regularizer_state_is_tracked_saved_and_resumed(counting_plugin, tmp_path):
    from ganzoo.api import load

    gan = GAN(mlp(2, 2, name="g"), mlp(2, 1, name="d"), latent_dim=2, seed=0)
    gan.compile(regularizers=[{"name": CountingPenalty.name, "interval": 2}])
    (reg,) = gan.regularizer_list
    assert any(v is reg.calls for v in gan.non_trainable_variables)
    gan.fit(points(32), batch_size=8, epochs=1, verbose=0)  # steps 0..3
    assert float(numpy(reg.calls)) == 2.0  # steps 0 and 2, on every backend
    assert float(numpy(reg.mean)) > 0.0
    assert gan.get_compile_config()["regularizers"] == [
        {"name": CountingPenalty.name, "weight": 1.0, "interval": 2}]
    gan.save(tmp_path / "gan.keras")

    loaded = load(tmp_path / "gan.keras")
    (again,) = loaded.regularizer_list
    assert isinstance(again, CountingPenalty) and again.interval == 2
    assert float(numpy(again.calls)) == 2.0
    assert float(numpy(again.mean)) == pytest.approx(float(numpy(reg.mean)))
    loaded.fit(points(16), batch_size=8, epochs=1, verbose=0)  # steps 4, 5
    assert float(numpy(again.calls)) == 3.0


def test_add_variable_outside_build_is_an_error():
    with pytest.raises(GanzooError, match="inside build"):
        CountingPenalty().add_variable("calls")


def test_constraint_from_compile_defaults_config():
    gan = GAN(mlp(2, 2), mlp(2, 1, name="d"), latent_dim=2, seed=0, compile_defaults={
        "d_constraint": {"class_name": "ganzoo>WeightClip", "config": {"clip": 0.02}}})
    gan.compile()
    assert gan.d_constraint.clip == 0.02
    with pytest.raises(GanzooError, match="d_constraint"):
        gan.compile(d_constraint="no-such-constraint")


def order_recording_loss(order):
    """The non-saturating loss, noting which network's loss is traced, in order."""
    from ganzoo.losses import AdversarialLoss, non_saturating_d, non_saturating_g

    def d_loss(real, fake, label_smoothing=0.0):
        order.append("D")
        return non_saturating_d(real, fake, label_smoothing)

    def g_loss(fake, real=None):
        order.append("G")
        return non_saturating_g(fake, real)

    return AdversarialLoss("recording", d_loss, g_loss)


@pytest.mark.parametrize("generator_first", [False, True])
def test_generator_first_runs_g_phases_before_d_phases(generator_first):
    order = []
    gan = GAN(mlp(2, 2), mlp(2, 1), latent_dim=2, seed=0)
    gan.compile(loss=order_recording_loss(order), d_steps=2,
                generator_first=generator_first, jit_compile=False, run_eagerly=True)
    gan.fit(points(8), batch_size=8, epochs=1, verbose=0)
    assert order == (["G", "D", "D"] if generator_first else ["D", "D", "G"])
    assert gan.get_compile_config()["generator_first"] is generator_first


class NonFinitePenalty(Regularizer):
    """sum(idle * [nan, inf, 1]) on D: its gradient is [nan, inf, 1]."""

    name = "non_finite"

    def __call__(self, ctx):
        (idle,) = [v for v in ctx.gan.discriminator.weights if "idle" in v.path]
        return ops.sum(idle * ops.convert_to_tensor([np.nan, np.inf, 1.0]))


@pytest.mark.parametrize("sanitize", [False, True])
def test_sanitize_gradients_replaces_nan_and_inf_before_the_update(sanitize):
    gan = idle_gan()
    gan.compile(keras.optimizers.SGD(LR), keras.optimizers.SGD(LR),
                regularizers=[NonFinitePenalty(1.0)], sanitize_gradients=sanitize)
    gan.fit(points(8), batch_size=8, epochs=1, verbose=0)
    idle = idle_value(gan.discriminator)
    if sanitize:  # stylegan2-ada-pytorch's nan_to_num(nan=0, posinf=1e5, neginf=-1e5)
        np.testing.assert_allclose(idle, [1.0, 1.0 - LR * 1e5, 1.0 - LR], rtol=1e-6)
    else:
        assert np.isnan(idle[0]) and np.isneginf(idle[1])
