"""observe_tls sees the same thing from nginx as from the emulator, for one tls/ directory.

Chains are generated here (a root, an issuing CA, leaves); the clock is moved past one
leaf's expiry rather than minting an expired certificate, which also shows that the
verdict follows the audit's clock and not the machine's.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from realservers import start_nginx

from auditor.collect.context import CollectContext, Network
from auditor.collect.tls import observe_tls
from auditor.config import CollectConfig, default_config
from auditor.emulator.faults import FaultPlan
from auditor.emulator.requestlog import RequestLog
from auditor.emulator.tls_server import TlsServer
from auditor.model.tls import TlsObservation, TlsStatus, TlsVerdict

pytestmark = pytest.mark.integration
NOW = datetime.now(UTC).replace(microsecond=0)
SHORT_LIVED_UNTIL = NOW + timedelta(days=10)
HOSTS = ["shop.contoso.test", "short.contoso.test", "bare.contoso.test", "old.contoso.test",
         "unknown.contoso.test"]


class _Authority:
    """A CA that issues leaves in the shape public CAs do (SAN not critical, serverAuth EKU)."""

    def __init__(self, name: str, parent: _Authority | None = None) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        builder = self._base(self.name, self.key, parent, NOW - timedelta(days=365), NOW + timedelta(days=3650))
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        builder = builder.add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False),
                                        critical=True)
        self.cert = builder.sign((parent or self).key, hashes.SHA256())

    def _base(self, subject: x509.Name, key: ec.EllipticCurvePrivateKey, parent: _Authority | None,
              start: datetime, end: datetime) -> x509.CertificateBuilder:
        issuer = parent.name if parent else subject
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(start).not_valid_after(end)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
        if parent:
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(parent.key.public_key()), critical=False)
        return builder

    def issue(self, names: list[str], until: datetime = NOW + timedelta(days=90)) -> tuple[bytes, x509.Certificate]:
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
        cert = (self._base(subject, key, self, NOW - timedelta(days=1), until)
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                .sign(self.key, hashes.SHA256()))
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        return pem, cert


def write_estate(folder: Path) -> tuple[Path, Path]:
    tls = folder / "tls"
    tls.mkdir(parents=True)
    root = _Authority("Parity Root")
    issuing = _Authority("Parity Issuing CA", root)
    trust = folder / "trust.pem"
    trust.write_bytes(root.cert.public_bytes(serialization.Encoding.PEM))

    def serve(host: str, leaf: tuple[bytes, x509.Certificate], with_issuing: bool = True,
              settings: dict[str, str] | None = None) -> None:
        certs = [leaf[1], issuing.cert] if with_issuing else [leaf[1]]
        (tls / f"{host}.pem").write_bytes(leaf[0] + b"".join(c.public_bytes(serialization.Encoding.PEM)
                                                             for c in certs))
        if settings:
            (tls / f"{host}.json").write_text(json.dumps(settings))

    serve("shop.contoso.test", issuing.issue(["shop.contoso.test", "*.shop.contoso.test"]))
    serve("short.contoso.test", issuing.issue(["short.contoso.test"], until=SHORT_LIVED_UNTIL))
    serve("bare.contoso.test", issuing.issue(["bare.contoso.test"]), with_issuing=False)
    serve("old.contoso.test", issuing.issue(["old.contoso.test"]), settings={"max_version": "TLSv1.1"})
    serve("_default", issuing.issue(["fallback.contoso.test"]))
    return tls, trust


def context_for(port: int, trust: Path) -> CollectContext:
    config = default_config()
    config = replace(config, collect=CollectConfig(tls_timeout_seconds=3.0, tls_concurrency=4))
    return CollectContext(config=config, cloud=config.cloud,
                          network=Network(tls_host="127.0.0.1", tls_port=port, tls_trust_files=(trust,)),
                          as_of=NOW)


async def observe(port: int, trust: Path, as_of: datetime) -> dict[tuple[str, bool], TlsObservation]:
    observations, gaps = await observe_tls(HOSTS, context_for(port, trust), as_of)
    assert gaps == []
    return {(o.hostname, o.sni): o for o in observations}


@pytest.mark.parametrize("as_of", [NOW, SHORT_LIVED_UNTIL + timedelta(days=1)], ids=["now", "later"])
async def test_nginx_and_the_emulator_agree(tmp_path: Path, as_of: datetime) -> None:
    tls, trust = write_estate(tmp_path)
    server = TlsServer(tls, FaultPlan([]), RequestLog())
    port = server.start()
    try:
        expected = await observe(port, trust, as_of)
    finally:
        server.stop()
    with start_nginx(tls, tmp_path) as nginx_port:
        observed = await observe(nginx_port, trust, as_of)
    assert observed == expected

    verdicts = {host: observed[(host, True)].verdict for host in HOSTS}
    assert verdicts == {
        "shop.contoso.test": TlsVerdict.VALID,
        "short.contoso.test": TlsVerdict.VALID if as_of == NOW else TlsVerdict.EXPIRED,
        "bare.contoso.test": TlsVerdict.INCOMPLETE_CHAIN,
        # no TLS 1.2: a current client gets nowhere, but the TLS 1.1 chain is still judged
        "old.contoso.test": TlsVerdict.VALID,
        "unknown.contoso.test": TlsVerdict.NAME_MISMATCH,   # the default certificate answers
    }
    old = observed[("old.contoso.test", True)]
    assert old.status is TlsStatus.HANDSHAKE_FAILED
    assert (old.accepts_tls10, old.accepts_tls11) == (False, True)   # a cap alone lowers the floor to it
    assert (old.negotiated_version, len(old.chain)) == ("TLSv1.1", 2)
    shop = observed[("shop.contoso.test", True)]
    assert (shop.accepts_tls10, shop.accepts_tls11) == (False, False)
    assert len(shop.chain) == 2 and len(observed[("bare.contoso.test", True)].chain) == 1
