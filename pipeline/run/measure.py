"""What the per-document budget measures, the same on every system where psutil runs: a process's
resident memory, the machine's memory, and a process's own working time (WorkClock)."""
from __future__ import annotations

import os
import time

import psutil

MIN_SHARE = 0.25  # the least share of the wall-clock time counted as the process's own work


def physical_memory_mb() -> float:
    return psutil.virtual_memory().total / 2**20


def rss_mb(pid: int) -> float:
    try:
        return psutil.Process(pid).memory_info().rss / 2**20
    except (psutil.Error, OSError):
        return 0.0


class WorkClock:
    """Seconds of a process's own work since `reset`: wall-clock time less the longest time one of
    its threads spent runnable but waiting for a CPU (the kernel's run-queue delay, Linux only)."""

    def __init__(self, pid: int):
        self.pid = pid
        self.reset()

    def _delays(self) -> dict[str, int]:
        out = {}
        try:
            for tid in os.listdir(f"/proc/{self.pid}/task"):
                with open(f"/proc/{self.pid}/task/{tid}/schedstat") as f:
                    out[tid] = int(f.read().split()[1])
        except (OSError, ValueError, IndexError):
            pass
        return out

    def reset(self) -> None:
        self.start, self.delays = time.monotonic(), self._delays()

    def elapsed(self) -> float:
        """At most three quarters of the wall-clock time is discounted: whatever its threads do, a
        stalled document is stopped within four times its budget on the busiest machine."""
        wall = time.monotonic() - self.start
        now = self._delays()
        waited = max((d - self.delays.get(t, 0) for t, d in now.items()), default=0) / 1e9
        return max(wall * MIN_SHARE, wall - waited)


__all__ = ["physical_memory_mb", "rss_mb", "WorkClock"]
