"""Test-only stand-ins for core API that the plugins branch brings (presets, register(obj)).

The CLI calls ``ganzoo.list_presets``, ``ganzoo.get_preset`` and
``Architecture.presets``. Where the core has them, the tests use them as they
are; where it does not yet, ``install`` puts these minimal versions in place.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import ganzoo.api
import ganzoo.architecture
from ganzoo.errors import UnknownNameError
from ganzoo.plugins import registries
from ganzoo.registry import unknown_name_message


@dataclasses.dataclass(frozen=True)
class ShimPreset:
    name: str
    description: str
    config: dict[str, Any] = dataclasses.field(default_factory=dict)
    train: dict[str, Any] = dataclasses.field(default_factory=dict)


Preset = getattr(ganzoo.architecture, "Preset", ShimPreset)


def with_presets(arch, name: str, presets: tuple) -> Any:
    """A copy of ``arch`` called ``name`` with ``presets``."""
    copy = dataclasses.replace(arch, name=name)
    object.__setattr__(copy, "presets", presets)  # works with or without the field
    return copy


def _list_presets():
    pairs = [(e.name, p) for e in registries().architectures.entries()
             for p in getattr(e.obj, "presets", ())]
    return sorted(pairs, key=lambda pair: pair[1].name)


def _get_preset(name):
    for arch, preset in _list_presets():
        if preset.name == name:
            return registries().architectures.get(arch), preset
    known = [p.name for _, p in _list_presets()]
    raise UnknownNameError(unknown_name_message("preset", name, known))


def install(monkeypatch) -> None:
    """Put the stand-ins in place where the core lacks the real API."""
    if not hasattr(ganzoo.api, "list_presets"):
        monkeypatch.setattr(ganzoo, "list_presets", _list_presets, raising=False)
        monkeypatch.setattr(ganzoo, "get_preset", _get_preset, raising=False)


def register_one(register, obj):
    """``register(obj)`` (the one plugin contract) or, before it lands, ``register(name, obj)``."""
    try:
        register(obj)
    except TypeError:
        register(obj.name, obj)
