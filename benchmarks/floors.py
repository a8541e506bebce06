"""The least time each stage of an audit can take against real Azure, from the requests it
made and the limits Azure publishes, so a measured stage can be read as a multiple of it.

- Resource Graph: pages are read one after another (each needs the previous page's skip
  token), and a principal may send 15 queries per 5-second window:
  https://learn.microsoft.com/en-us/azure/governance/resource-graph/concepts/guidance-for-throttled-requests
- ARM: each subscription's read bucket holds 250 tokens and refills 25 a second:
  https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/request-limits-and-throttling
- Key Vault: 4,000 transactions per 10 seconds per vault:
  https://learn.microsoft.com/en-us/azure/key-vault/general/service-limits
- Every service: its requests times the injected latency, spread over the calls allowed in flight.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from benchmarks.emulator_host import ServedLog

ARG_QUERIES_PER_WINDOW = 15
ARG_WINDOW_SECONDS = 5.0
ARM_BUCKET = 250
ARM_REFILL_PER_SECOND = 25.0
KEY_VAULT_PER_SECOND = 400.0
_SUBSCRIPTION = re.compile(r"/subscriptions/([^/?]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Bounds:
    """How many calls may be in flight, per kind."""

    azure: int       # collect.concurrency as resolved (ARM, Key Vault, Graph together)
    dns: int
    tls: int
    vaults: int      # Key Vault's limit is per vault


def stage_floors(log: ServedLog, latency: dict[str, float], bounds: Bounds) -> dict[str, float]:
    """Seconds per stage (the keys StageClock.durations uses) below which no client could go."""
    counts = log.counts()
    arm = counts.get("arm", 0)
    keyvault = counts.get("keyvault", 0)
    per_subscription = Counter(m.group(1).lower() for e in log.entries("arm")
                               if (m := _SUBSCRIPTION.search(e.key)))
    arm_floor = max(_in_flight(arm, latency.get("arm", 0.0), bounds.azure),
                    max((_bucket(n) for n in per_subscription.values()), default=0.0))
    # Spread over its vaults, the estate's Key Vault reads stay far below 400 a second each.
    kv_floor = max(_in_flight(keyvault, latency.get("keyvault", 0.0), bounds.azure),
                   keyvault / (KEY_VAULT_PER_SECOND * max(1, bounds.vaults)))
    azure = max(arm_floor, kv_floor, _in_flight(arm + keyvault, latency.get("arm", 0.0), bounds.azure))
    return {
        "resource_graph": arg_floor(counts.get("arg", 0), latency.get("arg", 0.0)),
        "arm_collectors": arm_floor,
        "key_vault": kv_floor,
        "azure_collectors": azure,
        "dns": _in_flight(counts.get("dns", 0), latency.get("dns", 0.0), bounds.dns),
        "tls": _in_flight(counts.get("tls", 0), latency.get("tls", 0.0), bounds.tls),
    }


def audit_floor(floors: dict[str, float]) -> float:
    """The collectors may run while Resource Graph pages the rest of the inventory, so the two
    overlap (the longer counts); DNS and TLS follow. The collectors overlap each other too."""
    return max(floors["resource_graph"], floors["azure_collectors"]) + floors["dns"] + floors["tls"]


def arg_floor(pages: int, latency: float) -> float:
    """Pages in sequence, and no more than 15 queries per 5 s after the first window."""
    if pages <= 0:
        return 0.0
    windows = (pages - 1) // ARG_QUERIES_PER_WINDOW
    return max(pages * latency, windows * ARG_WINDOW_SECONDS)


def _bucket(reads: int) -> float:
    """Seconds one subscription needs for `reads` once its 250-token burst is spent."""
    return max(0, reads - ARM_BUCKET) / ARM_REFILL_PER_SECOND


def _in_flight(requests: int, latency: float, bound: int) -> float:
    return requests * latency / max(1, bound)


def ratios(measured: dict[str, float], floors: dict[str, float]) -> dict[str, float | None]:
    """measured / floor per stage; None where Azure sets no floor (the floor is zero)."""
    return {s: (round(measured[s] / f, 2) if f > 0 else None) for s, f in floors.items() if s in measured}
