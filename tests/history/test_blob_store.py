from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from azure.storage.blob import BlobServiceClient
from report.factories import AS_OF, finding, report

from auditor.config import default_config
from auditor.errors import AuditorError
from auditor.history import BlobHistoryStore, BlobTarget, open_store
from auditor.model.common import Severity

from .azurite import ACCOUNT, ACCOUNT_KEY, AZURITE, azurite_blob

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not AZURITE.exists(), reason="Azurite is installed by `make` under .tools/"),
]

A = finding("cert-expiring", Severity.HIGH, "a.contoso.com")
B = finding("dangling-dns", Severity.CRITICAL, "b.contoso.com")
C = finding("tls-weak-protocol", Severity.MEDIUM, "c.contoso.com")


@pytest.fixture(scope="module")
def account_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with azurite_blob(tmp_path_factory.mktemp("azurite")) as url:
        yield url


def _target(account_url: str, container: str) -> BlobTarget:
    return BlobTarget(account_url=account_url, container=container,
                      credential={"account_name": ACCOUNT, "account_key": ACCOUNT_KEY}, prefix="tenant-a/")


def test_runs_and_diffs_in_blob_storage(account_url: str) -> None:
    store = open_store(default_config(), blob=_target(account_url, "history-basic"))
    assert isinstance(store, BlobHistoryStore)
    first = store.record(report([A, B], as_of=AS_OF))
    second = store.record(report([A], as_of=AS_OF + timedelta(days=7)))
    third = store.record(report([A, C], as_of=AS_OF + timedelta(days=14)))
    assert first.earlier is None and len(first.new) == 2
    assert [c.finding.id for c in second.resolved] == [B.id] and second.new == ()
    assert [c.finding.id for c in third.new] == [C.id]
    assert [(c.finding.first_seen, c.age_days) for c in third.still_open] == [(AS_OF, 14)]

    runs = store.runs()
    assert [r.run_id for r in runs] == [d.later.run_id for d in (first, second, third)]
    assert [c.finding.id for c in store.diff(runs[0].run_id, runs[2].run_id).resolved] == [B.id]
    assert store.get(runs[1].run_id).report["findings"][0]["id"] == A.id

    # One document per run plus the index, under the prefix.
    service = BlobServiceClient(account_url, credential={"account_name": ACCOUNT, "account_key": ACCOUNT_KEY})
    names = sorted(b.name for b in service.get_container_client("history-basic").list_blobs())
    assert names == sorted(["tenant-a/index.json", *(f"tenant-a/runs/{r.run_id}.json" for r in runs)])


def test_concurrent_writers_lose_no_run(account_url: str) -> None:
    def write(label: str) -> list[str]:
        store = BlobHistoryStore(_target(account_url, "history-race"))
        return [store.record(report([finding(subject=f"{label}-{i}.contoso.com")],
                                    as_of=AS_OF + timedelta(days=i))).later.run_id for i in range(5)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        written = [run for runs in pool.map(write, ["w1", "w2", "w3", "w4"]) for run in runs]
    store = BlobHistoryStore(_target(account_url, "history-race"))
    listed = [r.run_id for r in store.runs()]
    assert sorted(listed) == sorted(written) and len(listed) == 20
    # Each run was diffed against the run the index held just before it.
    for before, after in zip(listed, listed[1:], strict=False):
        assert store.get(after).findings[0].first_seen == store.get(after).summary.as_of
        assert len(store.diff(before, after).resolved) == 1


def test_unknown_run_is_one_clear_error(account_url: str) -> None:
    store = BlobHistoryStore(_target(account_url, "history-missing"))
    assert store.runs() == []
    with pytest.raises(AuditorError, match="no run"):
        store.get("20250101T000000Z-deadbeef")


def test_unreachable_storage_is_one_clear_error(tmp_path: Path) -> None:
    target = BlobTarget(account_url="http://127.0.0.1:9/devstoreaccount1", container="x",
                        credential={"account_name": ACCOUNT, "account_key": ACCOUNT_KEY}, retry_total=0)
    with pytest.raises(AuditorError, match="cannot open history container"):
        BlobHistoryStore(target)
