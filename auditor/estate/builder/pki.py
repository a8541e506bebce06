"""The estate's private CA (root + issuing intermediate) and the leaf certificates it signs.

Keys are ECDSA P-256, generated at build time: fast, and never stored outside the
estate directory that is being built.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ROOT_NAME = "Contoso Estate Root CA"
ISSUING_NAME = "Contoso Estate Issuing CA 01"


@dataclass(frozen=True)
class IssuedCert:
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]       # intermediates above the leaf, nearest first

    @property
    def thumbprint(self) -> str:
        """Upper-case hex SHA-1, as Azure shows thumbprints."""
        return self.cert.fingerprint(hashes.SHA1()).hex().upper()  # noqa: S303 - Azure's thumbprint

    @property
    def x5t(self) -> str:
        """Key Vault's base64url SHA-1 thumbprint, unpadded."""
        digest = self.cert.fingerprint(hashes.SHA1())  # noqa: S303
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def not_before(self) -> datetime:
        return self.cert.not_valid_before_utc

    @property
    def not_after(self) -> datetime:
        return self.cert.not_valid_after_utc

    @property
    def issuer_cn(self) -> str:
        attrs = self.cert.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(attrs[0].value) if attrs else self.cert.issuer.rfc4514_string()

    @property
    def common_name(self) -> str:
        return str(self.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)

    @property
    def names(self) -> tuple[str, ...]:
        san = self.cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        return tuple(san.get_values_for_type(x509.DNSName))

    @property
    def subject(self) -> str:
        return self.cert.subject.rfc4514_string()

    def pem(self, *, leaf_only: bool = False) -> str:
        """Private key, then the leaf, then the chain: what a TLS endpoint serves."""
        key = self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption()).decode()
        certs = (self.cert,) if leaf_only else (self.cert, *self.chain)
        return key + "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certs)


def _name(cn: str, org: str = "Contoso Ltd") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


class Pki:
    """A root and one intermediate, valid well around `as_of`."""

    def __init__(self, as_of: datetime) -> None:
        self.root_key = _new_key()
        root_name = _name(ROOT_NAME)
        self.root = self._ca(root_name, root_name, self.root_key, self.root_key,
                             as_of - timedelta(days=3650), as_of + timedelta(days=3650), path_length=1)
        self.issuing_key = _new_key()
        self.issuing = self._ca(_name(ISSUING_NAME), root_name, self.issuing_key, self.root_key,
                                as_of - timedelta(days=1825), as_of + timedelta(days=1825), path_length=0)

    @staticmethod
    def _ca(subject: x509.Name, issuer: x509.Name, key: ec.EllipticCurvePrivateKey,
            signer: ec.EllipticCurvePrivateKey, start: datetime, end: datetime,
            path_length: int) -> x509.Certificate:
        return (
            x509.CertificateBuilder()
            .subject_name(subject).issuer_name(issuer)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(end)
            .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(signer, hashes.SHA256())
        )

    @property
    def root_pem(self) -> str:
        return self.root.public_bytes(serialization.Encoding.PEM).decode()

    def issue(self, names: tuple[str, ...], not_before: datetime, not_after: datetime, *,
              self_signed: bool = False) -> IssuedCert:
        """A TLS server certificate for `names` (the first is the CN); self-signed like
        Key Vault's `Self` issuer, else signed by the issuing CA."""
        key = _new_key()
        subject = _name(names[0])
        issuer_name = subject if self_signed else self.issuing.subject
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject).issuer_name(issuer_name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        )
        if self_signed:
            return IssuedCert(key=key, cert=builder.sign(key, hashes.SHA256()), chain=())
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(self.issuing_key.public_key()), critical=False)
        return IssuedCert(key=key, cert=builder.sign(self.issuing_key, hashes.SHA256()), chain=(self.issuing,))
