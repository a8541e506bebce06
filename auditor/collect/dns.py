"""What DNS really says about each name: the CNAME chain hop by hop, addresses, CAA, validation TXT.

Failures are data. A SERVFAIL, a timeout, an unreachable server or a malformed answer
is recorded on the observation *and* becomes a CoverageGap, because the audit could
not see that name. NXDOMAIN and NODATA are answers, not gaps. A CNAME loop and a chain
longer than `MAX_HOPS` are broken configuration, reported as SERVFAIL with the reason
in `detail` as a resolver would, marked `broken_chain` (a custom domain's finding), and
a gap as well: where the name leads, and what it serves, could not be checked.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable

import dns.exception
import dns.message
import dns.name
import dns.rdatatype

from auditor.collect import deadline
from auditor.collect.context import CollectContext
from auditor.collect.dns_answers import Answers
from auditor.collect.dns_query import Reply, servers_for
from auditor.model.common import CoverageGap, GapReason, Source
from auditor.model.dns import CaaRecord, CnameHop, DnsObservation, DnsStatus
from auditor.normalise.hostnames import normalise, parents

MAX_HOPS = 10
VALIDATION_PREFIXES = ("_dnsauth", "asuid")   # Front Door / App Service domain validation

# Records a failed lookup as a gap of the name being observed.
_Note = Callable[[Reply, str], None]

A, AAAA, CNAME, CAA, TXT = (dns.rdatatype.A, dns.rdatatype.AAAA, dns.rdatatype.CNAME,
                            dns.rdatatype.CAA, dns.rdatatype.TXT)


async def observe_dns(
    names: Iterable[str], context: CollectContext
) -> tuple[list[DnsObservation], list[CoverageGap]]:
    """Resolve every name (deduplicated, lower-case, no trailing dot), at most
    `collect.dns_concurrency` names at a time. One observation per name, in input order."""
    unique = list(dict.fromkeys(n for n in (normalise(x) for x in names) if n))
    answers = Answers(servers_for(context))
    limit = asyncio.Semaphore(max(1, context.config.collect.dns_concurrency))
    done = 0

    async def one(name: str) -> tuple[DnsObservation, list[CoverageGap]]:
        nonlocal done
        async with limit:
            result = await _observe_within_deadline(name, answers)
        done += 1
        context.progress("dns", done, len(unique))
        return result

    try:
        results = await asyncio.gather(*(one(n) for n in unique))
    finally:
        answers.close()
    observations = [obs for obs, _ in results]
    gaps = [gap for _, name_gaps in results for gap in name_gaps]
    return observations, gaps


async def _observe_within_deadline(name: str, answers: Answers) -> tuple[DnsObservation, list[CoverageGap]]:
    """One name, cut off at the collection deadline: then a `timeout` observation and gap."""
    left = deadline.remaining()
    if left is None:
        return await _observe_name(name, answers)
    if left > 0:
        with contextlib.suppress(TimeoutError):
            return await asyncio.wait_for(_observe_name(name, answers), left)
    current = deadline.current()
    detail = f"not resolved: {current.detail() if current else 'collection deadline reached'}"
    return DnsObservation(name, DnsStatus.TIMEOUT, detail=detail), [
        CoverageGap(Source.DNS, name, GapReason.TIMEOUT, detail)]


async def _observe_name(name: str, answers: Answers) -> tuple[DnsObservation, list[CoverageGap]]:
    try:
        dns.name.from_text(name)
    except dns.exception.DNSException as exc:
        return DnsObservation(name, DnsStatus.MALFORMED, detail=f"not a valid DNS name: {exc}"), []
    gaps: dict[GapReason, CoverageGap] = {}

    def note(reply: Reply, what: str) -> None:
        reason = _gap_reason(reply)
        if reason is not None and reason not in gaps:
            gaps[reason] = CoverageGap(Source.DNS, name, reason, f"{what}: {reply.detail}")

    status, chain, addresses, detail = await _resolve(name, answers, note)
    broken = _broken_chain(status, detail)
    if broken:
        # The name is broken for its users (a finding, decided by the rules); what it leads to
        # and serves could not be checked, so it is also a gap: never a silent "complete".
        reason = GapReason.MALFORMED if broken == "loop" else GapReason.TRUNCATED
        gaps[reason] = CoverageGap(Source.DNS, name, reason,
                                   f"{detail}: where {name} leads, and what it serves, could not be checked")
    if GapReason.TIMEOUT in gaps:
        # A server that let the name's own question time out would let its CAA and TXT
        # questions time out too: asking them would multiply one hang per name, not tell more.
        timed_out = gaps[GapReason.TIMEOUT]
        gaps[GapReason.TIMEOUT] = CoverageGap(timed_out.source, timed_out.target, timed_out.reason,
                                              f"{timed_out.detail}; CAA and validation TXT not asked")
        caa: tuple[CaaRecord, ...] = ()
        caa_owner: str | None = None
        txt: tuple[tuple[str, str], ...] = ()
    else:
        caa, caa_owner = await _climb_caa(name, answers, note)
        txt = await _validation_txt(name, answers, note)
    observation = DnsObservation(name=name, status=status, chain=chain, addresses=addresses, caa=caa,
                                 caa_owner=caa_owner, txt=txt, detail=detail, broken_chain=broken)
    return observation, list(gaps.values())


async def _resolve(name: str, answers: Answers, note: _Note
                   ) -> tuple[DnsStatus, tuple[CnameHop, ...], tuple[str, ...], str]:
    """Follow the CNAME chain one hop per question, then read A and AAAA at its end."""
    chain: list[CnameHop] = []
    seen = {name}
    current = name
    for _ in range(MAX_HOPS + 1):
        reply = await answers.ask(name, current, A)
        if reply.status not in (DnsStatus.NOERROR, DnsStatus.NXDOMAIN):
            note(reply, f"A {current}")
            return reply.status, tuple(chain), (), reply.detail
        assert reply.message is not None
        target = _cname_target(reply.message, current)
        if target is None:
            if reply.status is DnsStatus.NXDOMAIN:
                return DnsStatus.NXDOMAIN, tuple(chain), (), f"{current} does not exist"
            return await _addresses(name, current, reply.message, answers, tuple(chain), note)
        chain.append(CnameHop(current, target))
        if target in seen:
            return DnsStatus.SERVFAIL, tuple(chain), (), f"{_LOOP} at {target}"
        if len(chain) > MAX_HOPS:
            break
        seen.add(target)
        current = target
    return DnsStatus.SERVFAIL, tuple(chain), (), f"{_TOO_LONG} {MAX_HOPS} hops"


async def _addresses(name: str, owner: str, a_answer: dns.message.Message, answers: Answers,
                     chain: tuple[CnameHop, ...], note: _Note
                     ) -> tuple[DnsStatus, tuple[CnameHop, ...], tuple[str, ...], str]:
    v4 = _values(a_answer, owner, A)
    reply = await answers.ask(name, owner, AAAA)
    if reply.status not in (DnsStatus.NOERROR, DnsStatus.NXDOMAIN):
        note(reply, f"AAAA {owner}")
        if not v4:
            return reply.status, chain, (), reply.detail
        return DnsStatus.NOERROR, chain, tuple(v4), f"AAAA unknown: {reply.detail}"
    v6 = _values(reply.message, owner, AAAA) if reply.message is not None else []
    addresses = tuple(v4 + v6)
    if not addresses:
        return DnsStatus.NODATA, chain, (), f"{owner} has no A or AAAA record"
    return DnsStatus.NOERROR, chain, addresses, ""


async def _climb_caa(name: str, answers: Answers, note: _Note) -> tuple[tuple[CaaRecord, ...], str | None]:
    """RFC 8659: the relevant CAA set is the first non-empty one at the name or a parent.

    A server that refuses a parent (not authoritative for it, no recursion) has nothing
    to say about it; one that fails leaves the CAA set unknown, which is a gap.
    """
    for owner in parents(name):
        reply = await answers.ask(name, owner, CAA)
        if reply.refused or reply.status in (DnsStatus.NXDOMAIN,):
            continue
        if reply.status is not DnsStatus.NOERROR or reply.message is None:
            note(reply, f"CAA {owner}")
            return (), None
        for rrset in reply.message.answer:
            if rrset.rdtype == CAA and len(rrset):
                records = tuple(sorted(
                    (CaaRecord(int(r.flags), r.tag.decode("ascii", "replace").lower(),
                               r.value.decode("utf-8", "replace")) for r in rrset),
                    key=lambda c: (c.tag, c.value)))
                return records, normalise(rrset.name.to_text())
    return (), None


async def _validation_txt(name: str, answers: Answers, note: _Note) -> tuple[tuple[str, str], ...]:
    found: list[tuple[str, str]] = []
    for prefix in VALIDATION_PREFIXES:
        owner = f"{prefix}.{name}"
        reply = await answers.ask(name, owner, TXT)
        if reply.status is DnsStatus.NXDOMAIN or reply.refused:
            continue
        if reply.status is not DnsStatus.NOERROR or reply.message is None:
            note(reply, f"TXT {owner}")
            continue
        for rrset in reply.message.answer:
            if rrset.rdtype == TXT:
                rr_owner = normalise(rrset.name.to_text())
                found += sorted((rr_owner, b"".join(r.strings).decode("utf-8", "replace")) for r in rrset)
    return tuple(found)


_LOOP = "CNAME loop"
_TOO_LONG = "CNAME chain longer than"


def _broken_chain(status: DnsStatus, detail: str) -> str:
    if status is not DnsStatus.SERVFAIL:
        return ""
    if detail.startswith(_LOOP):
        return "loop"
    return "too-long" if detail.startswith(_TOO_LONG) else ""


def _cname_target(message: dns.message.Message, owner: str) -> str | None:
    for rrset in message.answer:
        if rrset.rdtype == CNAME and normalise(rrset.name.to_text()) == owner and len(rrset):
            return normalise(next(iter(rrset)).target.to_text())
    return None


def _values(message: dns.message.Message, owner: str, rdtype: dns.rdatatype.RdataType) -> list[str]:
    out: list[str] = []
    for rrset in message.answer:
        if rrset.rdtype == rdtype and normalise(rrset.name.to_text()) == owner:
            out += sorted(r.address for r in rrset)
    return out


def _gap_reason(reply: Reply) -> GapReason | None:
    if reply.refused:
        return GapReason.UNAVAILABLE
    return {
        DnsStatus.TIMEOUT: GapReason.TIMEOUT,
        DnsStatus.SERVFAIL: GapReason.UNAVAILABLE,
        DnsStatus.MALFORMED: GapReason.MALFORMED,
    }.get(reply.status)
