"""Is a supplied zone file still what the zone's servers answer? A stale export hides the
record that was added last week, or keeps one that was deleted: the audit says which."""

from __future__ import annotations

import asyncio

import dns.rdatatype
import dns.zone

from auditor.collect.dns_query import Servers, ask
from auditor.collect.zone_records import records_of
from auditor.collect.zone_servers import ZoneAnswer
from auditor.model.dns import DnsStatus
from auditor.normalise.hostnames import normalise

# The types the rules read; each is asked of the zone's servers once per owner name.
_COMPARED = ("CNAME", "A", "AAAA")
MAX_SHOWN = 5


async def differences(zone: dns.zone.Zone, live: ZoneAnswer, servers: Servers, concurrency: int,
                      serial_of_file: int | None) -> list[str]:
    """What the file says that the servers do not (at most MAX_SHOWN, plus a count)."""
    found: list[str] = []
    if serial_of_file is not None and live.serial is not None and serial_of_file != live.serial:
        found.append(f"SOA serial {serial_of_file} in the file, {live.serial} on the servers")
    wanted = [r for r in records_of(zone, "") if r.type in _COMPARED and not r.fqdn.startswith("*.")]
    limit = asyncio.Semaphore(max(1, concurrency))

    async def one(fqdn: str, rtype: str, values: tuple[str, ...]) -> str | None:
        async with limit:
            reply = await ask(servers, fqdn, dns.rdatatype.from_text(rtype))
        if reply.status is DnsStatus.NXDOMAIN:
            return f"{fqdn} {rtype} is in the file, the servers say the name does not exist"
        if reply.status is not DnsStatus.NOERROR or reply.message is None:
            return None  # the servers did not answer: nothing to compare with, not a difference
        served = tuple(sorted(_values(reply.message, fqdn, rtype)))
        if served != values:
            return (f"{fqdn} {rtype}: file {', '.join(values) or '(none)'}, "
                    f"servers {', '.join(served) or '(none)'}")
        return None

    results = await asyncio.gather(*(one(r.fqdn, r.type, r.values) for r in wanted))
    found += [r for r in results if r]
    if len(found) > MAX_SHOWN:
        return found[:MAX_SHOWN] + [f"and {len(found) - MAX_SHOWN} more"]
    return found


def _values(message: object, owner: str, rtype: str) -> list[str]:
    out: list[str] = []
    for rrset in message.answer:  # type: ignore[attr-defined]
        if dns.rdatatype.to_text(rrset.rdtype) == rtype and normalise(rrset.name.to_text()) == owner:
            for r in rrset:
                out.append(normalise(r.target.to_text()) if rtype == "CNAME" else str(r.address))
    return out
