"""Authoritative answers from the estate's zones, shaped like Knot's and NSD's.

CNAME chains are followed through every zone served here, as NSD does (Knot
stops at the zone's edge), so a stub resolver pointed at the emulator gets the
whole chain in one answer; a target outside every zone is left to the client.
Negative answers carry the SOA of the zone the chain ended in. Delegations
below an apex give referrals.
"""

from __future__ import annotations

import dns.flags
import dns.message
import dns.name
import dns.node
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdataset
import dns.rdatatype
import dns.rrset

from auditor.emulator.dns_zones import LoadedZone, ZoneSet

MAX_UDP_PAYLOAD = 1232          # the DNS Flag Day 2020 default, as Knot and NSD use
MAX_CNAME_CHAIN = 16
_ADDRESS_TYPES = (dns.rdatatype.A, dns.rdatatype.AAAA)
_TRANSFER_TYPES = (dns.rdatatype.AXFR, dns.rdatatype.IXFR)


def answer(query: dns.message.Message, zones: ZoneSet) -> dns.message.Message:
    """The response to one parsed query."""
    response = dns.message.make_response(query, our_payload=MAX_UDP_PAYLOAD)
    if query.opcode() != dns.opcode.QUERY:
        response.set_rcode(dns.rcode.NOTIMP)
        return response
    if len(query.question) != 1:
        response.set_rcode(dns.rcode.FORMERR)
        return response
    question = query.question[0]
    zone = zones.find(question.name) if question.rdclass == dns.rdataclass.IN else None
    if zone is None or question.rdtype in _TRANSFER_TYPES:
        response.set_rcode(dns.rcode.REFUSED)
        return response
    response.flags |= dns.flags.AA
    _resolve(zones, zone, question.name, question.rdtype, response)
    return response


def wire_limit(query: dns.message.Message) -> int:
    """How big a UDP answer to this query may be before it must be truncated."""
    if query.edns < 0:
        return 512
    return max(512, min(query.payload, MAX_UDP_PAYLOAD))


def _resolve(zones: ZoneSet, zone: LoadedZone, qname: dns.name.Name, qtype: dns.rdatatype.RdataType,
             response: dns.message.Message) -> None:
    name = qname
    seen: set[dns.name.Name] = set()
    while True:
        cut = _delegation(zone, name)
        if cut is not None:
            if name == qname:
                response.flags &= ~dns.flags.AA
            _refer(zone, cut, response)
            return
        node = zone.zone.get_node(name)
        if node is None and name not in zone.existing:
            node = _wildcard(zone, name)
        if node is None:
            if name not in zone.existing:
                response.set_rcode(dns.rcode.NXDOMAIN)
            response.authority.append(zone.negative_soa())
            return
        if qtype == dns.rdatatype.ANY:
            for rdataset in node.rdatasets:
                _add(response.answer, name, rdataset)
            return
        found = node.get_rdataset(dns.rdataclass.IN, qtype)
        if found is not None:
            _add(response.answer, name, found)
            _add_additional(zone, found, response)
            return
        cname = node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.CNAME)
        if cname is None:
            response.authority.append(zone.negative_soa())
            return
        _add(response.answer, name, cname)
        seen.add(name)
        target = cname[0].target
        next_zone = zones.find(target)
        if target in seen or len(seen) >= MAX_CNAME_CHAIN or next_zone is None:
            return
        zone, name = next_zone, target


def _delegation(zone: LoadedZone, name: dns.name.Name) -> dns.name.Name | None:
    """The highest zone cut at or above `name`, below the apex."""
    if not zone.cuts:
        return None
    found = None
    candidate = name
    while candidate != zone.origin:
        if candidate in zone.cuts:
            found = candidate
        candidate = candidate.parent()
    return found


def _wildcard(zone: LoadedZone, name: dns.name.Name) -> dns.node.Node | None:
    """RFC 4592: the wildcard at the closest encloser synthesises answers for missing names."""
    encloser = name.parent()
    while encloser not in zone.existing and encloser != zone.origin:
        encloser = encloser.parent()
    return zone.zone.get_node(dns.name.Name((b"*",) + encloser.labels))


def _refer(zone: LoadedZone, cut: dns.name.Name, response: dns.message.Message) -> None:
    ns = zone.zone.find_rdataset(cut, dns.rdatatype.NS)
    _add(response.authority, cut, ns)
    _add_additional(zone, ns, response)


def _add_additional(zone: LoadedZone, rdataset: dns.rdataset.Rdataset,
                    response: dns.message.Message) -> None:
    """Addresses for in-zone NS, MX and SRV targets, as Knot adds them."""
    if rdataset.rdtype == dns.rdatatype.NS:
        targets = [rdata.target for rdata in rdataset]
    elif rdataset.rdtype == dns.rdatatype.MX:
        targets = [rdata.exchange for rdata in rdataset]
    elif rdataset.rdtype == dns.rdatatype.SRV:
        targets = [rdata.target for rdata in rdataset]
    else:
        return
    for target in targets:
        if not target.is_subdomain(zone.origin):
            continue
        node = zone.zone.get_node(target)
        if node is None:
            continue
        for rdtype in _ADDRESS_TYPES:
            found = node.get_rdataset(dns.rdataclass.IN, rdtype)
            if found is not None:
                _add(response.additional, target, found)


def _add(section: list[dns.rrset.RRset], name: dns.name.Name, rdataset: dns.rdataset.Rdataset) -> None:
    rrset = dns.rrset.from_rdata_list(name, rdataset.ttl, list(rdataset))
    if rrset not in section:
        section.append(rrset)
