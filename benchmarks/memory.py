"""Peak resident memory of the audit alone: Linux lets a process reset its high-water mark
(`5` to /proc/self/clear_refs, proc(5)), so building the estate beforehand is not counted."""

from __future__ import annotations

import gc
import resource
from pathlib import Path

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def reset_peak() -> bool:
    """Forget the peak so far; False where the platform cannot (the peak then covers the process)."""
    gc.collect()
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def peak_mb() -> float:
    """VmHWM (since the last reset), else the process's lifetime peak."""
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB on Linux
