"""observe_dns against real DNS servers on loopback: the estate emulator's, Knot and NSD.

One suite, parametrised over the backends, both serving the same zone files written
here. Faults the real servers cannot produce on demand (SERVFAIL, timeouts, malformed
answers) are tested on the emulator only.
"""

from __future__ import annotations

import importlib
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from auditor.collect.context import CollectContext, Network
from auditor.collect.dns import observe_dns
from auditor.config import CollectConfig, default_config
from auditor.emulator.dns_server import DnsServer
from auditor.emulator.faults import FaultPlan
from auditor.emulator.requestlog import RequestLog
from auditor.estate.load import Fault
from auditor.model.common import GapReason, Source
from auditor.model.dns import CaaRecord, CnameHop, DnsStatus

ZONES = {
    "example.test": """
$ORIGIN example.test.
$TTL 300
@        SOA ns1 hostmaster 1 3600 600 86400 300
@        NS  ns1
ns1      A   127.0.0.1
@        CAA 0 issue "digicert.com"
@        CAA 0 iodef "mailto:security@example.test"
www      CNAME www-contoso.azurefd.net.
app      CNAME web
web      CNAME direct
direct   A   192.0.2.10
direct   AAAA 2001:db8::10
textonly TXT "v=spf1 -all"
loop1    CNAME loop2
loop2    CNAME loop1
dangling CNAME gone-app.azurewebsites.net.
_dnsauth.www TXT "token-for-front-door"
asuid.direct TXT "0123456789ABCDEF"
flaky    A   192.0.2.30
slow     A   192.0.2.31
garbled  A   192.0.2.32
""",
    "azurefd.net": """
$ORIGIN azurefd.net.
$TTL 300
@        SOA ns1.example.test. hostmaster.example.test. 1 3600 600 86400 300
@        NS  ns1.example.test.
www-contoso      CNAME www-contoso.z01.azurefd.net.
www-contoso.z01  A 192.0.2.20
""",
    "azurewebsites.net": """
$ORIGIN azurewebsites.net.
$TTL 300
@        SOA ns1.example.test. hostmaster.example.test. 1 3600 600 86400 300
@        NS  ns1.example.test.
live-app A 192.0.2.40
""",
    "other.test": """
$ORIGIN other.test.
$TTL 300
@        SOA ns1.example.test. hostmaster.example.test. 1 3600 600 86400 300
@        NS  ns1.example.test.
shop     CAA 128 issue "letsencrypt.org"
a.b.shop A 192.0.2.50
""" + "".join(f"big A 198.51.100.{i}\n" for i in range(1, 61)),
}


@dataclass(frozen=True)
class Backend:
    kind: str
    port: int
    log: RequestLog | None      # the emulator's request log; None for real servers


