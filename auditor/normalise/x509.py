"""DER/PEM certificates -> the facts the audit needs."""

from __future__ import annotations

import base64
import warnings
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID

from auditor.normalise.hostnames import normalise
from auditor.normalise.tls_checks import key_facts, signature_hash


@dataclass(frozen=True)
class CertFacts:
    subject: str
    issuer: str
    common_name: str | None
    names: tuple[str, ...]       # SAN DNS names, else the CN; lower-case
    not_before: datetime
    not_after: datetime
    thumbprint: str              # upper-case hex SHA-1, as Azure shows thumbprints
    serial: str
    is_ca: bool
    self_signed: bool
    key_type: str = ""           # "RSA", "EC", "Ed25519"
    key_bits: int | None = None
    signature_hash: str = ""     # "sha256", "sha1", "md5"; "" for Ed25519


def facts(cert: x509.Certificate) -> CertFacts:
    # Real Key Vault certificates carry negative serials; cryptography warns on each read.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return _facts(cert)


def _facts(cert: x509.Certificate) -> CertFacts:
    cn_attrs = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    common_name = str(cn_attrs[0].value) if cn_attrs else None
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = tuple(dict.fromkeys(normalise(n) for n in san.get_values_for_type(x509.DNSName)))
    except x509.ExtensionNotFound:
        names = ()
    if not names and common_name:
        names = (normalise(common_name),)
    try:
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    key_type, key_bits = key_facts(cert)
    return CertFacts(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        common_name=common_name,
        names=names,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        thumbprint=cert.fingerprint(hashes.SHA1()).hex().upper(),  # noqa: S303 - Azure's thumbprint is SHA-1
        serial=format(cert.serial_number, "X"),
        is_ca=is_ca,
        self_signed=cert.issuer == cert.subject,
        key_type=key_type,
        key_bits=key_bits,
        signature_hash=signature_hash(cert),
    )


def from_der(der: bytes) -> CertFacts:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        cert = x509.load_der_x509_certificate(der)
    return facts(cert)


def from_base64_der(text: str) -> CertFacts:
    """Key Vault's `cer` (standard base64 DER)."""
    return from_der(base64.b64decode(text))


def thumbprint_from_x5t(x5t: str) -> str:
    """Key Vault's `x5t` is the base64url SHA-1 thumbprint; Azure elsewhere shows upper hex."""
    padded = x5t + "=" * (-len(x5t) % 4)
    return base64.urlsafe_b64decode(padded).hex().upper()
