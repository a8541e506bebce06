"""Throwaway certificate chains for the TLS tests, generated per run (no key is committed).

Imported by the sibling TLS test modules; its own tests pin that a chain it builds
is one a real verifier accepts, so a failing verdict elsewhere is never the builder's fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import verification
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = datetime(2025, 9, 10, tzinfo=UTC)
VALID = (NOW - timedelta(days=30), NOW + timedelta(days=300))
EXPIRED = (NOW - timedelta(days=400), NOW - timedelta(days=5))


@dataclass(frozen=True)
class Issued:
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey


def _builder(subject: str, issuer: x509.Name, key: ec.EllipticCurvePrivateKey,
             validity: tuple[datetime, datetime]) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(validity[0])
        .not_valid_after(validity[1])
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                         key_agreement=False, encipher_only=False, decipher_only=False)


def make_root(name: str, validity: tuple[datetime, datetime] = (NOW - timedelta(days=3650),
                                                                 NOW + timedelta(days=3650))) -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    cert = (
        _builder(name, subject, key, validity)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_ca_usage(), critical=True)
        .sign(key, hashes.SHA256())
    )
    return Issued(cert, key)


def make_intermediate(parent: Issued, name: str,
                      validity: tuple[datetime, datetime] = (NOW - timedelta(days=365),
                                                             NOW + timedelta(days=1000))) -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        _builder(name, parent.cert.subject, key, validity)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_ca_usage(), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(parent.key.public_key()),
                       critical=False)
        .sign(parent.key, hashes.SHA256())
    )
    return Issued(cert, key)


def make_leaf(parent: Issued, names: list[str], validity: tuple[datetime, datetime] = VALID) -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        _builder(names[0], parent.cert.subject, key, validity)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=False, crl_sign=False,
                                     content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(parent.key.public_key()),
                       critical=False)
        .sign(parent.key, hashes.SHA256())
    )
    return Issued(cert, key)


def make_self_signed_leaf(names: list[str], validity: tuple[datetime, datetime] = VALID) -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    cert = (
        _builder(names[0], subject, key, validity)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(cert, key)


def served_pem(leaf: Issued, *chain: x509.Certificate) -> bytes:
    """A tls/<host>.pem: the leaf's private key, then the chain, leaf first."""
    key = leaf.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
    certs = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (leaf.cert, *chain))
    return key + certs


def write_pem(path: Path, *certs: x509.Certificate) -> Path:
    path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs))
    return path


def test_built_chain_is_accepted_by_a_real_verifier() -> None:
    root = make_root("Test Root")
    inter = make_intermediate(root, "Test Issuing CA")
    leaf = make_leaf(inter, ["www.example.test"])
    verifier = (verification.PolicyBuilder().store(verification.Store([root.cert])).time(NOW)
                .build_server_verifier(x509.DNSName("www.example.test")))
    path = verifier.verify(leaf.cert, [inter.cert])
    assert [c.subject for c in path] == [leaf.cert.subject, inter.cert.subject, root.cert.subject]


def test_served_pem_holds_key_then_leaf_first() -> None:
    root = make_root("Test Root")
    leaf = make_leaf(root, ["a.example.test"])
    text = served_pem(leaf, root.cert)
    assert text.startswith(b"-----BEGIN PRIVATE KEY-----")
    certs = x509.load_pem_x509_certificates(text)
    assert [c.subject for c in certs] == [leaf.cert.subject, root.cert.subject]
