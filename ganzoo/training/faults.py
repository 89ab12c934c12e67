"""Opt-in fault injection for the reliability tests: ``GANZOO_FAULT=point:N[:+MS]``.

The trainer calls :func:`fault_point` at named moments (``startup``,
``checkpoint``, ``checkpoint-rename``, ``checkpoint-prune``, ``sample``). When
the environment variable names a point, its N-th hit SIGKILLs this process:
at once, or ``MS`` milliseconds later from a timer thread, so that the kill
lands in the middle of the write that follows the point. Unset (the normal
case) it costs one dictionary lookup and does nothing.
"""

from __future__ import annotations

import os
import signal
import threading

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
