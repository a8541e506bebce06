"""Zone transfers (AXFR, RFC 5936) of the estate's zones, for the zones that allow one.

A zone's dns/<zone>.json `{"axfr": true}` allows it; every other zone refuses, as most DNS
providers do: Azure DNS has no zone transfer at all ("Azure DNS doesn't currently support zone
transfers", https://learn.microsoft.com/en-us/azure/dns/dns-faq), Cloudflare and Route 53 only to
configured secondaries. AXFR runs over TCP only (RFC 5936 section 4.2); over UDP it is refused.
The answer is the apex SOA, every other RRset, and the SOA again, split over as many messages as
needed, each within TCP's 65535-byte limit.
"""

from __future__ import annotations

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.rrset

from auditor.emulator.dns_zones import LoadedZone, ZoneSet

_RRSETS_PER_MESSAGE = 200


def is_transfer(query: dns.message.Message) -> bool:
    return len(query.question) == 1 and query.question[0].rdtype in (dns.rdatatype.AXFR, dns.rdatatype.IXFR)


def transfer(query: dns.message.Message, zones: ZoneSet, allowed: frozenset[str],
             over_udp: bool) -> tuple[list[bytes], bool]:
    """The wire messages answering one AXFR (or IXFR, answered as a full transfer, RFC 1995 section 4),
    and whether the transfer was allowed."""
    question = query.question[0]
    zone = zones.find(question.name)
    origin = question.name.to_text(omit_final_dot=True).lower()
    if over_udp or zone is None or zone.origin != question.name or origin not in allowed:
        refused = dns.message.make_response(query)
        refused.set_rcode(dns.rcode.REFUSED)
        return [refused.to_wire()], False
    rrsets = _rrsets(zone)
    out: list[bytes] = []
    for start in range(0, len(rrsets), _RRSETS_PER_MESSAGE):
        out += _messages(query, rrsets[start:start + _RRSETS_PER_MESSAGE])
    return out, True


def _rrsets(zone: LoadedZone) -> list[dns.rrset.RRset]:
    soa = zone.zone.find_rrset(zone.origin, dns.rdatatype.SOA)
    body = [dns.rrset.from_rdata_list(name, rdataset.ttl, list(rdataset))
            for name, node in sorted(zone.zone.nodes.items())
            for rdataset in node.rdatasets
            if not (name == zone.origin and rdataset.rdtype == dns.rdatatype.SOA)]
    return [soa, *body, soa]


def _messages(query: dns.message.Message, rrsets: list[dns.rrset.RRset]) -> list[bytes]:
    """One message for these RRsets, or halves of them if that would be too big."""
    response = dns.message.make_response(query)
    response.flags |= dns.flags.AA
    response.answer = list(rrsets)
    try:
        return [response.to_wire(max_size=65535)]
    except dns.exception.TooBig:
        if len(rrsets) == 1:
            raise
        half = len(rrsets) // 2
        return _messages(query, rrsets[:half]) + _messages(query, rrsets[half:])
