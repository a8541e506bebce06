"""What a live TLS endpoint served, and what verifying it at the audit's clock said."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class TlsStatus(StrEnum):
    OK = "ok"                    # handshake completed (the chain may still fail verification)
    REFUSED = "refused"
    RESET = "reset"
    TIMEOUT = "timeout"
    HANDSHAKE_FAILED = "handshake-failed"
    NOT_RESOLVED = "not-resolved"


class TlsVerdict(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"                  # leaf or an intermediate past not-after (or not yet valid)
    UNTRUSTED = "untrusted"              # chains to no trusted root
    NAME_MISMATCH = "name-mismatch"
    INCOMPLETE_CHAIN = "incomplete-chain"
    NOT_CHECKED = "not-checked"          # no handshake


@dataclass(frozen=True)
class ServedCertificate:
    subject: str
    issuer: str
    names: tuple[str, ...]
    not_before: datetime
    not_after: datetime
    thumbprint: str          # upper-case hex SHA-1
    serial: str
    is_ca: bool = False


@dataclass(frozen=True)
class TlsObservation:
    hostname: str
    sni: bool
    status: TlsStatus
    chain: tuple[ServedCertificate, ...] = ()    # as served, leaf first
    verdict: TlsVerdict = TlsVerdict.NOT_CHECKED
    problems: tuple[TlsVerdict, ...] = ()        # every failed check, the verdict is the first
    negotiated_version: str | None = None        # "TLSv1.3"
    accepts_tls10: bool | None = None
    accepts_tls11: bool | None = None
    detail: str = ""

    @property
    def leaf(self) -> ServedCertificate | None:
        return self.chain[0] if self.chain else None
