"""Delegated subzones found by NS lookups are zones that matter of their own: an Azure DNS zone
in scope does not cover a child delegated elsewhere (its NS records hand the names away)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from auditor.collect.context import CollectContext, Network
from auditor.collect.zone_sources import list_zones
from auditor.config import DnsConfig, default_config
from auditor.emulator.dns_server import DnsServer
from auditor.emulator.faults import FaultPlan
from auditor.emulator.requestlog import RequestLog
from auditor.model import CoverageGap, GapReason, Source
from tests.rules.factories import domain, healthy, record, with_, zone

PARENT = """\
$ORIGIN fabrikam.org.
@    300 IN SOA ns1 host 1 3600 600 604800 300
@    300 IN NS ns1
ns1  300 IN A 192.0.2.1
www  300 IN CNAME fabrikam-web.azurewebsites.net.
eu   300 IN NS ns1.eu
ns1.eu 300 IN A 192.0.2.2
"""
CHILD = """\
$ORIGIN eu.fabrikam.org.
@    300 IN SOA ns1 host 1 3600 600 604800 300
@    300 IN NS ns1
ns1  300 IN A 192.0.2.2
api  300 IN CNAME fabrikam-eu.azurewebsites.net.
"""


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    folder = tmp_path_factory.mktemp("delegation")
    (folder / "fabrikam.org.zone").write_text(PARENT)
    (folder / "eu.fabrikam.org.zone").write_text(CHILD)
    server = DnsServer(sorted(folder.glob("*.zone")), FaultPlan([]), RequestLog())
    yield server.start()
    server.stop()


def context(port: int) -> CollectContext:
    config = default_config()
    return CollectContext(config=config, cloud=config.cloud, as_of=datetime(2025, 9, 10, tzinfo=UTC),
                          network=Network(dns_nameservers=("127.0.0.1",), dns_port=port))


DELEGATION = record("eu.fabrikam.org", "NS", "ns1.eu.fabrikam.org", zone_name="fabrikam.org")


async def test_a_delegated_child_of_an_azure_dns_zone_is_a_zone_of_its_own(port: int) -> None:
    """The Azure DNS zone's NS record set says so."""
    inventory = with_(healthy(), resources=(zone("fabrikam.org"),), dns_records=(DELEGATION,),
                      custom_domains=(domain("www.fabrikam.org"), domain("api.eu.fabrikam.org")), bindings=())
    listing = await list_zones(inventory, context(port))
    [gap] = listing.gaps
    assert (gap.source.value, gap.target, gap.reason.value) == ("dns-zone", "eu.fabrikam.org", "not-listable")
    assert "holds api.eu.fabrikam.org" in gap.detail and not gap.acknowledged


async def test_when_the_azure_zone_was_not_read_dns_is_asked(port: int) -> None:
    unread = zone("fabrikam.org")
    inventory = with_(healthy(), resources=(unread,), custom_domains=(domain("api.eu.fabrikam.org"),), bindings=(),
                      gaps=(CoverageGap(Source.ARM, unread.id, GapReason.FORBIDDEN, "record sets not read"),))
    listing = await list_zones(inventory, context(port))
    assert [(g.source.value, g.target) for g in listing.gaps] == [("dns-zone", "eu.fabrikam.org")]


async def test_supplied_child_zone_adds_its_records(port: int, tmp_path: Path) -> None:
    (tmp_path / "eu.zone").write_text(CHILD)
    (tmp_path / "auditor.toml").write_text("")
    config = replace(default_config(), source=tmp_path / "auditor.toml", dns=DnsConfig(zone_files=("eu.zone",)))
    ctx = context(port)
    ctx = CollectContext(config=config, cloud=config.cloud, as_of=ctx.as_of, network=ctx.network)
    inventory = with_(healthy(), resources=(zone("fabrikam.org"),),
                      custom_domains=(domain("api.eu.fabrikam.org"),), bindings=())
    listing = await list_zones(inventory, ctx)
    assert listing.gaps == []
    api = [r for r in listing.records if r.fqdn == "api.eu.fabrikam.org"]
    assert [(r.type, r.values, r.zone) for r in api] == [("CNAME", ("fabrikam-eu.azurewebsites.net",), "eu.fabrikam.org")]
