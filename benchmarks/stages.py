"""Wall time per stage of one audit, read from the progress the pipeline reports.

The pipeline runs Resource Graph, then every collector at once, then DNS, then TLS, then
the analysis. Each sequential stage ends at its last progress report and starts where the
one before it ended. The collectors overlap, so Key Vault and the ARM collectors are each
measured from the end of Resource Graph to their own last completion.
"""

from __future__ import annotations

import threading
import time


class StageClock:
    """A progress callback (stage, done, total) that remembers when each stage last reported."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def __call__(self, stage: str, done: int, total: int) -> None:
        with self._lock:
            self._last[stage] = time.monotonic() - self.started

    def last(self, stage: str) -> float | None:
        with self._lock:
            return self._last.get(stage)

    def collectors(self) -> dict[str, float]:
        with self._lock:
            return {s.removeprefix("collector:"): t for s, t in self._last.items() if s.startswith("collector:")}

    def durations(self, finished_at: float) -> dict[str, float]:
        """Seconds per stage; `finished_at`: the offset when the audit (analysis included) returned."""
        graph_end = self.last("resource-graph") or 0.0
        finished = self.collectors()
        collectors_end = max([graph_end, *finished.values()])
        azure_end = max(collectors_end, self.last("logs") or collectors_end)   # live traffic follows the collectors
        dns_end = max(azure_end, self.last("dns") or azure_end)
        tls_end = max(dns_end, self.last("tls") or dns_end)
        arm = [t for name, t in finished.items() if name != "keyvault"]
        return {
            "resource_graph": graph_end,
            "arm_collectors": max(arm, default=graph_end) - graph_end,
            "key_vault": finished.get("keyvault", graph_end) - graph_end,
            "azure_collectors": collectors_end - graph_end,
            "logs": azure_end - collectors_end,
            "dns": dns_end - azure_end,
            "tls": tls_end - dns_end,
            "analysis": finished_at - tls_end,
        }
