"""The ARM / Key Vault bound comes from Azure's published limits unless the user sets one.

ARM: 25 reads a second per subscription (250 burst),
https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/request-limits-and-throttling
Key Vault: 4,000 transactions per 10 seconds per vault and region,
https://learn.microsoft.com/en-us/azure/key-vault/general/service-limits
"""

from __future__ import annotations

from auditor.collect.limits import (
    AUTO_CEILING,
    CEILING,
    FLOOR,
    PER_SUBSCRIPTION,
    PER_VAULT,
    VAULT_TYPE,
    auto_concurrency,
    concurrency_for,
    pool_size,
)
from auditor.config import CollectConfig


def _rows(vaults: int) -> dict[str, list[dict[str, str]]]:
    return {VAULT_TYPE: [{"name": f"kv{i}"} for i in range(vaults)]}


def test_the_default_is_sized_from_the_estate() -> None:
    assert CollectConfig().concurrency == 0
    assert (PER_SUBSCRIPTION, PER_VAULT) == (10, 20)   # 25/s x 0.4 s, 400/s x 0.05 s
    assert concurrency_for(0, ["s1", "s2"], _rows(1)) == 2 * 10 + 20
    assert concurrency_for(0, ["s1", "s2"], {}) == 20


def test_the_automatic_bound_has_a_floor_and_a_ceiling() -> None:
    assert auto_concurrency(0, 0) == FLOOR
    assert auto_concurrency(1, 0) == max(FLOOR, PER_SUBSCRIPTION)
    assert auto_concurrency(3, 50) == AUTO_CEILING
    assert concurrency_for(0, [f"s{i}" for i in range(500)], _rows(5000)) == AUTO_CEILING


def test_a_user_bound_is_kept_within_one_and_the_ceiling() -> None:
    assert concurrency_for(4, ["s1"], _rows(50)) == 4
    assert concurrency_for(10_000, ["s1"], {}) == CEILING
    assert concurrency_for(-3, ["s1"], {}) == 1


def test_the_connection_pool_covers_the_most_in_flight() -> None:
    assert pool_size(0) == 2 * AUTO_CEILING
    assert pool_size(2) == 8
    assert pool_size(100) == 200
    assert pool_size(10_000) == 2 * CEILING


def test_vaults_are_read_a_few_at_a_time_to_fill_the_bound() -> None:
    from auditor.collect.limits import PER_VAULT_IN_FLIGHT, vaults_at_once

    assert vaults_at_once(64) == 64 // PER_VAULT_IN_FLIGHT
    assert vaults_at_once(1) == 1
