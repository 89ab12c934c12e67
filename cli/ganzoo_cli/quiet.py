"""Keeps TensorFlow's and absl's start-up log lines off the terminal.

TensorFlow 2.21 writes "All log messages before absl::InitializeLog()",
oneDNN and CUDA lines to file descriptor 2 while it is imported, whatever
``TF_CPP_MIN_LOG_LEVEL`` says (that variable only governs what comes after).
So the first ``import tensorflow`` runs with descriptor 2 sent to a
temporary file, and only the lines that are not such log lines are written
back. A ``TF_CPP_MIN_LOG_LEVEL`` the user set is honoured for these lines as
TensorFlow honours it for later ones (0 shows them all, 3 none); unset, the
CLI sets it to 3. ``--verbose`` leaves TensorFlow's output untouched.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.util
import logging
import os
import re
import sys
import tempfile

# A C++ log line ("I0000 00:00:17.. 123 port.cc:153] ..."): severity I, W, E or F.
LOG_LINE = re.compile(r"^([IWEF])\d{4} \d\d:\d\d:[\d.]+ +\d+ \S+:\d+\]")
# absl's banner and the second line of the CPU-instructions message.
BANNER = re.compile(r"^(WARNING: All log messages before absl::InitializeLog\(\)"
                    r"|To enable the following instructions:)")
SEVERITIES = "IWEF"
QUIET_PACKAGES = ("tensorflow",)


def quiet_backend_logs(verbose: bool = False) -> bool:
    """Filter backend start-up logs unless ``verbose``; True when it did."""
    if verbose:
        return False
    user_level = os.environ.get("TF_CPP_MIN_LOG_LEVEL")
    if user_level is None:
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
        for name in ("absl", "tensorflow"):  # Python-side loggers of both
            logging.getLogger(name).setLevel(logging.ERROR)
    level = int(user_level) if user_level and user_level.isdigit() else 3
    if level > 0 and not any(isinstance(f, _QuietFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _QuietFinder(level))
    return True


def is_noise(line: str, level: int = 3) -> bool:
    """Whether ``line`` is a C++ log line below ``level`` (or absl's banner, at level > 0)."""
    match = LOG_LINE.match(line)
    if match:
        return SEVERITIES.index(match.group(1)) < level
    return level > 0 and bool(BANNER.match(line))


@contextlib.contextmanager
def filtered_stderr(level: int = 3):
    """Send descriptor 2 to a file for the block; echo back what is not log noise."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            text = capture.read().decode(errors="replace")
            kept = [line for line in text.splitlines(keepends=True) if not is_noise(line, level)]
            if kept:
                sys.stderr.write("".join(kept))
                sys.stderr.flush()


class _QuietFinder(importlib.abc.MetaPathFinder):
    """Finds the real spec of a noisy package and wraps its loader once."""

    def __init__(self, level: int):
        self.level = level

    def find_spec(self, name, path, target=None):
        if name not in QUIET_PACKAGES:
            return None
        sys.meta_path.remove(self)  # later lookups (and this one below) go straight through
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader, self.level)
        return spec


class _QuietLoader(importlib.abc.Loader):
    """Delegates to the real loader, running the module body under filtered_stderr."""

    def __init__(self, loader, level: int):
        self._loader = loader
        self._level = level

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        with filtered_stderr(self._level):
            self._loader.exec_module(module)

    def __getattr__(self, name):
        return getattr(self._loader, name)
