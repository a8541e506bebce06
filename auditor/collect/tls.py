"""What each live endpoint really serves, judged at the audit's clock.

For every host: a handshake with SNI and one without (two observations), the whole
served chain kept even when it would not verify, and probes for TLS 1.0 and 1.1 on
the SNI handshake. In estate mode every connection goes to the emulator's TLS
address with the real SNI, whatever DNS says; in real mode to the host on port 443.

Gaps: only a timeout or an unreachable endpoint on the SNI handshake is a
CoverageGap, because then the audit could not see the host. A refused connection,
a reset or a failed handshake is an answer: on a bound host name it is a finding
(`tls-endpoint-broken`), decided later by the rules. Wildcard names are not
endpoints and are skipped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial

from cryptography import x509

from auditor.collect.context import CollectContext
from auditor.collect.tls_handshake import Handshake, Protocol, handshake
from auditor.collect.tls_trust import load_roots
from auditor.model.common import CoverageGap, GapReason, Source
from auditor.model.tls import ServedCertificate, TlsObservation, TlsStatus
from auditor.normalise.hostnames import normalise
from auditor.normalise.tls_verify import verify_chain
from auditor.normalise.x509 import facts

HTTPS_PORT = 443


async def observe_tls(
    hosts: Iterable[str], context: CollectContext, as_of: datetime
) -> tuple[list[TlsObservation], list[CoverageGap]]:
    """Two observations per host (SNI first, then without SNI), in input order."""
    unique = list(dict.fromkeys(h for h in (normalise(x) for x in hosts) if h and not h.startswith("*.")))
    roots = load_roots(context.network.tls_trust_files)
    collect = context.config.collect
    workers = max(1, collect.tls_concurrency)
    limit = asyncio.Semaphore(workers)
    loop = asyncio.get_running_loop()
    done = 0

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tls-probe") as pool:
        async def shake(host: str, sni: bool, only: Protocol | None = None) -> Handshake:
            job = partial(handshake, _address(host, context), host if sni else None,
                          collect.tls_timeout_seconds, only)
            async with limit:
                return await loop.run_in_executor(pool, job)

        async def one(host: str) -> tuple[list[TlsObservation], CoverageGap | None]:
            nonlocal done
            with_sni, without_sni = await asyncio.gather(shake(host, True), shake(host, False))
            tls10 = tls11 = None
            if with_sni.status in (TlsStatus.OK, TlsStatus.HANDSHAKE_FAILED):
                tls10_shake, tls11_shake = await asyncio.gather(
                    shake(host, True, Protocol.TLS10), shake(host, True, Protocol.TLS11))
                tls10, tls11 = _accepted(tls10_shake), _accepted(tls11_shake)
            observations = [
                _observation(host, True, with_sni, roots, as_of, tls10, tls11),
                _observation(host, False, without_sni, roots, as_of, None, None),
            ]
            done += 1
            context.progress("tls", done, len(unique))
            return observations, _gap(host, with_sni)

        results = await asyncio.gather(*(one(h) for h in unique))
    observations = [obs for pair, _ in results for obs in pair]
    gaps = [gap for _, gap in results if gap is not None]
    return observations, gaps


def _address(host: str, context: CollectContext) -> tuple[str, int]:
    net = context.network
    if net.tls_host:
        return net.tls_host, net.tls_port or HTTPS_PORT
    return host, HTTPS_PORT


def _observation(host: str, sni: bool, shake: Handshake, roots: list[x509.Certificate], as_of: datetime,
                 tls10: bool | None, tls11: bool | None) -> TlsObservation:
    if shake.status is not TlsStatus.OK:
        return TlsObservation(hostname=host, sni=sni, status=shake.status, accepts_tls10=tls10,
                              accepts_tls11=tls11, detail=shake.detail)
    judged = verify_chain(shake.chain, roots, host, as_of)
    return TlsObservation(
        hostname=host,
        sni=sni,
        status=TlsStatus.OK,
        chain=tuple(_served(c) for c in shake.chain),
        verdict=judged.verdict,
        problems=judged.problems,
        negotiated_version=shake.version,
        accepts_tls10=tls10,
        accepts_tls11=tls11,
        detail=judged.detail,
    )


def _served(cert: x509.Certificate) -> ServedCertificate:
    f = facts(cert)
    return ServedCertificate(subject=f.subject, issuer=f.issuer, names=f.names, not_before=f.not_before,
                             not_after=f.not_after, thumbprint=f.thumbprint, serial=f.serial, is_ca=f.is_ca)


def _accepted(probe: Handshake) -> bool | None:
    """A completed legacy handshake accepts the version; an alert or a hang-up refuses it;
    a timeout or no connection leaves it unknown."""
    if probe.status is TlsStatus.OK:
        return True
    if probe.status in (TlsStatus.HANDSHAKE_FAILED, TlsStatus.RESET):
        return False
    return None


def _gap(host: str, with_sni: Handshake) -> CoverageGap | None:
    if with_sni.status is TlsStatus.TIMEOUT:
        return CoverageGap(Source.TLS, host, GapReason.TIMEOUT, with_sni.detail)
    if with_sni.unreachable:
        return CoverageGap(Source.TLS, host, GapReason.UNAVAILABLE, with_sni.detail)
    return None
