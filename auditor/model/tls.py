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


@dataclass(frozen=True, slots=True)
class ServedCertificate:
    subject: str
    issuer: str
    names: tuple[str, ...]
    not_before: datetime
    not_after: datetime
    thumbprint: str          # upper-case hex SHA-1
    serial: str
    is_ca: bool = False
    key_type: str = ""               # "RSA", "EC", "Ed25519"; "" when not read
    key_bits: int | None = None
    signature_hash: str = ""         # the hash its issuer signed it with: "sha256", "sha1", "md5"


class TlsCheckName(StrEnum):
    """The checks made on a served chain beyond its verdict (see auditor.normalise.tls_checks)."""
    WEAK_KEY = "weak-key"                      # RSA below 2048 bits, EC below 256
    WEAK_SIGNATURE = "weak-signature"          # SHA-1 or MD5 signature on a served certificate
    CHAIN_ORDER = "chain-order"                # served certificates not each issuing the one before
    ANCHOR_SENT = "anchor-sent"                # the self-signed root sent along
    SERVER_AUTH_EKU = "server-auth-eku"        # the leaf's EKU does not allow TLS server authentication
    KEY_USAGE = "key-usage"                    # the leaf's key usage forbids what the handshake needs
    OCSP_MUST_STAPLE = "ocsp-must-staple"      # must-staple leaf served without a staple
    OCSP_STAPLE = "ocsp-staple"                # the stapled response is revoked, expired or not for the leaf
    SCT = "sct"                                # publicly trusted leaf without embedded or stapled SCTs
    PLATFORM_TRUST = "platform-trust"          # a platform trust store does not anchor the chain

    @property
    def phrase(self) -> str:
        """How a finding's title says it."""
        return _PHRASES[self]


_PHRASES = {
    TlsCheckName.WEAK_KEY: "a weak key",
    TlsCheckName.WEAK_SIGNATURE: "a SHA-1 or MD5 signature",
    TlsCheckName.CHAIN_ORDER: "chain out of order",
    TlsCheckName.ANCHOR_SENT: "the root sent along",
    TlsCheckName.SERVER_AUTH_EKU: "no serverAuth key usage",
    TlsCheckName.KEY_USAGE: "a key usage TLS cannot use",
    TlsCheckName.OCSP_MUST_STAPLE: "must-staple without a staple",
    TlsCheckName.OCSP_STAPLE: "a bad OCSP staple",
    TlsCheckName.SCT: "no SCTs",
    TlsCheckName.PLATFORM_TRUST: "not trusted on every platform",
}


class TlsImpact(StrEnum):
    BREAKS_CLIENTS = "breaks-clients"          # reported by tls-endpoint-broken
    WEAK = "weak"                              # reported by tls-weak-protocol


@dataclass(frozen=True, slots=True)
class TlsCheck:
    """One failed check on what an endpoint served."""
    check: TlsCheckName
    impact: TlsImpact
    detail: str


@dataclass(frozen=True, slots=True)
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
    checks: tuple[TlsCheck, ...] = ()            # failed checks beyond the verdict, from the same chain
    ocsp_stapled: bool | None = None             # None: not asked (no SNI handshake) or no chain

    @property
    def leaf(self) -> ServedCertificate | None:
        return self.chain[0] if self.chain else None
