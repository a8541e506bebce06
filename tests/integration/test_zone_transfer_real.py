"""The zone-transfer collector against Knot: AXFR allowed, refused (Knot's default without an
ACL, as at most providers), and TSIG-signed (RFC 8945) with the right key, no key and a wrong one;
and the emulator's AXFR gives the same records as Knot's for the same zone file."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from realservers import start_knot

from auditor.collect.dns_query import Servers
from auditor.collect.zone_records import records_of
from auditor.collect.zone_transfer import Transfer, TsigKey, transfer, tsig_key
from auditor.config import DnsConfig
from auditor.emulator.dns_server import DnsServer
from auditor.emulator.faults import FaultPlan
from auditor.emulator.requestlog import RequestLog

pytestmark = pytest.mark.integration

SECRET = base64.b64encode(b"auditor-transfer-test-key-32byte").decode()
ZONE_TEXT = """\
$ORIGIN {origin}.
$TTL 300
@        IN SOA ns1.{origin}. hostmaster.{origin}. 2025091001 3600 600 604800 300
@        IN NS  ns1.{origin}.
ns1      IN A   192.0.2.53
www      IN CNAME fabrikam-web.azurewebsites.net.
legacy   IN CNAME gone-app.azurewebsites.net.
@        IN CAA 0 issue "digicert.com"
@        IN TXT "v=spf1 -all"
mail     IN MX  10 mx.{origin}.
"""
MODES = {"open.example": "open", "signed.example": "tsig", "closed.example": None}


@pytest.fixture(scope="module")
def zones(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("xfr-zones")
    paths = []
    for origin in MODES:
        path = folder / f"{origin}.zone"
        path.write_text(ZONE_TEXT.format(origin=origin), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def knot(zones: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    transfers = {z: m for z, m in MODES.items() if m is not None}
    with start_knot(zones, tmp_path_factory.mktemp("knot-xfr"), transfers=transfers,
                    tsig=("auditor-xfr", "hmac-sha256", SECRET)) as port:
        yield Servers(("127.0.0.1",), port, 3.0)


@pytest.fixture(scope="module")
def emulator(zones: list[Path]) -> Iterator[Servers]:
    server = DnsServer(zones, FaultPlan([]), RequestLog(), axfr_zones=frozenset({"open.example"}))
    yield Servers(("127.0.0.1",), server.start(), 3.0)
    server.stop()


def key(monkeypatch: pytest.MonkeyPatch, value: str) -> TsigKey:
    monkeypatch.setenv("AUDITOR_TEST_TSIG", value)
    found = tsig_key(DnsConfig(zone_transfer_tsig_key_env="AUDITOR_TEST_TSIG"))
    assert found is not None
    return found


def listed(result: Transfer) -> set[tuple[str, str, tuple[str, ...]]]:
    assert result.zone is not None, result.detail
    return {(r.fqdn, r.type, r.values) for r in records_of(result.zone, "")}


async def test_an_open_zone_transfers(knot: Servers) -> None:
    records = listed(await transfer("open.example", knot, None))
    assert ("legacy.open.example", "CNAME", ("gone-app.azurewebsites.net",)) in records
    assert ("open.example", "CAA", ('0 issue "digicert.com"',)) in records


async def test_a_zone_without_an_acl_refuses(knot: Servers) -> None:
    result = await transfer("closed.example", knot, None)
    assert result.zone is None and "refused the zone transfer" in result.detail


async def test_tsig_with_the_right_key(knot: Servers, monkeypatch: pytest.MonkeyPatch) -> None:
    records = listed(await transfer("signed.example", knot, key(monkeypatch, f"hmac-sha256:auditor-xfr:{SECRET}")))
    assert ("www.signed.example", "CNAME", ("fabrikam-web.azurewebsites.net",)) in records


async def test_tsig_zone_without_a_key_or_with_a_wrong_one_is_not_listed(
        knot: Servers, monkeypatch: pytest.MonkeyPatch) -> None:
    assert (await transfer("signed.example", knot, None)).zone is None
    wrong = base64.b64encode(b"a-different-secret-of-32-bytes!!").decode()
    result = await transfer("signed.example", knot, key(monkeypatch, f"auditor-xfr:{wrong}"))
    assert result.zone is None and result.detail


async def test_the_emulator_transfers_what_knot_transfers(knot: Servers, emulator: Servers) -> None:
    assert listed(await transfer("open.example", emulator, None)) == listed(await transfer("open.example", knot, None))
    refused = await transfer("closed.example", emulator, None)
    assert refused.zone is None and "refused the zone transfer (REFUSED)" in refused.detail
