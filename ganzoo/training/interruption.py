"""SIGINT/SIGTERM during training: a flag the loop checks between steps, not an exception."""

from __future__ import annotations

import signal
import threading


class SignalFlag:
    """Turns SIGINT/SIGTERM into a flag the training loop checks between steps.

    A context manager: the previous handlers come back on exit. Outside the
    main thread (where Python allows no handlers) it installs nothing.
    """

    def __init__(self):
        self.received: str | None = None  # the signal's name, once one came
        self._old = {}

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._old[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum, frame):
        self.received = signal.Signals(signum).name

    def __exit__(self, *exc):
        for sig, handler in self._old.items():
            signal.signal(sig, handler)
