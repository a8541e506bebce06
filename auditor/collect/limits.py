"""How many ARM and Key Vault calls to keep in flight, from the limits Azure publishes.

`collect.concurrency = 0` (the default) sizes the bound from the estate the Resource Graph
scan found; any positive value is the user's own bound, capped at CEILING.

By Little's law the calls a service can usefully hold in flight are its sustained rate times
a call's latency:
- ARM refills each subscription's read bucket at 25 tokens a second (250 burst), per
  subscription and principal: https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/request-limits-and-throttling
  At a typical 0.4 s per ARM read that is 10 calls in flight per subscription.
- Key Vault allows 4,000 secret and certificate transactions per 10 seconds per vault and
  region: https://learn.microsoft.com/en-us/azure/key-vault/general/service-limits
  At a typical 0.05 s per data-plane read that is 20 calls in flight per vault.
More in flight than that only drains the buckets faster and turns into 429s and retries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

ARM_READS_PER_SECOND = 25            # per subscription, sustained (bucket 250)
ARM_READ_SECONDS = 0.4               # a typical ARM GET
KEY_VAULT_TRANSACTIONS_PER_SECOND = 400   # 4,000 per 10 s per vault
KEY_VAULT_READ_SECONDS = 0.05        # a typical Key Vault data-plane GET

PER_SUBSCRIPTION = round(ARM_READS_PER_SECOND * ARM_READ_SECONDS)            # 10
PER_VAULT = round(KEY_VAULT_TRANSACTIONS_PER_SECOND * KEY_VAULT_READ_SECONDS)  # 20
FLOOR = 8          # what a small estate gets: the old fixed default
AUTO_CEILING = 64  # one process, one connection pool: more only queues inside aiohttp
CEILING = 256      # the most a user may ask for
VAULT_TYPE = "microsoft.keyvault/vaults"
# Each vault is a host of its own, and every connection to it keeps a TLS buffer (~128 KiB)
# while it idles in the pool: a few reads at a time per vault, and only as many vaults at
# once as fill the bound, keep memory flat in the number of vaults.
PER_VAULT_IN_FLIGHT = 4


def vaults_at_once(in_flight: int) -> int:
    return max(1, in_flight // PER_VAULT_IN_FLIGHT)


def auto_concurrency(subscriptions: int, vaults: int) -> int:
    """The bound Azure's limits justify for this many subscriptions and vaults."""
    wanted = PER_SUBSCRIPTION * max(0, subscriptions) + PER_VAULT * max(0, vaults)
    return max(FLOOR, min(AUTO_CEILING, wanted))


def concurrency_for(configured: int, subscriptions: Sequence[str],
                    rows: Mapping[str, Sequence[dict[str, Any]]]) -> int:
    """The configured bound (1..CEILING), or for 0 the one sized from the scanned estate."""
    if configured > 0:
        return min(configured, CEILING)
    if configured < 0:
        return 1
    return auto_concurrency(len(subscriptions), len(rows.get(VAULT_TYPE, ())))


def pool_size(configured: int) -> int:
    """Connections the HTTP session may open: twice the most calls that can be in flight."""
    most = min(configured, CEILING) if configured > 0 else AUTO_CEILING
    return max(2 * most, 8)
