"""DNS the audit cannot list from Azure: zones at other providers, supplied by zone file or
zone transfer, and a `dns-zone` gap for every zone that matters and neither supplied.

Records from supplied zones join the inventory exactly as Azure DNS record sets do. A zone
file that disagrees with what its zone's servers answer is a `dns-zone` gap, reason `stale`.
A zone the user acknowledged as unlisted (dns.unlisted_zones_acknowledged) is still a gap,
marked acknowledged: listed in the report, not making the audit incomplete, and a
decommission check of a name in it is still never safe.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

import dns.zone

from auditor.collect.context import CollectContext
from auditor.collect.dns_query import Reply, Servers, servers_for
from auditor.collect.zone_records import read_zone_file, records_of, soa_serial, zone_origin
from auditor.collect.zone_servers import ZoneAnswer, authoritative, is_delegated, zone_answer
from auditor.collect.zone_staleness import differences
from auditor.collect.zone_transfer import transfer, tsig_key
from auditor.collect.zones_that_matter import delegation_candidates, hosts_by_domain, zone_of
from auditor.errors import ConfigError
from auditor.model import CoverageGap, DnsRecord, GapReason, Inventory, Source
from auditor.model.dns import DnsStatus
from auditor.normalise.hostnames import normalise

AZURE_DNS_ZONE_TYPE = "microsoft.network/dnszones"
HOW_TO_SUPPLY = ("export it from its DNS provider and list the file in dns.zone_files, or allow a zone "
                 "transfer (AXFR) to the audit and list the zone in dns.zone_transfer; if it is known and "
                 "accepted, list it in dns.unlisted_zones_acknowledged (docs/dns-zones.md)")
_SHOWN_HOSTS = 5


@dataclass
class ZoneListing:
    records: list[DnsRecord] = field(default_factory=list)
    gaps: list[CoverageGap] = field(default_factory=list)


async def list_zones(inventory: Inventory, context: CollectContext) -> ZoneListing:
    config = context.config
    listing = ZoneListing()
    servers = servers_for(context)
    azure_zones = {normalise(r.name) for r in inventory.resources if r.type.lower() == AZURE_DNS_ZONE_TYPE}
    supplied: set[str] = set()
    named: set[str] = set()      # zones that already have their own gap (a refused transfer)
    files = _zone_files(config.dns.zone_files, config.source)
    key = tsig_key(config.dns) if config.dns.zone_transfer else None
    limit = asyncio.Semaphore(max(1, config.collect.dns_concurrency))

    for path, loaded in files:
        origin = zone_origin(loaded)
        if origin in azure_zones:
            continue  # Azure DNS in scope is the source of truth for its own zones
        supplied.add(origin)
        listing.records += records_of(loaded, f"zone file {path}")
        live = await zone_answer(origin, servers)
        stale = await differences(loaded, live, await authoritative(live, servers, context),
                                  config.collect.dns_concurrency, soa_serial(loaded))
        if stale:
            listing.gaps.append(CoverageGap(
                Source.DNS_ZONE, origin, GapReason.STALE,
                f"zone file {path} disagrees with what {origin}'s servers answer (a stale export?): "
                + "; ".join(stale) + ". Export the zone again."))

    for origin in config.dns.zone_transfer:
        if origin in supplied or origin in azure_zones:
            continue
        live = await zone_answer(origin, servers)
        result = await transfer(origin, await authoritative(live, servers, context), key)
        if result.zone is None:
            listing.gaps.append(CoverageGap(
                Source.DNS_ZONE, origin, GapReason.NOT_LISTABLE,
                f"dns.zone_transfer lists {origin}, but {result.detail}; most DNS providers refuse AXFR "
                f"unless the audit's address (and TSIG key) is allowed. Or {HOW_TO_SUPPLY}",
                acknowledged=origin in config.dns.unlisted_zones_acknowledged))
            named.add(origin)
            continue
        supplied.add(origin)
        listing.records += records_of(result.zone, f"zone transfer from {result.server}")

    hosts = hosts_by_domain(inventory, config)
    delegated, ns_gaps = await _delegations(hosts, _azure_delegations(inventory), servers, limit)
    listing.gaps += ns_gaps
    matter = set(hosts) | delegated
    held: dict[str, list[str]] = {}
    for members in hosts.values():
        for host in members:
            home = zone_of(host, matter)
            if home is not None:
                held.setdefault(home, []).append(host)
    acknowledged = set(config.dns.unlisted_zones_acknowledged)
    unlisted = [z for z in sorted(matter - azure_zones - supplied - named)
                if zone_of(z, azure_zones) is None or z in delegated]  # else: a name inside an Azure DNS zone

    async def probe(zone: str) -> ZoneAnswer:
        async with limit:
            return await zone_answer(zone, servers)

    for zone, live in zip(unlisted, await asyncio.gather(*(probe(z) for z in unlisted)), strict=True):
        if live.exists is False:
            continue  # no such zone in DNS: nothing to list (its names answer NXDOMAIN)
        names = held.get(zone, [])
        shown = ", ".join(names[:_SHOWN_HOSTS]) + (f" and {len(names) - _SHOWN_HOSTS} more"
                                                   if len(names) > _SHOWN_HOSTS else "")
        what = f"holds {shown}" if names else "is delegated from a zone that matters"
        state = "" if live.exists else f" (its servers did not answer: {live.detail})"
        listing.gaps.append(CoverageGap(
            Source.DNS_ZONE, zone, GapReason.NOT_LISTABLE,
            f"zone {zone} {what}, but it is not an Azure DNS zone in scope and no zone file or zone "
            f"transfer supplied it{state}: its records are not in the audit. To supply it, {HOW_TO_SUPPLY}",
            acknowledged=zone in acknowledged))
    return listing


def _zone_files(paths: tuple[str, ...], source: Path | None) -> list[tuple[Path, dns.zone.Zone]]:
    base = source.parent if source is not None else Path.cwd()
    out: list[tuple[Path, dns.zone.Zone]] = []
    seen: dict[str, Path] = {}
    for text in paths:
        path = (base / text) if not Path(text).is_absolute() else Path(text)
        zone = read_zone_file(path)
        origin = zone_origin(zone)
        if origin in seen:
            raise ConfigError(f"dns.zone_files: zone {origin} is in both {seen[origin]} and {path}")
        seen[origin] = path
        out.append((path, zone))
    return out


def _azure_delegations(inventory: Inventory) -> tuple[set[str], set[str]]:
    """(Azure DNS zones whose record sets were read, the delegation points their NS record sets
    name): below such a zone the records answer whether a name is delegated, without asking DNS."""
    unread = {g.target.lower() for g in inventory.gaps}
    read = {normalise(r.name) for r in inventory.resources
            if r.type.lower() == AZURE_DNS_ZONE_TYPE and r.id.lower() not in unread}
    cuts = {normalise(r.fqdn) for r in inventory.dns_records
            if r.type.upper() == "NS" and not r.listed_from and r.zone in read and r.fqdn != r.zone}
    return read, cuts


async def _delegations(hosts: dict[str, list[str]], azure: tuple[set[str], set[str]], servers: Servers,
                       limit: asyncio.Semaphore) -> tuple[set[str], list[CoverageGap]]:
    """Names below a registrable domain that hold NS records: zones of their own. Inside an Azure
    DNS zone that was read, its NS record sets say; everywhere else DNS is asked."""
    read, cuts = azure
    candidates: list[str] = []
    known: set[str] = set()
    for name in delegation_candidates(hosts):
        if zone_of(name, read) is None:
            candidates.append(name)
        elif name in cuts:
            known.add(name)

    async def one(name: str) -> tuple[str, bool | None, Reply]:
        async with limit:
            found, reply = await is_delegated(name, servers)
        return name, found, reply

    results = await asyncio.gather(*(one(n) for n in candidates))
    delegated = known | {name for name, found, _ in results if found}
    gaps = [CoverageGap(Source.DNS, name, _reason(reply), f"NS {name}: could not tell whether it is a "
                                                          f"delegated zone: {reply.detail}")
            for name, found, reply in results if found is None and not reply.refused]
    return delegated, gaps


def _reason(reply: Reply) -> GapReason:
    return {DnsStatus.TIMEOUT: GapReason.TIMEOUT, DnsStatus.MALFORMED: GapReason.MALFORMED}.get(
        reply.status, GapReason.UNAVAILABLE)

