"""The estate's private CA (root + issuing intermediate) and the leaf certificates it signs.

Keys are ECDSA P-256, generated at build time: fast, and never stored outside the
estate directory that is being built. An endpoint may ask for what breaks or weakens
TLS instead (an RSA 1024 key, a SHA-1 signed intermediate, no serverAuth EKU,
must-staple) and for a stapled OCSP response signed by the issuing CA.
"""

from __future__ import annotations

import base64
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from OpenSSL import crypto

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
KEYS = ("ec256", "rsa1024", "rsa2048")
EKUS = {"serverAuth": ExtendedKeyUsageOID.SERVER_AUTH, "clientAuth": ExtendedKeyUsageOID.CLIENT_AUTH,
        "codeSigning": ExtendedKeyUsageOID.CODE_SIGNING}
OCSP_STATUSES = ("good", "revoked", "expired")
SHA1_ISSUING_NAME = "Contoso Estate Legacy CA (SHA-1)"

ROOT_NAME = "Contoso Estate Root CA"
ISSUING_NAME = "Contoso Estate Issuing CA 01"


@dataclass(frozen=True)
class IssuedCert:
    key: PrivateKey
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


def _resign_sha1(cert: x509.Certificate, signer: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    """`cert` signed again with SHA-1: cryptography refuses to sign with it, OpenSSL still does."""
    with warnings.catch_warnings():   # pyOpenSSL's X509 API is deprecated, and the only way left
        warnings.simplefilter("ignore", DeprecationWarning)
        legacy = crypto.X509.from_cryptography(cert)
        legacy.sign(crypto.PKey.from_cryptography_key(signer), "sha1")
        return legacy.to_cryptography()


def _key_of(kind: str) -> PrivateKey:
    if kind == "rsa1024":
        return rsa.generate_private_key(public_exponent=65537, key_size=1024)
    if kind == "rsa2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _new_key()


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
        self._as_of = as_of
        self._sha1: tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None = None

    def sha1_issuing(self) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
        """A second issuing CA, signed by the root with SHA-1 (made on first use)."""
        if self._sha1 is None:
            key = _new_key()
            cert = self._ca(_name(SHA1_ISSUING_NAME), self.root.subject, key, self.root_key,
                            self._as_of - timedelta(days=1825), self._as_of + timedelta(days=1825),
                            path_length=0)
            self._sha1 = _resign_sha1(cert, self.root_key), key
        return self._sha1

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

    def reissue(self, like: IssuedCert, *, key: str = "ec256", eku: str = "serverAuth",
                must_staple: bool = False, sha1_intermediate: bool = False) -> IssuedCert:
        """A leaf with `like`'s names and validity, but the key, EKU, must-staple and issuer asked for."""
        if key not in KEYS:
            raise ValueError(f"key must be one of {', '.join(KEYS)}")
        if eku not in EKUS:
            raise ValueError(f"eku must be one of {', '.join(EKUS)}")
        issuer, issuer_key = self.sha1_issuing() if sha1_intermediate else (self.issuing, self.issuing_key)
        leaf_key = _key_of(key)
        builder = (
            x509.CertificateBuilder()
            .subject_name(like.cert.subject).issuer_name(issuer.subject)
            .public_key(leaf_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(like.not_before).not_valid_after(like.not_after)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in like.names]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([EKUS[eku]]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
                           critical=False)
        )
        if must_staple:
            builder = builder.add_extension(x509.TLSFeature([x509.TLSFeatureType.status_request]), critical=False)
        return IssuedCert(key=leaf_key, cert=builder.sign(issuer_key, hashes.SHA256()), chain=(issuer,))

    def ocsp_response(self, issued: IssuedCert, status: str, as_of: datetime) -> bytes:
        """A DER OCSP response for `issued`, signed by its issuing CA (RFC 6960), as a server staples it."""
        if status not in OCSP_STATUSES:
            raise ValueError(f"ocsp must be one of {', '.join(OCSP_STATUSES)}")
        issuer, issuer_key = ((self.issuing, self.issuing_key) if not issued.chain or
                              issued.chain[0] == self.issuing else self.sha1_issuing())
        this_update = as_of - timedelta(days=10 if status == "expired" else 1)
        next_update = as_of - timedelta(days=3) if status == "expired" else as_of + timedelta(days=6)
        cert_status = ocsp.OCSPCertStatus.REVOKED if status == "revoked" else ocsp.OCSPCertStatus.GOOD
        response = (
            ocsp.OCSPResponseBuilder()
            .add_response(cert=issued.cert, issuer=issuer, algorithm=hashes.SHA1(),  # noqa: S303 - RFC 6960 CertID
                          cert_status=cert_status, this_update=this_update, next_update=next_update,
                          revocation_time=this_update if status == "revoked" else None,
                          revocation_reason=x509.ReasonFlags.key_compromise if status == "revoked" else None)
            .responder_id(ocsp.OCSPResponderEncoding.HASH, issuer)
            .sign(issuer_key, hashes.SHA256())
        )
        return response.public_bytes(serialization.Encoding.DER)
