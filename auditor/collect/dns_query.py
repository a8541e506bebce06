"""One DNS question to the configured servers, with the retries a careful resolver makes.

A timeout is retried once over UDP, then over TCP; a truncated (TC) answer is asked
again over TCP; a server that fails is followed by the next one; a SERVFAIL or a
malformed answer from all of them is asked once more after a short backoff. The outcome is data
(`Reply`), never an exception: the collector decides what a failure means.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

import dns.asyncquery
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.resolver

from auditor.collect.context import CollectContext
from auditor.errors import AuditorError
from auditor.model.dns import DnsStatus


@dataclass(frozen=True)
class Servers:
    addresses: tuple[str, ...]
    port: int
    timeout: float


@dataclass(frozen=True)
class Reply:
    """NOERROR (the answer may still lack the asked type), NXDOMAIN, SERVFAIL, TIMEOUT or MALFORMED."""

    status: DnsStatus
    message: dns.message.Message | None = None
    detail: str = ""
    refused: bool = False      # the server is not authoritative for the name and will not recurse
    unreachable: bool = False  # no server could be reached at all (connection refused, closed)


def servers_for(context: CollectContext) -> Servers:
    """The emulator's server in estate mode, else the configured servers, else the system's."""
    net, collect = context.network, context.config.collect
    if net.dns_nameservers:
        return Servers(tuple(net.dns_nameservers), net.dns_port, collect.dns_timeout_seconds)
    if collect.dns_nameservers:
        return Servers(tuple(collect.dns_nameservers), 53, collect.dns_timeout_seconds)
    try:
        system = dns.resolver.Resolver()
    except dns.resolver.NoResolverConfiguration:
        raise AuditorError("no DNS resolver configured: set collect.dns_nameservers in auditor.toml") from None
    return Servers(tuple(str(s) for s in system.nameservers), system.port, collect.dns_timeout_seconds)


# A SERVFAIL or a malformed answer is often transient (an upstream briefly unreachable, a
# packet mangled): asked once more after this pause, and a failure only if it persists.
TRANSIENT_RETRY_SECONDS = 0.25


async def ask(servers: Servers, name: str, rdtype: dns.rdatatype.RdataType) -> Reply:
    """Ask each server in turn until one gives an answer that is not a failure; a transient
    failure (SERVFAIL, malformed) of every server is asked once more, after a short backoff."""
    last = await _ask_servers(servers, name, rdtype)
    if _transient(last):
        await asyncio.sleep(min(TRANSIENT_RETRY_SECONDS, servers.timeout))
        again = await _ask_servers(servers, name, rdtype)
        if not _transient(again):
            return again
        return replace(again, detail=f"{again.detail} (asked twice)")
    return last


def _transient(reply: Reply) -> bool:
    return (reply.status in (DnsStatus.SERVFAIL, DnsStatus.MALFORMED)
            and not reply.refused and not reply.unreachable)


async def _ask_servers(servers: Servers, name: str, rdtype: dns.rdatatype.RdataType) -> Reply:
    last = Reply(DnsStatus.TIMEOUT, detail="no DNS server configured")
    for address in servers.addresses:
        last = await _ask_one(servers, address, name, rdtype)
        if last.status in (DnsStatus.NOERROR, DnsStatus.NXDOMAIN) or last.refused:
            return last
    return last


async def _ask_one(servers: Servers, address: str, name: str, rdtype: dns.rdatatype.RdataType) -> Reply:
    query = dns.message.make_query(dns.name.from_text(name), rdtype)
    where = f"{address}:{servers.port}"
    timeouts = 0
    # UDP, UDP again after a timeout, then TCP: the last word goes to TCP.
    for transport in ("udp", "udp", "tcp"):
        try:
            if transport == "udp":
                response = await dns.asyncquery.udp(query, address, timeout=servers.timeout, port=servers.port)
                if response.flags & dns.flags.TC:
                    response = await dns.asyncquery.tcp(query, address, timeout=servers.timeout,
                                                        port=servers.port)
            else:
                response = await dns.asyncquery.tcp(query, address, timeout=servers.timeout, port=servers.port)
        except dns.exception.Timeout:
            timeouts += 1
            continue
        except dns.exception.DNSException as exc:
            return Reply(DnsStatus.MALFORMED, detail=f"malformed answer from {where}: {_short(exc)}")
        except (OSError, EOFError) as exc:
            if transport == "tcp" and timeouts:
                continue   # UDP timed out and TCP is closed: still a timeout
            return Reply(DnsStatus.SERVFAIL, detail=f"{where} unreachable: {_short(exc)}", unreachable=True)
        return _classify(response, where)
    return Reply(DnsStatus.TIMEOUT, detail=f"no answer from {where} within {servers.timeout:g}s "
                                           f"({timeouts} tries, UDP and TCP)")


def _classify(response: dns.message.Message, where: str) -> Reply:
    rcode = response.rcode()
    if rcode == dns.rcode.NOERROR:
        return Reply(DnsStatus.NOERROR, response)
    if rcode == dns.rcode.NXDOMAIN:
        return Reply(DnsStatus.NXDOMAIN, response)
    text = dns.rcode.to_text(rcode)
    if rcode == dns.rcode.REFUSED:
        return Reply(DnsStatus.SERVFAIL, response, f"{where} refused the query", refused=True)
    return Reply(DnsStatus.SERVFAIL, response, f"{where} answered {text}")


def _short(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__
