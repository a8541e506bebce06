"""The estate's zone files (dns/<zone>.zone), loaded once and indexed for lookups."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dns.exception
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.zone

from auditor.errors import EstateError


@dataclass(frozen=True)
class LoadedZone:
    zone: dns.zone.Zone
    # every owner name plus the empty non-terminals between it and the apex
    existing: frozenset[dns.name.Name]
    # delegation points below the apex (names holding NS)
    cuts: frozenset[dns.name.Name]

    @property
    def origin(self) -> dns.name.Name:
        origin = self.zone.origin
        assert origin is not None  # load_zone always sets it
        return origin

    def negative_soa(self) -> dns.rrset.RRset:
        """The apex SOA as RFC 2308 wants it in a negative answer: TTL capped by its minimum."""
        soa = self.zone.find_rdataset(self.origin, dns.rdatatype.SOA)
        ttl = min(soa.ttl, min(rdata.minimum for rdata in soa))
        return dns.rrset.from_rdata_list(self.origin, ttl, list(soa))


class ZoneSet:
    """Which loaded zone is authoritative for a name: the deepest origin above it."""

    def __init__(self, zones: list[LoadedZone]) -> None:
        self._by_origin = {z.origin: z for z in zones}

    @property
    def zones(self) -> list[LoadedZone]:
        return list(self._by_origin.values())

    def find(self, name: dns.name.Name) -> LoadedZone | None:
        candidate = name
        while True:
            zone = self._by_origin.get(candidate)
            if zone is not None:
                return zone
            if candidate == dns.name.root:
                return None
            candidate = candidate.parent()


def load_zone(path: Path) -> LoadedZone:
    """One RFC 1035 master file. Its $ORIGIN names the zone; without one, the file name does."""
    try:
        try:
            zone = _read(path, None)
        except dns.zone.UnknownOrigin:
            zone = _read(path, path.name.removesuffix(".zone"))
    except OSError as exc:
        raise EstateError(f"cannot read zone file {path}: {exc.strerror}") from None
    except dns.exception.DNSException as exc:
        raise EstateError(f"zone file {path} is not a valid master file: {exc}") from None
    origin = zone.origin
    assert origin is not None
    if zone.get_rdataset(origin, dns.rdatatype.SOA) is None:
        raise EstateError(f"zone file {path}: no SOA record at {origin}")
    existing: set[dns.name.Name] = set()
    cuts: set[dns.name.Name] = set()
    for name, node in zone.nodes.items():
        if name != origin and node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.NS) is not None:
            cuts.add(name)
        while name not in existing and name.is_subdomain(origin):
            existing.add(name)
            if name == origin:
                break
            name = name.parent()
    return LoadedZone(zone=zone, existing=frozenset(existing), cuts=frozenset(cuts))


def load_zones(zone_files: list[Path]) -> ZoneSet:
    zones = [load_zone(Path(path)) for path in zone_files]
    seen: dict[dns.name.Name, Path] = {}
    for path, zone in zip(zone_files, zones, strict=True):
        if zone.origin in seen:
            raise EstateError(f"zone {zone.origin} is defined twice: {seen[zone.origin]} and {path}")
        seen[zone.origin] = Path(path)
    return ZoneSet(zones)


def _read(path: Path, origin: str | None) -> dns.zone.Zone:
    return dns.zone.from_file(str(path), origin=origin, relativize=False,
                              check_origin=False, allow_include=False)
