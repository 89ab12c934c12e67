"""Conformance checks any architecture plugin (ours or third-party) runs.

Modelled on keras-hub's ``run_layer_test``: each function raises
``AssertionError`` with a message saying what broke, so it works from pytest
or any other runner::

    from ganzoo.testing import run_architecture_test

    def test_mygan():
        run_architecture_test("mygan", {"image_size": 16})
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from typing import Any

import keras
import numpy as np

from ganzoo.config import config_to_dict, resolve_config


def _fail(msg: str):
    raise AssertionError(msg)


def sample_shape(gan) -> tuple[int, ...]:
    """Shape of one generated sample (without the batch axis)."""
    return tuple(gan.generate(1, seed=0, use_ema=False).shape[1:])


def random_batch(gan, n: int, seed: int = 0):
    """Random data the GAN can fit on: ``x`` in [-1, 1] and labels if conditional."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, *sample_shape(gan))).astype("float32")
    y = rng.integers(0, gan.num_classes, n).astype("int32") if gan.num_classes else None
    return x, y


def _values(variables) -> list[np.ndarray]:
    return [np.array(keras.ops.convert_to_numpy(v)) for v in variables]


def _changed(before, after) -> bool:
    return any(not np.array_equal(a, b) for a, b in zip(before, after, strict=True))


def run_generator_test(generator: keras.Model, latent_dim: int, num_classes: int = 0,
                       expected_shape: tuple[int, ...] | None = None, n: int = 3) -> None:
    """G maps (z[, labels]) to finite samples of the expected shape; images lie in [-1, 1].

    Samples that are not images (a toy GAN's 2-D points) may be unbounded.
    """
    z = np.random.default_rng(0).standard_normal((n, latent_dim)).astype("float32")
    inputs = [z, np.arange(n, dtype="int32") % num_classes] if num_classes else z
    out = np.asarray(keras.ops.convert_to_numpy(generator(inputs, training=False)))
    if expected_shape is not None and out.shape[1:] != tuple(expected_shape):
        _fail(f"generator output shape {out.shape[1:]} != expected {tuple(expected_shape)}")
    if not np.isfinite(out).all():
        _fail("generator output is not finite")
    if out.ndim == 4 and (out.min() < -1.0001 or out.max() > 1.0001):
        _fail(f"generator output leaves [-1, 1]: {out.min():.3f}..{out.max():.3f}")


def run_discriminator_test(discriminator: keras.Model, sample_shape: tuple[int, ...],
                           num_classes: int = 0, n: int = 3) -> None:
    """D maps (x[, labels]) to one finite logit per sample (a conditioning head's
    ``"logits"``, when D returns its dict of outputs)."""
    x = np.random.default_rng(0).uniform(-1, 1, (n, *sample_shape)).astype("float32")
    inputs = [x, np.arange(n, dtype="int32") % num_classes] if num_classes else x
    out = discriminator(inputs, training=False)
    if isinstance(out, dict):
        out = out["logits"]
    out = np.asarray(keras.ops.convert_to_numpy(out))
    if out.size != n:
        _fail(f"discriminator gives {out.shape} for {n} samples; expected one logit each")
    if not np.isfinite(out).all():
        _fail("discriminator output is not finite")


