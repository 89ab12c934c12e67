"""ganzoo: a plugin-based GAN model zoo for Keras 3."""

from __future__ import annotations

__version__ = "0.1.0"

from ganzoo.architecture import Architecture
from ganzoo.config import ConfigError, GANConfig
from ganzoo.hookspecs import hookimpl
from ganzoo.registry import GanzooError, UnknownNameError

__all__ = [
    "Architecture",
    "ConfigError",
    "GANConfig",
    "GanzooError",
    "UnknownNameError",
    "__version__",
    "hookimpl",
]
