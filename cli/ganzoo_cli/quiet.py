"""Keeps TensorFlow's and absl's start-up log lines off the terminal.

TensorFlow 2.21 writes "All log messages before absl::InitializeLog()",
oneDNN and CUDA lines to file descriptor 2 while it is imported, whatever
``TF_CPP_MIN_LOG_LEVEL`` says (that variable only governs what comes after).
So the first ``import tensorflow`` runs with descriptor 2 sent to a
temporary file, and only the lines that are not such log lines are written
back. Nothing happens when the user set ``TF_CPP_MIN_LOG_LEVEL`` or passed
``--verbose``: they see what TensorFlow prints.
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

# A C++ log line ("I0000 00:00:17.. 123 port.cc:153] ...") or its absl banner.
NOISE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\)"
    r"|[IWE]\d{4} \d\d:\d\d:[\d.]+ +\d+ \S+:\d+\]"
    r"|To enable the following instructions:)"
)
QUIET_PACKAGES = ("tensorflow",)


def quiet_backend_logs(verbose: bool = False) -> bool:
    """Silence backend start-up logs unless asked not to; True when it did."""
    if verbose or "TF_CPP_MIN_LOG_LEVEL" in os.environ:
        return False
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    for name in ("absl", "tensorflow"):  # Python-side loggers of both
        logging.getLogger(name).setLevel(logging.ERROR)
    if not any(isinstance(f, _QuietFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _QuietFinder())
    return True


@contextlib.contextmanager
def filtered_stderr():
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
            kept = [line for line in text.splitlines(keepends=True) if not NOISE.match(line)]
            if kept:
                sys.stderr.write("".join(kept))
                sys.stderr.flush()


class _QuietFinder(importlib.abc.MetaPathFinder):
    """Finds the real spec of a noisy package and wraps its loader once."""

    def find_spec(self, name, path, target=None):
        if name not in QUIET_PACKAGES:
            return None
        sys.meta_path.remove(self)  # later lookups (and this one below) go straight through
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader)
        return spec


class _QuietLoader(importlib.abc.Loader):
    """Delegates to the real loader, running the module body under filtered_stderr."""

    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        with filtered_stderr():
            self._loader.exec_module(module)

    def __getattr__(self, name):
        return getattr(self._loader, name)
