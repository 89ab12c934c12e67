"""The Python entry points: list what the plugins provide and build architectures."""

from __future__ import annotations

from typing import Any

from ganzoo.plugins import registries


def list_architectures() -> list[str]:
    """Names of every registered architecture."""
    return registries().architectures.names()


def list_losses() -> list[str]:
    return registries().losses.names()


def list_regularizers() -> list[str]:
    return registries().regularizers.names()


def get_architecture(name: str):
    """The registered :class:`ganzoo.Architecture` (error lists known names)."""
    return registries().architectures.get(name)


def build(name: str, **config_overrides: Any):
    """Build architecture ``name`` with its paper's defaults and ``config_overrides``.

    Returns a compiled :class:`ganzoo.GAN`: call ``fit`` on it directly.
    Unknown config keys raise an error naming the valid ones.
    """
    arch = get_architecture(name)
    config = arch.make_config(**config_overrides)
    gan = arch.build(config)
    if not getattr(gan, "compiled", False):
        gan.compile()
    return gan


def load(path, **kwargs):
    """Load a saved GAN (``gan.save(path)``) in any process.

    Plugin classes (ProGAN's networks, spectral-norm layers...) register with
    Keras when their plugin is imported; this imports every plugin first, so
    ``ganzoo.load`` works where a bare ``keras.saving.load_model`` may not.
    """
    import keras

    import ganzoo.layers  # noqa: F401  (registers the shared layers)

    registries()
    return keras.saving.load_model(str(path), **kwargs)
