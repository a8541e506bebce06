"""Wall time per stage of one audit, read from the progress the pipeline reports.

The pipeline pages Resource Graph, the collectors' rows first; every collector starts at once
when those rows are in, while the rest is paged; then DNS, TLS and the analysis follow. Each
sequential stage ends at its last progress report and starts where the one before it ended;
the analysis reports its start, so closing the collection's connections counts as TLS.
Key Vault and the ARM collectors are each measured from the moment their rows were in to
their own last completion; `azure_collectors` is what the collectors add after the last page.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

COLLECTOR_ROWS = "resource-graph (collector types)"     # the pipeline's progress stage
_STATUS = Path("/proc/self/status")


def resident_mb() -> tuple[float, float] | None:
    """(VmRSS, VmHWM) in MB, where Linux says."""
    try:
        fields = dict(line.split(":", 1) for line in _STATUS.read_text().splitlines() if ":" in line)
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
    except (OSError, KeyError, ValueError):
        return None


class StageClock:
    """A progress callback (stage, done, total) that remembers when each stage last reported."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self._first: dict[str, float] = {}
        self._last: dict[str, float] = {}
        self._first_cpu: dict[str, float] = {}  # process CPU seconds at each stage's first report
        self._cpu: dict[str, float] = {}        # and at its last
        self._memory: dict[str, tuple[float, float]] = {}   # (RSS, high-water mark) MB when it ended
        self._lock = threading.Lock()

    def __call__(self, stage: str, done: int, total: int) -> None:
        ended = done >= total
        memory = resident_mb() if ended else None
        now, cpu = time.monotonic() - self.started, time.process_time()
        with self._lock:
            self._first.setdefault(stage, now)
            self._first_cpu.setdefault(stage, cpu)
            self._last[stage] = now
            self._cpu[stage] = cpu
            if memory is not None:
                self._memory[stage.split(":")[0]] = memory

    def memory(self) -> dict[str, dict[str, float]]:
        """Per stage (collectors together): resident and peak MB when it last ended."""
        with self._lock:
            return {s: {"rss_mb": round(r, 1), "peak_mb": round(p, 1)} for s, (r, p) in self._memory.items()}

    def last(self, stage: str) -> float | None:
        with self._lock:
            return self._last.get(stage)

    def cpu_of(self, stage: str) -> float | None:
        """Process CPU seconds from a stage's first report to its last."""
        with self._lock:
            if stage not in self._cpu:
                return None
            return self._cpu[stage] - self._first_cpu[stage]

    def collectors(self) -> dict[str, float]:
        with self._lock:
            return {s.removeprefix("collector:"): t for s, t in self._last.items() if s.startswith("collector:")}

    def durations(self, finished_at: float) -> dict[str, float]:
        """Seconds per stage; `finished_at`: the offset when the audit (analysis included) returned."""
        graph_end = self.last("resource-graph") or 0.0
        # The collectors start once their rows are in, while the rest of the inventory is paged.
        rows_in = self.last(COLLECTOR_ROWS)
        start = min(rows_in, graph_end) if rows_in is not None else graph_end
        finished = self.collectors()
        collectors_end = max([graph_end, *finished.values()])
        azure_end = max(collectors_end, self.last("logs") or collectors_end)   # live traffic follows the collectors
        dns_end = max(azure_end, self.last("dns") or azure_end)
        # TLS is the last collection stage: it ends when the collection has closed, where the
        # analysis reports its start.
        with self._lock:
            analysis_start = self._first.get("analysis")
        if analysis_start is None:
            raise ValueError("the pipeline reported no analysis stage")
        tls_end = max(dns_end, analysis_start)
        arm = [t for name, t in finished.items() if name != "keyvault"]
        return {
            "resource_graph": graph_end,
            "arm_collectors": max(arm, default=start) - start,
            "key_vault": finished.get("keyvault", start) - start,
            "azure_collectors": collectors_end - graph_end,      # what the collectors add after the pages
            "logs": azure_end - collectors_end,
            "dns": dns_end - azure_end,
            "tls": tls_end - dns_end,
            "analysis": finished_at - tls_end,
        }
