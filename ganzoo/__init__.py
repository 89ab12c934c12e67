"""ganzoo: a plugin-based GAN model zoo for Keras 3.

Importing ``ganzoo`` loads no backend: names are resolved on first use
(PEP 562), so ``ganzoo.hookimpl``, ``ganzoo.Architecture``, the configs and
the registries work without Keras, and only ``ganzoo.GAN``, ``build`` and
``load`` import it. The CLI relies on this to answer ``--help``, ``list`` and
``info`` without starting TensorFlow or JAX.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ganzoo import keras_hook as _keras_hook

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "GAN": "ganzoo.gan",
    "Architecture": "ganzoo.architecture",
    "Preset": "ganzoo.architecture",
    "Stage": "ganzoo.architecture",
    "GANConfig": "ganzoo.config",
    "ConfigError": "ganzoo.errors",
    "GanzooError": "ganzoo.errors",
    "UnknownNameError": "ganzoo.errors",
    "build": "ganzoo.api",
    "get_architecture": "ganzoo.api",
    "get_preset": "ganzoo.api",
    "list_architectures": "ganzoo.api",
    "list_losses": "ganzoo.api",
    "list_presets": "ganzoo.api",
    "list_regularizers": "ganzoo.api",
    "load": "ganzoo.api",
    "hookimpl": "ganzoo.hookspecs",
}

__all__ = [
    "__version__",
    "Architecture",
    "ConfigError",
    "GAN",
    "GANConfig",
    "GanzooError",
    "Preset",
    "Stage",
    "UnknownNameError",
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


# subpackages reachable as attributes after ``import ganzoo`` (imported on first use)
_SUBMODULES = ("augment",)


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"ganzoo.{name}")
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ganzoo' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS) | set(_SUBMODULES))


# ``keras.saving.load_model`` finds ganzoo's classes once Keras is imported.
_keras_hook.install()


if TYPE_CHECKING:  # for type checkers and IDEs; never runs
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
    from ganzoo.architecture import Architecture, Preset, Stage
    from ganzoo.config import GANConfig
    from ganzoo.errors import ConfigError, GanzooError, UnknownNameError
    from ganzoo.gan import GAN
    from ganzoo.hookspecs import hookimpl
