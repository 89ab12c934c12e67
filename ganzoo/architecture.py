"""What a plugin registers to describe an architecture."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ganzoo.config import GANConfig, resolve_config


@dataclass(frozen=True)
class Architecture:
    """A named GAN recipe: a config with the paper's defaults and a builder.

    ``build(config)`` returns a compiled :class:`ganzoo.GAN`, ready for ``fit``.
    """

    name: str
    summary: str
    paper: str
    config_class: type[GANConfig]
    build: Callable[[Any], Any]

    def make_config(self, **overrides: Any) -> GANConfig:
        """The paper's defaults with ``overrides`` applied and validated."""
        return resolve_config(self.config_class, overrides)
