"""The emulator's DNS, asked by dig (dnsutils) and dnspython over UDP and TCP."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import dns.exception
import dns.flags
import dns.message
import dns.query
import dns.rcode
import pytest

from auditor.emulator.dns_server import DnsServer
from auditor.emulator.faults import FaultPlan
from auditor.emulator.requestlog import RequestLog
from auditor.errors import EstateError
from auditor.estate.load import Fault

CONTOSO = """\
$ORIGIN contoso.com.
$TTL 3600
@        IN SOA ns1.contoso.com. hostmaster.contoso.com. 2025091001 3600 600 604800 300
@        IN NS  ns1.contoso.com.
ns1      IN A   192.0.2.53
@        IN CAA 0 issue "digicert.com"
@        IN TXT "v=spf1 include:spf.protection.outlook.com -all"
@        IN MX  10 mail
mail     IN A   192.0.2.25
www      IN CNAME portal.contoso.com.
portal   IN CNAME contoso-portal.azurefd.net.
shop     IN CNAME gone.contoso.com.
api      IN A   192.0.2.10
api      IN AAAA 2001:db8::10
deep.ent IN A   192.0.2.11
ext      IN CNAME www.example.net.
"""

AZUREFD = """\
$ORIGIN azurefd.net.
@        300 IN SOA ns1-01.azure-dns.com. azuredns-hostmaster.microsoft.com. 1 3600 300 2419200 300
@        IN NS ns1-01.azure-dns.com.
contoso-portal IN CNAME contoso-portal.z01.azurefd.net.
contoso-portal.z01 IN A 203.0.113.7
"""


def _big_rrset(count: int) -> str:
    return "".join(f'big IN TXT "{i:03d} {"y" * 180}"\n' for i in range(count))


@pytest.fixture
def zone_files(tmp_path: Path) -> list[Path]:
    dns_dir = tmp_path / "dns"
    dns_dir.mkdir()
    contoso = dns_dir / "contoso.com.zone"
    contoso.write_text(CONTOSO + _big_rrset(12))
    azurefd = dns_dir / "azurefd.net.zone"
    azurefd.write_text(AZUREFD)
    return [contoso, azurefd]


@pytest.fixture
def log() -> RequestLog:
    return RequestLog()


@pytest.fixture
def serve(zone_files: list[Path], log: RequestLog) -> Iterator[Callable[..., int]]:
    servers: list[DnsServer] = []

    def start(faults: list[Fault] | None = None, latency: float = 0.0) -> int:
        server = DnsServer(zone_files, FaultPlan(faults or []), log, latency=latency)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


def dig(port: int, *args: str) -> str:
    digbin = shutil.which("dig")
    if digbin is None:
        pytest.skip("dig is not installed (Debian dnsutils)")
    result = subprocess.run([digbin, "@127.0.0.1", "-p", str(port), "+norec", "+time=2", "+tries=1", *args],
                            capture_output=True, text=True, timeout=15)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def records(output: str) -> list[list[str]]:
    return [line.split(None, 4) for line in output.splitlines() if line.strip() and not line.startswith(";")]


def ask(port: int, name: str, rdtype: str, tcp: bool = False, **kw: object) -> dns.message.Message:
    query = dns.message.make_query(name, rdtype, **kw)
    if tcp:
        return dns.query.tcp(query, "127.0.0.1", port=port, timeout=2)
    return dns.query.udp(query, "127.0.0.1", port=port, timeout=2)


def test_a_record_is_answered_authoritatively(serve):
    port = serve()
    out = dig(port, "api.contoso.com", "A")
    assert "status: NOERROR" in out and " aa" in out.split(";; flags:")[1].split(";")[0]
    assert records(dig(port, "+short", "api.contoso.com", "AAAA")) == [["2001:db8::10"]]
    assert records(dig(port, "+noall", "+answer", "api.contoso.com", "A")) == [
        ["api.contoso.com.", "3600", "IN", "A", "192.0.2.10"]]


def test_nxdomain_carries_the_soa_with_its_negative_ttl(serve):
    port = serve()
    out = dig(port, "+noall", "+comments", "+authority", "nothing.contoso.com", "A")
    assert "status: NXDOMAIN" in out
    soa = records(out)
    assert len(soa) == 1 and soa[0][:4] == ["contoso.com.", "300", "IN", "SOA"]


def test_empty_non_terminal_and_missing_type_are_nodata(serve):
    port = serve()
    for name, rdtype in [("ent.contoso.com", "A"), ("api.contoso.com", "TXT")]:
        out = dig(port, "+noall", "+comments", "+answer", "+authority", name, rdtype)
        assert "status: NOERROR" in out
        assert [r[3] for r in records(out)] == ["SOA"]


def test_cname_chain_is_followed_through_every_served_zone(serve):
    port = serve()
    answer = records(dig(port, "+noall", "+answer", "www.contoso.com", "A"))
    assert answer == [["www.contoso.com.", "3600", "IN", "CNAME", "portal.contoso.com."],
                      ["portal.contoso.com.", "3600", "IN", "CNAME", "contoso-portal.azurefd.net."],
                      ["contoso-portal.azurefd.net.", "300", "IN", "CNAME", "contoso-portal.z01.azurefd.net."],
                      ["contoso-portal.z01.azurefd.net.", "300", "IN", "A", "203.0.113.7"]]


def test_cname_leaving_the_served_zones_ends_the_answer(serve):
    port = serve()
    out = dig(port, "+noall", "+comments", "+answer", "+authority", "ext.contoso.com", "A")
    assert "status: NOERROR" in out
    assert records(out) == [["ext.contoso.com.", "3600", "IN", "CNAME", "www.example.net."]]


def test_cname_to_a_missing_name_is_nxdomain_with_the_cname(serve):
    port = serve()
    out = dig(port, "+noall", "+comments", "+answer", "+authority", "shop.contoso.com", "A")
    assert "status: NXDOMAIN" in out
    assert [r[3] for r in records(out)] == ["CNAME", "SOA"]


def test_caa_txt_and_mx_with_additional_address(serve):
    port = serve()
    assert records(dig(port, "+short", "contoso.com", "CAA")) == [['0', 'issue', '"digicert.com"']]
    assert records(dig(port, "+short", "contoso.com", "TXT")) == [
        ['"v=spf1', 'include:spf.protection.outlook.com', '-all"']]
    out = dig(port, "+noall", "+answer", "+additional", "contoso.com", "MX")
    assert records(out) == [["contoso.com.", "3600", "IN", "MX", "10 mail.contoso.com."],
                            ["mail.contoso.com.", "3600", "IN", "A", "192.0.2.25"]]


def test_names_outside_every_zone_are_refused(serve):
    port = serve()
    assert "status: REFUSED" in dig(port, "example.org", "A")
    assert ask(port, "contoso.com.evil.net", "A").rcode() == dns.rcode.REFUSED


def test_tcp_answers_like_udp(serve):
    port = serve()
    udp = records(dig(port, "+noall", "+answer", "www.contoso.com", "CNAME"))
    tcp = records(dig(port, "+tcp", "+noall", "+answer", "www.contoso.com", "CNAME"))
    assert udp == tcp == [["www.contoso.com.", "3600", "IN", "CNAME", "portal.contoso.com."]]


def test_big_answers_are_truncated_over_udp_and_whole_over_tcp(serve):
    port = serve()
    small = ask(port, "big.contoso.com", "TXT")                       # no EDNS: 512 bytes
    assert small.flags & dns.flags.TC
    edns = ask(port, "big.contoso.com", "TXT", use_edns=0, payload=1232)
    assert edns.flags & dns.flags.TC
    whole = ask(port, "big.contoso.com", "TXT", tcp=True)
    assert not whole.flags & dns.flags.TC and len(whole.answer[0]) == 12
    # dig retries over TCP by itself on TC, as resolvers do
    assert len(records(dig(port, "+noall", "+answer", "big.contoso.com", "TXT"))) == 12


def test_every_query_is_logged(serve, log):
    port = serve()
    ask(port, "WWW.Contoso.com", "A")
    ask(port, "nothing.contoso.com", "TXT", tcp=True)
    ask(port, "example.org", "A")
    assert [(e.key, e.status) for e in log.entries("dns")] == [
        ("www.contoso.com A", "NOERROR"), ("nothing.contoso.com TXT", "NXDOMAIN"), ("example.org A", "REFUSED")]


def test_servfail_fault_fires_only_its_times(serve, log):
    port = serve([Fault(service="dns", match="api.contoso", status="servfail", times=2)])
    rcodes = [ask(port, "api.contoso.com", "A").rcode() for _ in range(3)]
    assert rcodes == [dns.rcode.SERVFAIL, dns.rcode.SERVFAIL, dns.rcode.NOERROR]
    assert ask(port, "www.contoso.com", "A").rcode() == dns.rcode.NOERROR
    assert [e.status for e in log.entries("dns")][:3] == ["fault:servfail", "fault:servfail", "NOERROR"]


def test_timeout_fault_never_answers(serve):
    port = serve([Fault(service="dns", match="contoso.com", status="timeout", times=1)])
    query = dns.message.make_query("api.contoso.com", "A")
    with pytest.raises(dns.exception.Timeout):
        dns.query.udp(query, "127.0.0.1", port=port, timeout=0.3)
    assert ask(port, "api.contoso.com", "A").rcode() == dns.rcode.NOERROR


def test_malformed_fault_sends_bytes_that_do_not_parse(serve):
    port = serve([Fault(service="dns", match="www.", status="malformed")])
    for tcp in (False, True):
        with pytest.raises(dns.exception.DNSException):
            ask(port, "www.contoso.com", "A", tcp=tcp)
    assert ask(port, "api.contoso.com", "A").rcode() == dns.rcode.NOERROR


def test_latency_delays_each_answer(serve):
    port = serve(latency=0.2)
    started = time.monotonic()
    ask(port, "api.contoso.com", "A")
    assert time.monotonic() - started >= 0.2


def test_stop_releases_the_port(zone_files, log):
    server = DnsServer(zone_files, FaultPlan([]), log)
    port = server.start()
    server.stop()
    with pytest.raises(dns.exception.Timeout):
        dns.query.udp(dns.message.make_query("api.contoso.com", "A"), "127.0.0.1", port=port, timeout=0.3)


def test_a_broken_zone_file_is_one_estate_error(tmp_path, log):
    bad = tmp_path / "broken.com.zone"
    bad.write_text("$ORIGIN broken.com.\n@ IN SOA ns1 host 1 2 3 4\nwww IN A not-an-address\n")
    with pytest.raises(EstateError, match="broken.com.zone"):
        DnsServer([bad], FaultPlan([]), log)
    no_soa = tmp_path / "nosoa.com.zone"
    no_soa.write_text("$ORIGIN nosoa.com.\n$TTL 60\nwww IN A 192.0.2.1\n")
    with pytest.raises(EstateError, match="no SOA"):
        DnsServer([no_soa], FaultPlan([]), log)


def test_zone_without_origin_takes_the_file_name(tmp_path, log):
    plain = tmp_path / "fabrikam.net.zone"
    plain.write_text("$TTL 60\n@ IN SOA ns1 host 1 2 3 4 5\n@ IN NS ns1\nns1 IN A 192.0.2.1\n")
    server = DnsServer([plain], FaultPlan([]), log)
    port = server.start()
    try:
        assert ask(port, "ns1.fabrikam.net", "A").answer[0][0].address == "192.0.2.1"
    finally:
        server.stop()
