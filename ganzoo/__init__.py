"""ganzoo: a plugin-based GAN model zoo for Keras 3."""

from __future__ import annotations

__version__ = "0.1.0"

from ganzoo.api import (
    build,
    get_architecture,
    get_preset,
    list_architectures,
    list_losses,
    list_presets,
    list_regularizers,
    load,
)
from ganzoo.architecture import Architecture, Preset, TrainingPhase
from ganzoo.config import GANConfig
from ganzoo.errors import ConfigError, GanzooError, UnknownNameError
from ganzoo.gan import GAN
from ganzoo.hookspecs import hookimpl

__all__ = [
    "GAN",
    "Architecture",
    "Preset",
    "TrainingPhase",
    "ConfigError",
    "GANConfig",
    "GanzooError",
    "UnknownNameError",
    "__version__",
    "build",
    "get_architecture",
    "get_preset",
    "hookimpl",
    "list_architectures",
    "list_losses",
    "list_presets",
    "list_regularizers",
    "load",
]
