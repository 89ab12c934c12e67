"""ganzoo: a plugin-based GAN model zoo for Keras 3."""

from __future__ import annotations

__version__ = "0.1.0"

from ganzoo.api import (
    build,
    get_architecture,
    list_architectures,
    list_losses,
    list_regularizers,
    load,
)
from ganzoo.architecture import Architecture, TrainingPhase
from ganzoo.config import GANConfig
from ganzoo.errors import ConfigError, GanzooError, UnknownNameError
from ganzoo.gan import GAN
from ganzoo.hookspecs import hookimpl

__all__ = [
    "GAN",
    "Architecture",
    "TrainingPhase",
    "ConfigError",
    "GANConfig",
    "GanzooError",
    "UnknownNameError",
    "__version__",
    "build",
    "get_architecture",
    "hookimpl",
    "list_architectures",
    "list_losses",
    "list_regularizers",
    "load",
]
