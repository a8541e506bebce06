"""What each live endpoint really serves, judged at the audit's clock.

For every host: a handshake with SNI (TLS 1.2 or later, asking for a stapled OCSP
response) and probes for TLS 1.0 and 1.1 with SNI. The handshake without SNI is
made once per address and port and shared by every name behind it: they all get the
same default certificate. Two observations per host (with SNI, without), the whole
served chain kept even when it would not verify, and kept from whichever handshake
completed: an endpoint that only speaks TLS 1.1 still shows its expiry and chain.
In estate mode every connection goes to the emulator's TLS address with the real SNI,
whatever DNS says; in real mode to the host's first address on port 443.

A timeout is tried once more after a short pause: a gap only when it persists.

Gaps: only a timeout or an unreachable endpoint on the SNI handshake is a
CoverageGap, because then the audit could not see the host. A refused connection,
a reset or a failed handshake is an answer: on a bound host name it is a finding
(`tls-endpoint-broken`), decided later by the rules. Wildcard names are not
endpoints and are skipped.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial

from auditor.collect.context import CollectContext
from auditor.collect.tls_handshake import Handshake, Protocol, handshake
from auditor.collect.tls_served import observation
from auditor.collect.tls_trust import load_roots, platform_stores
from auditor.model.common import CoverageGap, GapReason, Source
from auditor.model.tls import TlsObservation, TlsStatus
from auditor.normalise.hostnames import normalise

HTTPS_PORT = 443
RETRY_BACKOFF_SECONDS = 0.5     # before the one retry of a timed-out handshake
Address = tuple[str, int]


async def observe_tls(
    hosts: Iterable[str], context: CollectContext, as_of: datetime
) -> tuple[list[TlsObservation], list[CoverageGap]]:
    """Two observations per host (SNI first, then without SNI), in input order."""
    unique = list(dict.fromkeys(h for h in (normalise(x) for x in hosts) if h and not h.startswith("*.")))
    roots = load_roots(context.network.tls_trust_files)
    platforms = platform_stores()
    collect = context.config.collect
    timeout = collect.tls_timeout_seconds
    workers = max(1, collect.tls_concurrency)
    limit = asyncio.Semaphore(workers)
    loop = asyncio.get_running_loop()
    default_handshakes: dict[Address, asyncio.Task[Handshake]] = {}
    done = 0

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tls-probe") as pool:
        async def attempt(address: Address, sni: str | None, only: Protocol | None, ocsp: bool) -> Handshake:
            job = partial(handshake, address, sni, timeout, only, ocsp)
            async with limit:
                return await loop.run_in_executor(pool, job)

        async def shake(address: Address, sni: str | None, only: Protocol | None = None,
                        ocsp: bool = False) -> Handshake:
            first = await attempt(address, sni, only, ocsp)
            if first.status is not TlsStatus.TIMEOUT:
                return first
            await asyncio.sleep(RETRY_BACKOFF_SECONDS)   # a busy or briefly lossy endpoint gets a second chance
            return await attempt(address, sni, only, ocsp)

        async def resolve(host: str) -> Address | Handshake:
            if context.network.tls_host:
                return context.network.tls_host, context.network.tls_port or HTTPS_PORT
            async with limit:
                return await loop.run_in_executor(pool, _resolve, host)

        def without_sni(address: Address) -> asyncio.Task[Handshake]:
            # one handshake per address and port, awaited by every name that resolves there
            if address not in default_handshakes:
                default_handshakes[address] = asyncio.ensure_future(shake(address, None))
            return default_handshakes[address]

        async def one(host: str) -> tuple[list[TlsObservation], CoverageGap | None]:
            nonlocal done
            address = await resolve(host)
            if isinstance(address, Handshake):
                with_sni = default = address
                legacy: tuple[Handshake | None, Handshake | None] = (None, None)
            else:
                shared = without_sni(address)     # started now, beside this name's own handshakes
                with_sni = await shake(address, host, ocsp=True)
                legacy = (None, None)
                if with_sni.status in (TlsStatus.OK, TlsStatus.HANDSHAKE_FAILED, TlsStatus.RESET):
                    tls10, tls11 = await asyncio.gather(
                        shake(address, host, Protocol.TLS10), shake(address, host, Protocol.TLS11))
                    legacy = (tls10, tls11)
                default = await shared
            observations = [
                observation(host, True, with_sni, legacy, roots, platforms, as_of),
                observation(host, False, default, (None, None), roots, platforms, as_of),
            ]
            done += 1
            context.progress("tls", done, len(unique))
            return observations, _gap(host, with_sni)

        try:
            results = await asyncio.gather(*(one(h) for h in unique))
        finally:   # cancelled from outside (a deadline): no shared handshake is left pending
            for task in default_handshakes.values():
                task.cancel()
    observations = [obs for pair, _ in results for obs in pair]
    gaps = [gap for _, gap in results if gap is not None]
    return observations, gaps


def _resolve(host: str) -> Address | Handshake:
    """The host's first address for TCP on 443, as a client would try it first."""
    try:
        infos = socket.getaddrinfo(host, HTTPS_PORT, type=socket.SOCK_STREAM, flags=socket.AI_ADDRCONFIG)
    except socket.gaierror as exc:
        return Handshake(TlsStatus.NOT_RESOLVED, detail=f"{host} does not resolve: {exc.strerror}")
    except UnicodeError:
        return Handshake(TlsStatus.NOT_RESOLVED, detail=f"{host} is not a valid host name")
    if not infos:
        return Handshake(TlsStatus.NOT_RESOLVED, detail=f"{host} has no address")
    return str(infos[0][4][0]), HTTPS_PORT


def _gap(host: str, with_sni: Handshake) -> CoverageGap | None:
    if with_sni.status is TlsStatus.TIMEOUT:
        return CoverageGap(Source.TLS, host, GapReason.TIMEOUT, f"{with_sni.detail}, twice")
    if with_sni.unreachable:
        return CoverageGap(Source.TLS, host, GapReason.UNAVAILABLE, with_sni.detail)
    return None

