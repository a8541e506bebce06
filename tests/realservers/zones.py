"""The zone files a real DNS server is given, with the origin each one declares."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dns.exception
import dns.flags
import dns.message
import dns.query
import dns.rcode

from auditor.emulator.dns_zones import load_zone


@dataclass(frozen=True)
class ZoneFile:
    origin: str          # absolute, with the trailing dot
    path: Path


def zone_files(paths: list[Path]) -> list[ZoneFile]:
    return [ZoneFile(origin=load_zone(Path(p)).origin.to_text(), path=Path(p).resolve()) for p in paths]


def serves_all(port: int, zones: list[ZoneFile]) -> bool:
    """True once every zone's SOA comes back authoritative."""
    for zone in zones:
        query = dns.message.make_query(zone.origin, "SOA")
        try:
            response = dns.query.udp(query, "127.0.0.1", port=port, timeout=0.3)
        except (dns.exception.Timeout, OSError):
            return False
        if response.rcode() != dns.rcode.NOERROR or not response.flags & dns.flags.AA:
            return False
    return True
