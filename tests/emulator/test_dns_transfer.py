"""The emulator's zone transfers: dns/<zone>.json {"axfr": true} allows AXFR over TCP (RFC 5936),
split over several messages when large; every other zone, a name below an apex, and AXFR over UDP
(RFC 5936 section 4.2: TCP only) are REFUSED, as Knot does by default and most providers do
(Azure DNS has no zone transfer: https://learn.microsoft.com/en-us/azure/dns/dns-faq)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dns.message
import dns.query
import dns.rcode
import dns.xfr
import dns.zone
import pytest

from auditor.emulator.dns_server import DnsServer
from auditor.emulator.faults import FaultPlan
from auditor.emulator.requestlog import RequestLog
from auditor.estate.load import load_estate

BIG = 3000   # TXT records of 200 bytes: far more than one 64 KiB message holds


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    folder = tmp_path_factory.mktemp("xfr")
    big = folder / "big.example.zone"
    big.write_text("$ORIGIN big.example.\n$TTL 300\n@ IN SOA ns1 host 7 3600 600 604800 300\n@ IN NS ns1\n"
                   "ns1 IN A 192.0.2.1\nwww IN CNAME app.azurewebsites.net.\n"
                   + "".join(f"t{i} IN TXT \"{'x' * 200}\"\n" for i in range(BIG)))
    closed = folder / "closed.example.zone"
    closed.write_text("$ORIGIN closed.example.\n@ 300 IN SOA ns1 host 1 3600 600 604800 300\n@ 300 IN NS ns1\n")
    server = DnsServer([big, closed], FaultPlan([]), RequestLog(), axfr_zones=frozenset({"big.example"}))
    yield server.start()
    server.stop()


def test_an_allowed_zone_transfers_whole_over_several_messages(port: int) -> None:
    zone = dns.zone.Zone("big.example.")
    dns.query.inbound_xfr("127.0.0.1", zone, port=port, timeout=5)
    assert len(zone.nodes) == BIG + 3     # apex, ns1, www and every TXT owner
    assert str(zone.get_rdataset("www", "CNAME")) == "300 IN CNAME app.azurewebsites.net."
    messages = list(dns.query.xfr("127.0.0.1", "big.example.", port=port, timeout=5))
    assert len(messages) > 1


@pytest.mark.parametrize("name", ["closed.example.", "www.big.example.", "nowhere.example."])
def test_other_transfers_are_refused(port: int, name: str) -> None:
    with pytest.raises(dns.xfr.TransferError) as refused:
        dns.query.inbound_xfr("127.0.0.1", dns.zone.Zone(name), port=port, timeout=5)
    assert refused.value.rcode == dns.rcode.REFUSED


def test_axfr_over_udp_is_refused(port: int) -> None:
    answer = dns.query.udp(dns.message.make_query("big.example.", "AXFR"), "127.0.0.1", port=port, timeout=5)
    assert answer.rcode() == dns.rcode.REFUSED and not answer.answer


def test_the_estate_reads_which_zones_allow_a_transfer(tmp_path: Path) -> None:
    (tmp_path / "estate.json").write_text('{"format": "auditor-estate/1", "tenant_id": "t", "as_of": '
                                          '"2025-09-10T00:00:00Z", "subscriptions": [{"subscriptionId": "s"}], '
                                          '"names_taken_elsewhere": ["Fab-Shop.azurewebsites.net."]}')
    (tmp_path / "dns").mkdir()
    (tmp_path / "dns" / "fabrikam.org.json").write_text('{"axfr": true}')
    (tmp_path / "dns" / "fabrikam.io.json").write_text('{"axfr": false}')
    estate = load_estate(tmp_path)
    assert estate.axfr_zones == {"fabrikam.org"}
    assert estate.names_taken_elsewhere == ["fab-shop.azurewebsites.net"]