def run_gan_test(gan, *, steps: int = 2, batch_size: int = 4, check_saving: bool = True,
                 tmp_dir: str | None = None) -> None:
    """Train a few steps, check losses, weight updates, save/load and ``generate``."""
    shape = sample_shape(gan)
    run_generator_test(gan.generator, gan.latent_dim, gan.num_classes, shape)
    run_discriminator_test(gan.discriminator, shape, gan.num_classes)

    per_step = batch_size * gan.d_steps
    x, y = random_batch(gan, per_step * steps)
    g_before = _values(gan.generator.trainable_variables)
    d_before = _values(gan.discriminator.trainable_variables)
    history = gan.fit(x, y, batch_size=per_step, epochs=1, shuffle=False, verbose=0)
    for name in ("d_loss", "g_loss"):
        values = history.history.get(name)
        if not values or not np.isfinite(values).all():
            _fail(f"{name} is missing or not finite after training: {values}")
    if not _changed(g_before, _values(gan.generator.trainable_variables)):
        _fail("training did not change the generator's weights")
    if not _changed(d_before, _values(gan.discriminator.trainable_variables)):
        _fail("training did not change the discriminator's weights")

    for n in (1, 5):
        out = gan.generate(n, seed=1)
        if out.shape != (n, *shape):
            _fail(f"generate({n}) gave shape {out.shape}, expected {(n, *shape)}")
    if gan.num_classes:
        a = gan.generate(2, seed=3, labels=0)
        b = gan.generate(2, seed=3, labels=gan.num_classes - 1)
        if np.allclose(a, b):
            _fail("conditional generate ignores labels")

    if check_saving:
        _check_saving(gan, x[:per_step], None if y is None else y[:per_step], tmp_dir)


def _training_setup(gan) -> dict[str, Any]:
    return {
        "loss": gan.loss_fn.name,
        "regularizers": [(type(r), r.get_config()) for r in gan.regularizer_list],
        "d_steps": gan.d_steps,
        "ema_decay": gan.ema_decay,
    }


def _check_saving(gan, x, y, tmp_dir) -> None:
    with tempfile.TemporaryDirectory(dir=tmp_dir) as tmp:
        path = os.path.join(tmp, "gan.keras")
        gan.save(path)
        from ganzoo.api import load

        loaded = load(path)
    if not np.allclose(gan.generate(3, seed=7), loaded.generate(3, seed=7), atol=1e-5):
        _fail("a saved and reloaded GAN generates different images")
    # Regularizers (a plugin's own included) come back as the same classes and configs.
    before, after = _training_setup(gan), _training_setup(loaded)
    if before != after:
        _fail(f"the training setup differs after save/load: {before} vs {after}")
    pairs = [("generator", gan.generator, loaded.generator),
             ("discriminator", gan.discriminator, loaded.discriminator)]
    if gan.ema_generator is not None:
        pairs.append(("ema_generator", gan.ema_generator, loaded.ema_generator))
    for opt in ("g_optimizer", "d_optimizer"):
        pairs.append((opt, getattr(gan, opt), getattr(loaded, opt)))
    for name, a, b in pairs:
        va, vb = _values(a.variables), _values(b.variables)
        if len(va) != len(vb) or _changed(va, vb):
            _fail(f"{name} state differs after save/load")
    # A reloaded model must continue training with the same numbers.
    gan.fit(x, y, batch_size=len(x), epochs=1, shuffle=False, verbose=0)
    loaded.fit(x, y, batch_size=len(x), epochs=1, shuffle=False, verbose=0)
    a, b = _values(gan.generator.variables), _values(loaded.generator.variables)
    if not all(np.allclose(p, q, rtol=1e-4, atol=1e-5) for p, q in zip(a, b, strict=True)):
        _fail("a reloaded GAN does not continue training like the original")


def run_architecture_test(name: str, config_overrides: dict[str, Any] | None = None,
                          **kwargs) -> Any:
    """Config round trip, ``ganzoo.build``, then :func:`run_gan_test`. Returns the GAN."""
    import ganzoo

    arch = ganzoo.get_architecture(name)
    config = arch.make_config(**(config_overrides or {}))
    if not dataclasses.is_dataclass(config):
        _fail(f"{name}'s config is not a dataclass")
    again = resolve_config(arch.config_class, config_to_dict(config))
    if again != config:
        _fail(f"{name}'s config does not round-trip through a dict: {config} vs {again}")
    gan = ganzoo.build(name, **(config_overrides or {}))
    if not isinstance(gan, ganzoo.GAN):
        _fail(f"{name}'s build() returned {type(gan).__name__}, not a ganzoo.GAN")
    run_gan_test(gan, **kwargs)
    return gan
