"""Importing networks from other code bases' files into ganzoo models.

A plugin registers an :class:`Importer` through the ``register_importers``
hook; :func:`import_file` (and ``ganzoo import FORMAT FILE --out M.keras``)
runs it. Readers shared by importers live here: ``safe_pickle`` opens
pickles without running anything from them. The architecture-specific
mapping of weights belongs to the plugin that owns the architecture.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ganzoo.errors import GanzooError, ImporterError


@dataclass(frozen=True)
class Importer:
    """A file format ganzoo imports.

    ``load(path, **options)`` returns a compiled :class:`ganzoo.GAN` built from
    the file (raising a :class:`ganzoo.errors.GanzooError` with one line for
    a file it cannot read); ``description`` says what it reads.
    """

    name: str
    description: str
    load: Callable[..., Any]


def list_importers() -> list[str]:
    """Names of the registered import formats."""
    from ganzoo.plugins import registries

    return registries().importers.names()


def assign(variable, value, name: str) -> None:
    """Set a ganzoo weight from a file's array ``name``; one error line if the shapes differ."""
    value = np.asarray(value, dtype="float32")
    if tuple(variable.shape) != value.shape:
        raise ImporterError(f"{name}: shape {value.shape} does not fit ganzoo's "
                            f"{tuple(variable.shape)}")
    variable.assign(value)


class StateDictCopier:
    """Copies a state dict's arrays into a ganzoo network by key, and checks at the
    end that every array was used (keys matching ``ignored`` are skipped).
    Importers subclass it with methods for their layers."""

    def __init__(self, arrays: dict, what: str, arch: str, ignored: str = r"num_batches_tracked$"):
        self.arrays, self.what, self.arch, self.used = arrays, what, arch, set()
        self.ignored = re.compile(ignored)

    def get(self, key):
        if key not in self.arrays:
            raise ImporterError(f"{self.what} has no '{key}'")
        self.used.add(key)
        return self.arrays[key]

    def set(self, variable, key, transform=lambda a: a):
        assign(variable, transform(self.get(key)), f"{self.what} {key}")

    def check_all_used(self):
        left = sorted(k for k in self.arrays
                      if k not in self.used and not self.ignored.search(k))
        if left:
            raise ImporterError(f"{self.what} has weights ganzoo's {self.arch} does not: "
                                f"{', '.join(left[:4])}")


def without_data_parallel_prefix(arrays: dict) -> dict:
    """``arrays`` with the ``module.`` prefix that PyTorch's DataParallel adds dropped."""
    if arrays and all(k.startswith("module.") for k in arrays):
        return {k[len("module."):]: v for k, v in arrays.items()}
    return arrays


def read_torch_state_dict(path, what: str) -> dict[str, np.ndarray]:
    """The state dict of a torch ``.pth`` file (read without torch; a DataParallel
    prefix dropped); one error line, naming ``what`` the file is, if it holds none."""
    from ganzoo.importers.pth_reader import read_state_dict

    try:
        arrays = read_state_dict(path)
    except GanzooError as e:
        message = str(e)
        raise ImporterError(message if str(path) in message
                            else f"{what} {path}: {message}") from None
    if not isinstance(arrays, dict):
        raise ImporterError(f"{what} {path} holds no state dict")
    return without_data_parallel_prefix(arrays)


def import_file(format: str, path, out=None, **options: Any) -> Any:
    """Import ``path`` (a file of ``format``) as a ganzoo GAN; save it to ``out``
    (a ``.keras`` file) when given. Returns the GAN."""
    from ganzoo.plugins import registries

    importer = registries().importers.get(format)
    _check_options(format, importer.load, options)
    path = Path(path)
    if not path.is_file():
        raise GanzooError(f"{path}: no such file")
    if out is not None and not str(out).endswith(".keras"):
        raise GanzooError(f"--out {out}: the output is a .keras file (name it *.keras)")
    gan = importer.load(path, **options)
    if out is not None:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        gan.save(str(out))
    return gan


def _check_options(format: str, load: Callable[..., Any], options: dict) -> None:
    """One error line for an option the format's ``load`` does not take."""
    params = list(inspect.signature(load).parameters.values())[1:]  # after the path
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return
    names = [p.name for p in params]
    unknown = sorted(k for k in options if k not in names)
    if unknown:
        raise GanzooError(f"{format} takes no option {', '.join(unknown)} (its options: "
                          f"{', '.join(names) or 'none'})")
