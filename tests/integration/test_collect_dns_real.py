"""observe_dns gives the same observations from Knot and NSD as from the emulator.

The zone files are the DNS parity estate (every answer shape an authoritative server
gives); the collector walks CNAME chains itself, so it must not matter that Knot stops
a chain at its zone's edge while NSD and the emulator follow it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from realservers import start_knot, start_nsd

from auditor.collect.context import CollectContext, Network
from auditor.collect.dns import observe_dns
from auditor.config import CollectConfig, default_config
from auditor.emulator.dns_server import DnsServer
from auditor.emulator.faults import FaultPlan
from auditor.emulator.requestlog import RequestLog
from auditor.model.common import GapReason
from auditor.model.dns import CnameHop, DnsObservation, DnsStatus
from integration.dns_estate import QUESTIONS, write_zones

pytestmark = pytest.mark.integration
NAMES = list(dict.fromkeys(name.lower() for name, _ in QUESTIONS))


@pytest.fixture(scope="module")
def zones(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_zones(tmp_path_factory.mktemp("zones"))


@pytest.fixture(scope="module")
def emulator_port(zones: list[Path]) -> Iterator[int]:
    server = DnsServer(zones, FaultPlan([]), RequestLog())
    yield server.start()
    server.stop()


def context_for(port: int) -> CollectContext:
    config = default_config()
    config = replace(config, collect=CollectConfig(dns_timeout_seconds=2.0, dns_concurrency=8))
    return CollectContext(config=config, cloud=config.cloud,
                          network=Network(dns_nameservers=("127.0.0.1",), dns_port=port),
                          as_of=datetime(2025, 9, 10, tzinfo=UTC))


async def observe(port: int) -> tuple[dict[str, DnsObservation], set[tuple[str, GapReason]]]:
    observations, gaps = await observe_dns(NAMES, context_for(port))
    return {o.name: o for o in observations}, {(g.target, g.reason) for g in gaps}


@pytest.mark.parametrize("start", [start_knot, start_nsd], ids=["knot", "nsd"])
async def test_same_observations_as_the_emulator(start, zones: list[Path], emulator_port: int,  # type: ignore[no-untyped-def]
                                                 tmp_path: Path) -> None:
    expected, expected_gaps = await observe(emulator_port)
    with start(zones, tmp_path) as port:
        observed, observed_gaps = await observe(port)
    for name in NAMES:
        # the detail names the server's address and port, which differ by design
        assert replace(observed[name], detail="") == replace(expected[name], detail=""), name
    assert observed_gaps == expected_gaps


async def test_the_parity_estate_reads_as_expected(emulator_port: int) -> None:
    observed, gaps = await observe(emulator_port)
    assert observed["www.contoso.com"].chain == (
        CnameHop("www.contoso.com", "portal.contoso.com"),
        CnameHop("portal.contoso.com", "contoso-portal.azurefd.net"),
        CnameHop("contoso-portal.azurefd.net", "contoso-portal.z01.azurefd.net"))
    assert observed["www.contoso.com"].addresses == ("203.0.113.7",)
    assert observed["www.contoso.com"].caa_owner == "contoso.com"
    assert observed["x.apps.contoso.com"].chain == (
        CnameHop("x.apps.contoso.com", "apps-ingress.azurewebsites.net"),)
    assert observed["shop.contoso.com"].status is DnsStatus.NXDOMAIN
    assert observed["loop-a.contoso.com"].status is DnsStatus.SERVFAIL
    assert observed["asuid.www.contoso.com"].status is DnsStatus.NODATA
    assert observed["www.contoso.com"].txt == (("asuid.www.contoso.com", "0123456789ABCDEF"),)
    # names no served zone holds are refused, and so are chains that lead out of the
    # served zones (signin -> *.azurewebsites.windows.net): the audit could not see them
    assert gaps == {(name, GapReason.UNAVAILABLE) for name in
                    ("example.org", "contoso.co", "login.contoso.com", "signin.azurewebsites.net")} | {
        # a loop is broken for users, and where it leads could not be checked: never silent
        ("loop-a.contoso.com", GapReason.MALFORMED)}
    assert observed["login.contoso.com"].final_name == "waws-prod-am2-123.sip.azurewebsites.windows.net"
