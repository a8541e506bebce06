"""Handshakes -> one TlsObservation: the chain from whichever handshake completed, judged.

The current-client handshake (TLS 1.2+) is preferred. When it fails but a legacy
probe completed, the legacy probe's chain is kept and judged: the endpoint is broken
for current clients, and its expiry, chain and checks are still reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from cryptography import x509

from auditor.collect.tls_handshake import Handshake
from auditor.model.tls import ServedCertificate, TlsObservation, TlsStatus, TlsVerdict
from auditor.normalise.tls_checks import RootIndex, chain_checks
from auditor.normalise.tls_verify import verify_chain
from auditor.normalise.x509 import facts

Legacy = tuple[Handshake | None, Handshake | None]     # the TLS 1.0 and TLS 1.1 probes, when made


def observation(host: str, sni: bool, shake: Handshake, legacy: Legacy, roots: Sequence[x509.Certificate],
                platforms: Mapping[str, RootIndex], as_of: datetime) -> TlsObservation:
    tls10, tls11 = (_accepted(p) for p in legacy)
    source = shake if shake.status is TlsStatus.OK else next(
        (p for p in (legacy[1], legacy[0]) if p is not None and p.status is TlsStatus.OK), None)
    if source is None:
        return TlsObservation(hostname=host, sni=sni, status=shake.status, accepts_tls10=tls10,
                              accepts_tls11=tls11, detail=shake.detail)
    stapled = shake.ocsp_response if source is shake else None
    try:
        judged = verify_chain(source.chain, roots, host, as_of)
        checks = chain_checks(source.chain, platforms, stapled, as_of)
        served = tuple(_served(c) for c in source.chain)
    except ValueError as exc:   # a certificate cryptography cannot parse: no client can either
        return TlsObservation(hostname=host, sni=sni, status=shake.status, verdict=TlsVerdict.UNTRUSTED,
                              problems=(TlsVerdict.UNTRUSTED,), negotiated_version=source.version,
                              accepts_tls10=tls10, accepts_tls11=tls11,
                              detail=f"the served chain cannot be read: {exc}")
    detail = judged.detail
    if source is not shake:
        only = f"only {source.version} completes a handshake; TLS 1.2 and later: {shake.detail}"
        detail = f"{only}; {detail}" if detail else only
    return TlsObservation(
        hostname=host,
        sni=sni,
        status=shake.status,
        chain=served,
        verdict=judged.verdict,
        problems=judged.problems,
        negotiated_version=source.version,
        accepts_tls10=tls10,
        accepts_tls11=tls11,
        detail=detail,
        checks=checks,
        ocsp_stapled=None if stapled is None else bool(stapled),
    )


def _served(cert: x509.Certificate) -> ServedCertificate:
    f = facts(cert)
    return ServedCertificate(subject=f.subject, issuer=f.issuer, names=f.names, not_before=f.not_before,
                             not_after=f.not_after, thumbprint=f.thumbprint, serial=f.serial, is_ca=f.is_ca,
                             key_type=f.key_type, key_bits=f.key_bits, signature_hash=f.signature_hash)


def _accepted(probe: Handshake | None) -> bool | None:
    """A completed legacy handshake accepts the version; an alert or a hang-up refuses it;
    a timeout, no connection or no probe leaves it unknown."""
    if probe is None:
        return None
    if probe.status is TlsStatus.OK:
        return True
    if probe.status in (TlsStatus.HANDSHAKE_FAILED, TlsStatus.RESET):
        return False
    return None
