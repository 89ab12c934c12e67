"""What stops a run from outside the step: signals, a stalled step, injected faults.

- :class:`SignalFlag`: SIGINT/SIGTERM become a flag the training loop checks
  between steps (it then checkpoints and stops), not an exception.
- :class:`StepWatchdog`: ends the process when one step takes too long (a
  dead peer in a multi-process run).
- :func:`fault_point`: opt-in fault injection for the reliability tests,
  ``GANZOO_FAULT=point:N[:+MS]``. The trainer calls it at named moments
  (``startup``, ``checkpoint``, ``checkpoint-rename``, ``checkpoint-prune``,
  ``sample``). When the environment variable names a point, its N-th hit
  SIGKILLs this process: at once, or ``MS`` milliseconds later from a timer
  thread, so that the kill lands in the middle of the write that follows the
  point. Unset (the normal case) it costs one dictionary lookup and does
  nothing.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

import keras

from ganzoo import distribution
from ganzoo.errors import DistributionError, GanzooError


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


class StepWatchdog(keras.callbacks.Callback):
    """Ends the process (exit code 3) when one training step takes longer than ``timeout`` s.

    In a multi-process run a dead peer leaves the others waiting inside a
    collective; this bounds the wait and names the silent processes when the
    engine can tell (JAX's coordination service). The first steps of each
    ``fit`` get ``compile_grace`` more seconds: they compile. ``timeout=None``
    turns it off. Use it as a context manager around training and as a callback.
    """

    EXIT_CODE = 3

    def __init__(self, timeout: float | None, strategy: distribution.Strategy | None = None,
                 compile_grace: float = 600.0, grace_steps: int = 2):
        super().__init__()
        if timeout is not None and timeout <= 0:
            raise DistributionError(f"--step-timeout must be positive seconds, got {timeout}")
        self.timeout, self.strategy = timeout, strategy
        self.compile_grace, self.grace_steps = compile_grace, grace_steps
        self._deadline: float | None = None
        self._steps_this_fit = 0
        self._stop = None

    def __enter__(self) -> StepWatchdog:
        if self.timeout is not None:
            self._stop = threading.Event()
            threading.Thread(target=self._watch, name="ganzoo-step-watchdog", daemon=True).start()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._stop is not None:
            self._stop.set()
        s = self.strategy
        if exc is not None and s is not None and s.num_processes > 1 and \
                not isinstance(exc, (GanzooError, KeyboardInterrupt)):
            # A failed collective (a peer died): leave now. Python's normal exit
            # would wait in JAX's shutdown barrier for the dead peer's heartbeat.
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
            missing = distribution.missing_processes(s.num_processes)
            who = (f"process(es) {', '.join(map(str, missing))} stopped answering"
                   if missing else "another process has probably died")
            print(f"error: process {s.process_id} of {s.num_processes} stopped: {who} ({first})",
                  file=sys.stderr, flush=True)
            os._exit(self.EXIT_CODE)

    def on_train_begin(self, logs=None):
        self._steps_this_fit = 0

    def on_train_batch_begin(self, batch, logs=None):
        grace = self.compile_grace if self._steps_this_fit < self.grace_steps else 0.0
        if self.timeout is not None:
            self._deadline = time.monotonic() + self.timeout + grace

    def on_train_batch_end(self, batch, logs=None):
        self._deadline = None
        self._steps_this_fit += 1

    def _watch(self) -> None:
        import sys
        while not self._stop.wait(0.5):
            deadline = self._deadline
            if deadline is not None and time.monotonic() > deadline:
                print(f"error: {self.describe_stall()}", file=sys.stderr, flush=True)
                os._exit(self.EXIT_CODE)

    def describe_stall(self) -> str:
        """One line: what stalled and, where known, which processes stopped answering."""
        s = self.strategy
        where = (f"process {s.process_id} of {s.num_processes}" if s and s.num_processes > 1
                 else "this process")
        message = f"a training step on {where} took over {self.timeout:g} s (--step-timeout)"
        if s and s.num_processes > 1:
            missing = distribution.missing_processes(s.num_processes)
            if missing:
                message += f"; process(es) {', '.join(map(str, missing))} stopped answering"
            else:
                message += "; another process has probably died or stalled"
            message += "; stopping instead of waiting forever"
        return message


# --- fault injection (GANZOO_FAULT) ---

ENV = "GANZOO_FAULT"
POINTS = ("startup", "checkpoint", "checkpoint-rename", "checkpoint-prune", "sample")
_hits: dict[str, int] = {}


def _parse(text: str) -> tuple[str, int, float | None]:
    parts = text.split(":")
    point, nth = parts[0], int(parts[1]) if len(parts) > 1 else 1
    delay = float(parts[2].lstrip("+")) / 1000 if len(parts) > 2 else None
    if point not in POINTS:
        raise ValueError(f"{ENV}={text!r}: unknown point; use one of {', '.join(POINTS)}")
    return point, nth, delay


def _kill() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def fault_point(name: str) -> None:
    """SIGKILL this process here if ``GANZOO_FAULT`` asks for this point's current hit."""
    text = os.environ.get(ENV)
    if not text:
        return
    point, nth, delay = _parse(text)
    if point != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] != nth:
        return
    if delay is None:
        _kill()
    else:
        threading.Timer(delay, _kill).start()
