"""Every user-facing error ganzoo raises: one line naming the thing and the fix.

The CLI prints a ``GanzooError`` as that line and exits with code 2.
"""

from __future__ import annotations


class GanzooError(Exception):
    """Base class of ganzoo's user-facing errors (the CLI prints them as one line)."""


class UnknownNameError(GanzooError, KeyError):
    """Raised when a registry is asked for a name it does not hold."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class DuplicateNameError(GanzooError):
    """Raised when two plugins register the same name in one registry."""


class ConfigError(GanzooError, ValueError):
    """A config key or value is invalid."""


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


class MetricsError(GanzooError):
    """A metric was asked for something it cannot compute (bad shapes, sizes)."""


class WeightsNotFoundError(MetricsError):
    """A feature extractor's weights are neither cached nor given as a file."""


class ExtractorCapabilityError(MetricsError):
    """An extractor was asked for an output it does not have (e.g. logits)."""


class CheckpointWriteError(GanzooError):
    """A checkpoint could not be written (e.g. the disk is full); older ones are intact."""


class ImporterError(GanzooError):
    """A file cannot be imported (wrong format, unsupported network)."""


class UnsafePickleError(ImporterError, MetricsError):
    """A pickle (a network pickle or a ``.pth`` state dict) names something
    the restricted unpickler does not allow. A :class:`MetricsError` too, as
    the FID weights reader raised it before importers shared it."""


class PluginError(GanzooError):
    """A plugin failed to load or to register, in strict mode."""


class DistributionError(GanzooError):
    """A device count, batch or multi-host setting that cannot work."""


class RunDirLocked(GanzooError):
    """Another live process is training in this run directory."""


class TrainingInterrupted(GanzooError):
    """Training stopped on SIGINT/SIGTERM after writing a checkpoint."""