def write_zones(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for zone, text in ZONES.items():
        path = folder / f"{zone}.zone"
        path.write_text(text.lstrip(), encoding="ascii")
        paths.append(path)
    return paths


def start_emulator(zone_files: list[Path], faults: list[Fault]) -> tuple[DnsServer, RequestLog]:
    log = RequestLog()
    server = DnsServer(zone_files, FaultPlan(faults), log)
    server.start()
    return server, log


def realservers():  # type: ignore[no-untyped-def]
    """The shared helpers that run Knot, NSD and nginx (tests/realservers)."""
    tests_dir = str(Path(__file__).resolve().parents[1])
    if tests_dir not in sys.path:
        sys.path.append(tests_dir)
    return importlib.import_module("realservers")


@pytest.fixture(scope="module", params=["emulator", pytest.param("knot", marks=pytest.mark.integration),
                                        pytest.param("nsd", marks=pytest.mark.integration)])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    folder = tmp_path_factory.mktemp(f"dns-{request.param}")
    zone_files = write_zones(folder / "dns")
    if request.param == "emulator":
        server, log = start_emulator(zone_files, [])
        try:
            yield Backend("emulator", server.port, log)
        finally:
            server.stop()
        return
    start = realservers().start_knot if request.param == "knot" else realservers().start_nsd
    with start(zone_files, folder) as port:
        yield Backend(request.param, port, None)


def context_for(port: int, **collect: float | int) -> CollectContext:
    config = default_config()
    config = replace(config, collect=replace(CollectConfig(dns_timeout_seconds=2.0), **collect))
    return CollectContext(config=config, cloud=config.cloud,
                          network=Network(dns_nameservers=("127.0.0.1",), dns_port=port),
                          as_of=datetime(2025, 9, 10, tzinfo=UTC))


async def observe_one(backend: Backend, name: str):  # type: ignore[no-untyped-def]
    observations, gaps = await observe_dns([name], context_for(backend.port))
    assert len(observations) == 1
    return observations[0], gaps


# -- the shared suite: the same answers from the emulator and from knot/nsd ----------------------

async def test_cname_chain_across_zones_is_recorded_hop_by_hop(backend: Backend) -> None:
    obs, gaps = await observe_one(backend, "WWW.Example.Test.")
    assert obs.name == "www.example.test"
    assert obs.status is DnsStatus.NOERROR
    assert obs.chain == (CnameHop("www.example.test", "www-contoso.azurefd.net"),
                         CnameHop("www-contoso.azurefd.net", "www-contoso.z01.azurefd.net"))
    assert obs.final_name == "www-contoso.z01.azurefd.net"
    assert obs.addresses == ("192.0.2.20",)
    assert gaps == []


async def test_in_zone_chain_is_recorded_even_though_the_server_follows_it(backend: Backend) -> None:
    obs, _ = await observe_one(backend, "app.example.test")
    assert obs.chain == (CnameHop("app.example.test", "web.example.test"),
                         CnameHop("web.example.test", "direct.example.test"))
    assert obs.addresses == ("192.0.2.10", "2001:db8::10")


async def test_nxdomain_is_an_answer_not_a_gap(backend: Backend) -> None:
    obs, gaps = await observe_one(backend, "nothing-here.example.test")
    assert obs.status is DnsStatus.NXDOMAIN
    assert obs.addresses == ()
    assert gaps == []


async def test_nodata_when_the_name_exists_without_addresses(backend: Backend) -> None:
    obs, gaps = await observe_one(backend, "textonly.example.test")
    assert obs.status is DnsStatus.NODATA
    assert gaps == []


async def test_dangling_cname_ends_in_nxdomain_with_its_chain(backend: Backend) -> None:
    obs, gaps = await observe_one(backend, "dangling.example.test")
    assert obs.status is DnsStatus.NXDOMAIN
    assert obs.chain == (CnameHop("dangling.example.test", "gone-app.azurewebsites.net"),)
    assert obs.final_name == "gone-app.azurewebsites.net"
    assert gaps == []


async def test_cname_loop_stops(backend: Backend) -> None:
    obs, gaps = await observe_one(backend, "loop1.example.test")
    assert obs.status is DnsStatus.SERVFAIL
    assert "loop" in obs.detail
    assert [h.name for h in obs.chain] == ["loop1.example.test", "loop2.example.test"]
    assert obs.broken_chain == "loop"
    # Broken for its users, and never a silent "complete": where it leads could not be checked.
    assert [(g.source, g.target, g.reason) for g in gaps] == [(Source.DNS, "loop1.example.test", GapReason.MALFORMED)]


async def test_caa_climbs_to_the_apex(backend: Backend) -> None:
    obs, _ = await observe_one(backend, "direct.example.test")
    assert obs.caa_owner == "example.test"
    assert obs.caa == (CaaRecord(0, "iodef", "mailto:security@example.test"),
                       CaaRecord(0, "issue", "digicert.com"))


async def test_caa_stops_at_the_first_non_empty_set(backend: Backend) -> None:
    obs, gaps = await observe_one(backend, "a.b.shop.other.test")
    assert obs.caa_owner == "shop.other.test"
    assert obs.caa == (CaaRecord(128, "issue", "letsencrypt.org"),)
    assert gaps == []


async def test_no_caa_anywhere(backend: Backend) -> None:
    obs, gaps = await observe_one(backend, "big.other.test")
    assert obs.caa == ()
    assert obs.caa_owner is None
    assert gaps == []


async def test_validation_txt_records(backend: Backend) -> None:
    www, _ = await observe_one(backend, "www.example.test")
    direct, _ = await observe_one(backend, "direct.example.test")
    assert www.txt == (("_dnsauth.www.example.test", "token-for-front-door"),)
    assert direct.txt == (("asuid.direct.example.test", "0123456789ABCDEF"),)


async def test_truncated_answer_is_asked_again_over_tcp(backend: Backend) -> None:
    obs, _ = await observe_one(backend, "big.other.test")
    assert len(obs.addresses) == 60   # 60 A records do not fit in 512 bytes of UDP


async def test_many_names_deduplicated_in_order(backend: Backend) -> None:
    names = ["direct.example.test", "DIRECT.example.test.", "www.example.test", "", "nothing.other.test"]
    observations, gaps = await observe_dns(names, context_for(backend.port, dns_concurrency=2))
    assert [o.name for o in observations] == ["direct.example.test", "www.example.test", "nothing.other.test"]
    assert [o.status for o in observations] == [DnsStatus.NOERROR, DnsStatus.NOERROR, DnsStatus.NXDOMAIN]
    assert gaps == []


async def test_a_question_many_names_lead_to_is_asked_once_with_the_same_answers(backend: Backend) -> None:
    """A parent's CAA set and a CNAME target's addresses are one question for every name that
    leads there (as a caching resolver would answer them), and each name's observation is the
    one it gets alone."""
    names = ["app.example.test", "web.example.test", "direct.example.test", "www.example.test"]
    alone = [(await observe_one(backend, n))[0] for n in names]
    if backend.log is not None:
        backend.log.clear()
    together, gaps = await observe_dns(names, context_for(backend.port, dns_concurrency=4))
    assert together == alone and gaps == []
    if backend.log is None:
        return      # knot and nsd keep no request log: the answers above are the check
    asked = Counter(e.key for e in backend.log.entries("dns"))
    assert asked["example.test CAA"] == 1 and asked["test CAA"] == 0      # the apex has a set
    # direct.example.test is both a name of its own and the end of two chains: its own
    # question, and one shared by app and web.
    assert asked["direct.example.test A"] == 2 and asked["direct.example.test AAAA"] == 2
    assert asked["app.example.test A"] == 1 and asked["web.example.test A"] == 2


# -- faults only the emulator can inject on demand -----------------------------------------------

@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    zone_files = write_zones(tmp_path_factory.mktemp("dns-faults") / "dns")
    faults = [
        Fault("dns", "flaky.example.test", "servfail"),
        Fault("dns", "slow.example.test", "timeout"),
        Fault("dns", "garbled.example.test", "malformed"),
    ]
    server, log = start_emulator(zone_files, faults)
    try:
        yield Backend("emulator", server.port, log)
    finally:
        server.stop()


async def test_servfail_is_observed_and_is_a_gap(faulty: Backend) -> None:
    obs, gaps = await observe_one(faulty, "flaky.example.test")
    assert obs.status is DnsStatus.SERVFAIL
    assert gaps[0].source is Source.DNS
    assert gaps[0].target == "flaky.example.test"
    assert {g.reason for g in gaps} == {GapReason.UNAVAILABLE}


async def test_timeout_is_tried_over_udp_twice_then_tcp_and_is_a_gap(faulty: Backend) -> None:
    assert faulty.log is not None
    faulty.log.clear()
    observations, gaps = await observe_dns(["slow.example.test"],
                                           context_for(faulty.port, dns_timeout_seconds=0.15))
    assert observations[0].status is DnsStatus.TIMEOUT
    assert {(g.target, g.reason) for g in gaps} == {("slow.example.test", GapReason.TIMEOUT)}
    a_queries = [e for e in faulty.log.entries("dns") if e.key == "slow.example.test A"]
    assert len(a_queries) == 3


async def test_malformed_answer_is_malformed_and_a_gap(faulty: Backend) -> None:
    obs, gaps = await observe_one(faulty, "garbled.example.test")
    assert obs.status is DnsStatus.MALFORMED
    assert GapReason.MALFORMED in {g.reason for g in gaps}


async def test_a_passing_timeout_is_recovered_by_the_retry(tmp_path: Path) -> None:
    zone_files = write_zones(tmp_path / "dns")
    # The first query and its UDP retry are dropped; the TCP try answers.
    server, log = start_emulator(zone_files, [Fault("dns", "direct.example.test", "timeout", times=2)])
    try:
        observations, gaps = await observe_dns(["direct.example.test"],
                                               context_for(server.port, dns_timeout_seconds=0.15))
    finally:
        server.stop()
    assert observations[0].status is DnsStatus.NOERROR
    assert observations[0].addresses == ("192.0.2.10", "2001:db8::10")
    assert gaps == []
    statuses = [e.status for e in log.entries("dns") if e.key == "direct.example.test A"]
    assert statuses == ["fault:timeout", "fault:timeout", "NOERROR"]


async def test_an_unreachable_server_is_a_gap_for_every_name(tmp_path: Path) -> None:
    zone_files = write_zones(tmp_path / "dns")
    server, _ = start_emulator(zone_files, [])
    port = server.port
    server.stop()   # nothing listens on the port any more
    observations, gaps = await observe_dns(["direct.example.test", "www.example.test"],
                                           context_for(port, dns_timeout_seconds=0.1))
    assert {o.status for o in observations} <= {DnsStatus.TIMEOUT, DnsStatus.SERVFAIL}
    assert {g.target for g in gaps} == {"direct.example.test", "www.example.test"}


async def test_a_shared_question_that_fails_is_a_gap_of_every_name_that_needed_it(tmp_path: Path) -> None:
    zone_files = write_zones(tmp_path / "dns")
    # app -> web -> direct and web -> direct: the end of both chains fails to answer.
    server, log = start_emulator(zone_files, [Fault("dns", "direct.example.test", "servfail")])
    try:
        observations, gaps = await observe_dns(["app.example.test", "web.example.test"],
                                               context_for(server.port, dns_concurrency=2))
    finally:
        server.stop()
    assert [o.status for o in observations] == [DnsStatus.SERVFAIL, DnsStatus.SERVFAIL]
    assert [o.chain[-1] for o in observations] == [CnameHop("web.example.test", "direct.example.test")] * 2
    assert {(g.target, g.reason) for g in gaps} == {("app.example.test", GapReason.UNAVAILABLE),
                                                    ("web.example.test", GapReason.UNAVAILABLE)}
    # One question, asked again once after a transient failure, for both names.
    assert [e.status for e in log.entries("dns") if e.key == "direct.example.test A"] == ["fault:servfail"] * 2
