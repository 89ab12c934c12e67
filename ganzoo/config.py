"""Typed architecture configs: dataclasses with the paper's defaults.

``resolve_config(Cls, overrides)`` applies overrides (from Python, a YAML
file or ``--set key=value`` strings), rejects unknown keys naming the valid
ones, coerces strings to each field's type, and runs the config's checks.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, ClassVar, TypeVar

from ganzoo.errors import ConfigError
from ganzoo.registry import unknown_name_message

C = TypeVar("C")


@dataclasses.dataclass
class ArchitectureConfig:
    """Fields every architecture has; its config subclasses this (images: :class:`GANConfig`).

    ``__post_init__`` runs ``validate()``, so a config that exists is valid;
    a subclass adds fields with its paper's defaults and overrides
    ``validate`` (calling ``super().validate()``) to check them.
    """

    latent_dim: int = 100  # size of z
    num_classes: int = 0  # 0 = unconditional; > 0: networks take labels
    seed: int = 0  # seed of the train step's random stream (latents, GP mixing)

    # Keys a config was once written with -> their names now; saved run
    # configs and ``--set`` still accept the old spelling.
    renamed_keys: ClassVar[dict[str, str]] = {}

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise ConfigError for values the architecture cannot use."""
        check(self.latent_dim > 0, "latent_dim", self.latent_dim, "use a positive size")
        check(self.num_classes >= 0, "num_classes", self.num_classes, "use 0 or more")


@dataclasses.dataclass
class GANConfig(ArchitectureConfig):
    """The config of an image architecture (what ``ganzoo train`` trains)."""

    image_size: int = 32  # square output size in pixels
    channels: int = 3  # 1 (grayscale) or 3 (RGB)
    batch_size: int = 64  # images per discriminator step

    def validate(self) -> None:
        super().validate()
        check(self.channels in (1, 3), "channels", self.channels, "use 1 or 3")
        check(self.batch_size > 0, "batch_size", self.batch_size, "use a positive size")
        check(
            self.image_size >= 4 and is_power_of_two(self.image_size),
            "image_size",
            self.image_size,
            "use a power of two such as 32 or 64",
        )


def is_power_of_two(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


def check(ok: bool, key: str, value: Any, fix: str) -> None:
    if not ok:
        raise ConfigError(f"invalid config value {key}={value!r}: {fix}")


def field_names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def _coerce(value: Any, annotation: Any, key: str) -> Any:
    """Convert a (possibly string) value to the field's declared type."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        if value is None or (isinstance(value, str) and value.lower() in ("none", "null")):
            if type(None) in args:
                return None
        non_none = [a for a in args if a is not type(None)]
        return _coerce(value, non_none[0], key) if len(non_none) == 1 else value
    if origin in (tuple, list):
        if isinstance(value, str):
            value = [v for v in value.strip("()[] ").split(",") if v.strip()]
        inner = args[0] if args else str
        items = [_coerce(v, inner, key) for v in value]
        return tuple(items) if origin is tuple else items
    try:
        if annotation is bool:
            if isinstance(value, str):
                lowered = value.strip().lower()
                if lowered in ("1", "true", "yes", "on"):
                    return True
                if lowered in ("0", "false", "no", "off"):
                    return False
                raise ValueError(value)
            return bool(value)
        if annotation is int:
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(value)
            return int(value)
        if annotation is float:
            return float(value)
        if annotation is str:
            return str(value)
    except (TypeError, ValueError):
        name = getattr(annotation, "__name__", str(annotation))
        raise ConfigError(
            f"invalid config value {key}={value!r}: expected {name}"
        ) from None
    return value


def resolve_config(cls: type[C], overrides: dict[str, Any] | None = None) -> C:
    """Build ``cls`` from its defaults and ``overrides``, checking every key."""
    renamed = getattr(cls, "renamed_keys", {})
    overrides = {renamed.get(k, k): v for k, v in (overrides or {}).items()}
    names = field_names(cls)
    for key in overrides:
        if key not in names:
            raise ConfigError(
                unknown_name_message(f"config key for {cls.__name__}", key, names)
            )
    hints = typing.get_type_hints(cls)
    values = {k: _coerce(v, hints[k], k) for k, v in overrides.items()}
    return cls(**values)


def config_to_dict(config: Any) -> dict[str, Any]:
    out = dataclasses.asdict(config)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}


def parse_assignments(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Parse ``["key=value", ...]`` (from ``--set``) into a dict."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set expects key=value, got {pair!r}")
        out[key.strip()] = value.strip()
    return out
