"""The errors and warnings that bad data input produces."""

from __future__ import annotations

from ganzoo.registry import GanzooError


class DataError(GanzooError, ValueError):
    """A dataset, file or loading option the user gave cannot be used.

    The message is one line naming the file (or dataset) and the fix.
    """


class DataWarning(UserWarning):
    """Something in the data was skipped (only where the caller allowed it)."""


class BadImageError(DataError):
    """One image file is missing, corrupt or truncated."""

    def __init__(self, path: object, reason: str, fix: str):
        super().__init__(f"cannot read image {path} ({reason}); {fix}")
        self.path = path
        self.reason = reason
