"""Time budgets for QA and for `translate`: the same per-document budget as `run`
(`[pipeline] doc_timeout`, default 300 s, 0 = none).

- `time_limit(seconds)`: raises `BudgetExceeded` inside the block when it runs too long (SIGALRM;
  the checks are Python code, which a signal interrupts). Where there is no SIGALRM (Windows) or
  outside the main thread it does nothing: a check is then unbounded, as before.
- `watchdog(seconds, message, code)`: for work that a signal cannot interrupt (a model running in
  C): a timer thread that prints `message` and ends the process with exit `code` when it fires.
"""
from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator

DEFAULT_TIMEOUT_S = 300.0  # the same default as `run` (pipeline.config.RUN_OPTIONS["doc_timeout"])


class BudgetExceeded(Exception):
    """A piece of work ran past its time budget."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"stopped after the time budget of {seconds:g} s")


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise BudgetExceeded in this block after `seconds` (None or 0: no limit). Nested limits:
    the inner one is in force while it lasts; the outer one is restored after it."""
    if not seconds or seconds <= 0 or not _can_alarm():
        yield
        return

    def on_alarm(signum, frame):
        raise BudgetExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - started), 0.001))


class watchdog:  # noqa: N801 - used as a context manager, like a function
    """End the process with `code` if the block lasts longer than `seconds` (None/0: never)."""

    def __init__(self, seconds: float | None, message: str, code: int):
        self.seconds, self.message, self.code = seconds, message, code
        self._timer: threading.Timer | None = None

    def _fire(self) -> None:
        try:
            sys.stdout.flush()
        except Exception:  # noqa: BLE001 - the process ends anyway
            pass
        sys.stderr.write(f"error: {self.message}\n")
        sys.stderr.flush()
        os._exit(self.code)

    def __enter__(self) -> watchdog:
        if self.seconds and self.seconds > 0:
            self._timer = threading.Timer(self.seconds, self._fire)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._timer is not None:
            self._timer.cancel()
