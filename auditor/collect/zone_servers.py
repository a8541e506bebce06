"""Questions about zones rather than names: is this name a zone (delegated), what is its SOA,
and which servers are authoritative for it (the zone's NS, resolved to addresses).

In estate mode the network pins DNS to the emulator, so every question and every zone transfer
goes to the emulator's DNS port whatever address the NS records give (CONTRACT section 2).
"""

from __future__ import annotations

from dataclasses import dataclass

import dns.message
import dns.rdatatype

from auditor.collect.context import CollectContext
from auditor.collect.dns_query import Reply, Servers, ask
from auditor.model.dns import DnsStatus
from auditor.normalise.hostnames import normalise

NS, SOA, A, AAAA = dns.rdatatype.NS, dns.rdatatype.SOA, dns.rdatatype.A, dns.rdatatype.AAAA


@dataclass(frozen=True)
class ZoneAnswer:
    """What asking about one zone apex gave."""

    exists: bool | None          # None: could not tell (refused, timed out, failed)
    serial: int | None = None
    nameservers: tuple[str, ...] = ()
    detail: str = ""


async def is_delegated(name: str, servers: Servers) -> tuple[bool | None, Reply]:
    """True when NS records sit at `name` (an answer, or a referral's authority section)."""
    reply = await ask(servers, name, NS)
    if reply.status is DnsStatus.NXDOMAIN:
        return False, reply
    if reply.status is not DnsStatus.NOERROR or reply.message is None:
        return None, reply
    return bool(_owned(reply.message, name, NS)), reply


async def zone_answer(zone: str, servers: Servers) -> ZoneAnswer:
    soa = await ask(servers, zone, SOA)
    if soa.status is DnsStatus.NXDOMAIN:
        return ZoneAnswer(False, detail=f"{zone} does not exist in DNS (NXDOMAIN)")
    if soa.status is not DnsStatus.NOERROR or soa.message is None:
        return ZoneAnswer(None, detail=soa.detail or soa.status.value)
    records = _owned(soa.message, zone, SOA)
    serial = int(records[0].serial) if records else None
    ns = await ask(servers, zone, NS)
    names = tuple(sorted(normalise(r.target.to_text()) for r in _owned(ns.message, zone, NS))) \
        if ns.message is not None else ()
    return ZoneAnswer(True, serial=serial, nameservers=names)


async def authoritative(zone: ZoneAnswer, servers: Servers, context: CollectContext) -> Servers:
    """The zone's own servers by address. In estate mode, the emulator's (never an estate address)."""
    if context.network.dns_nameservers:
        return servers
    addresses: list[str] = []
    for host in zone.nameservers:
        for rdtype in (A, AAAA):
            reply = await ask(servers, host, rdtype)
            if reply.message is not None:
                addresses += [r.address for r in _owned(reply.message, host, rdtype)]
    if not addresses:
        return servers
    return Servers(tuple(dict.fromkeys(addresses)), 53, servers.timeout)


def _owned(message: dns.message.Message | None, owner: str, rdtype: dns.rdatatype.RdataType) -> list:  # type: ignore[type-arg]
    if message is None:
        return []
    out: list = []  # type: ignore[type-arg]
    for section in (message.answer, message.authority):
        for rrset in section:
            if rrset.rdtype == rdtype and normalise(rrset.name.to_text()) == owner:
                out += list(rrset)
    return out
