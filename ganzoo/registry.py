"""Typed registries of named things that plugins provide.

Each registry maps a name to an object and remembers which plugin registered
it. Objects carry their own name (``obj.name``): ``register(obj)``, never a
name beside the object. Registering by name, so that a clash names both plugins and an unknown name lists the known
ones with the closest match.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ganzoo.errors import DuplicateNameError, GanzooError, UnknownNameError

T = TypeVar("T")


def closest_match(name: str, candidates: list[str]) -> str | None:
    """The candidate most similar to ``name``, or None when nothing is close."""
    matches = difflib.get_close_matches(name, candidates, n=1, cutoff=0.5)
    return matches[0] if matches else None


def unknown_name_message(kind: str, name: str, known: list[str]) -> str:
    """A one-line message naming the known values and the closest one."""
    msg = f"unknown {kind} '{name}'"
    suggestion = closest_match(name, known)
    if suggestion:
        msg += f"; did you mean '{suggestion}'?"
    else:
        msg += "."
    msg += f" Known: {', '.join(sorted(known)) or '(none)'}"
    return msg


def parse_named(text: str) -> tuple[str, dict]:
    """``"name"`` or ``"name:key=value,key=value"`` -> (name, {key: value}).

    Values become int, float or bool where they read as one (``true``/``false``).
    """
    name, _, rest = text.partition(":")
    options = {}
    for item in filter(None, (p.strip() for p in rest.split(","))):
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise GanzooError(f"{text!r}: write options as key=value (e.g. 'cr:weight=5')")
        options[key.strip()] = _scalar(value.strip())
    return name.strip(), options


def _scalar(value: str):
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


@dataclass(frozen=True)
class Entry(Generic[T]):
    """One registered object and the plugin that registered it."""

    name: str
    obj: T
    plugin: str


class Registry(Generic[T]):
    """A name -> object mapping for one kind of thing (losses, architectures...)."""

    def __init__(self, kind: str):
        self.kind = kind
        self._entries: dict[str, Entry[T]] = {}

    def register(self, obj: T, *extra: Any, plugin: str = "user") -> T:
        """Add ``obj`` under its own ``obj.name``; a name already taken is an error."""
        if extra:
            raise GanzooError(
                f"register() takes the object only (it carries its name): call "
                f"register(obj), not register({obj!r}, obj)"
            )
        name = getattr(obj, "name", None)
        if not isinstance(name, str) or not name:
            raise GanzooError(
                f"a registered {self.kind} carries its name as a non-empty string "
                f"attribute 'name'; {obj!r} has name={name!r} (set .name on it)"
            )
        if name in self._entries:
            other = self._entries[name].plugin
            raise DuplicateNameError(
                f"{self.kind} '{name}' is registered by both plugin '{other}' "
                f"and plugin '{plugin}'; rename one of them"
            )
        self._entries[name] = Entry(name, obj, plugin)
        return obj

    def unregister(self, name: str) -> None:
        self._entries.pop(name, None)

    def get(self, name: str) -> T:
        return self.entry(name).obj

    def entry(self, name: str) -> Entry[T]:
        try:
            return self._entries[name]
        except KeyError:
            raise UnknownNameError(
                unknown_name_message(self.kind, name, self.names())
            ) from None

    def names(self) -> list[str]:
        return sorted(self._entries)

    def entries(self) -> list[Entry[T]]:
        return [self._entries[n] for n in self.names()]

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self._entries)


@dataclass(frozen=True)
class Named:
    """Gives a registry name to an object that has none (a factory, a class).

    Calling it calls the wrapped object, so a registered factory still works
    as ``registry.get(name)(**kwargs)``.
    """

    name: str
    obj: Any

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.obj(*args, **kwargs)


@dataclass
class Registries:
    """Every registry the hooks fill; built once per plugin manager."""

    architectures: Registry[Any] = field(
        default_factory=lambda: Registry("architecture")
    )
    losses: Registry[Any] = field(default_factory=lambda: Registry("loss"))
    regularizers: Registry[Any] = field(
        default_factory=lambda: Registry("regularizer")
    )
    datasets: Registry[Any] = field(default_factory=lambda: Registry("dataset"))
    feature_extractors: Registry[Any] = field(
        default_factory=lambda: Registry("feature extractor")
    )
    augmentations: Registry[Any] = field(
        default_factory=lambda: Registry("augmentation")
    )
    importers: Registry[Any] = field(default_factory=lambda: Registry("import format"))
    conditionings: Registry[Any] = field(
        default_factory=lambda: Registry("D conditioning")
    )
