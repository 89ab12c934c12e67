"""Moved to :mod:`ganzoo.importers.pth_reader` (importers read ``.pth`` files too);
this name stays so that existing imports keep working."""

from ganzoo.importers.pth_reader import (  # noqa: F401
    LEGACY_MAGIC,
    STORAGE_DTYPES,
    UnsafePickleError,
    read_state_dict,
)
