"""A listener's no-SNI default certificate is what a client gets when it sends no host name; every
current browser and SDK sends one. An estate whose default certificate expired long ago, while
www.fabrikam.com serves a valid certificate by SNI, is healthy for its users: no rule may fire.
Its twin serves the expired certificate by SNI as well and must report exactly that.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from auditor.core.analyse import analyse
from auditor.core.environment import open_environment
from auditor.core.pipeline import run_audit
from auditor.estate.builder import (
    AppServiceCertificate,
    EstateSpec,
    HostName,
    Record,
    Site,
    Vault,
    VaultCertificate,
    Zone,
    build_estate,
)
from auditor.rules.registry import CONTRACT_RULE_IDS

from .pipeline import AuditedEstate

SPEC = EstateSpec(
    vaults=(Vault("kv-web", certificates=(VaultCertificate("www", ("www.fabrikam.com",)),)),),
    app_service_certificates=(AppServiceCertificate("www", key_vault="kv-web/www"),),
    sites=(Site("fabrikam-web", host_names=(HostName("www.fabrikam.com", certificate="www"),)),),
    zones=(Zone("fabrikam.com", records=(Record("@", "CAA", ('0 issue "digicert.com"',)),)),),
)


def _expired_pem() -> bytes:
    """A self-signed certificate for an old default name, expired 35 days before the audit."""
    as_of = datetime.fromisoformat(SPEC.as_of)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "legacy-default.fabrikam.com")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(as_of - timedelta(days=400)).not_valid_after(as_of - timedelta(days=35))
            .sign(key, hashes.SHA256()))
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()) + cert.public_bytes(serialization.Encoding.PEM)


def _audit(out_dir: Path, *, expired_by_sni: bool) -> AuditedEstate:
    path = build_estate(SPEC, out_dir)
    pem = _expired_pem()
    (path / "tls" / "_default.pem").write_bytes(pem)
    if expired_by_sni:
        (path / "tls" / "www.fabrikam.com.pem").write_bytes(pem)
    with open_environment(estate=path, config_path=None, as_of=None) as env:
        outcome = run_audit(env)
        per_rule = {rule: analyse(outcome.inventory, env.config, env.as_of, rules=[rule])
                    for rule in CONTRACT_RULE_IDS}
        return AuditedEstate(path=path, report=outcome.report, inventory=outcome.inventory,
                             config=env.config, per_rule=per_rule)


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return _audit(tmp_path_factory.mktemp("default-cert") / "estate", expired_by_sni=False)


@pytest.fixture(scope="module")
def expired(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return _audit(tmp_path_factory.mktemp("default-cert-sni") / "estate", expired_by_sni=True)


def test_an_expired_no_sni_default_raises_nothing(healthy: AuditedEstate) -> None:
    assert healthy.report.gaps == ()
    assert healthy.all_pairs() == set()
    without_sni = [o for o in healthy.inventory.tls if o.hostname == "www.fabrikam.com" and not o.sni]
    assert [o.leaf.names for o in without_sni if o.leaf] == [("legacy-default.fabrikam.com",)]


def test_the_same_certificate_served_by_sni_is_reported(expired: AuditedEstate) -> None:
    assert expired.all_pairs() == {("cert-expired", "www.fabrikam.com"), ("tls-endpoint-broken", "www.fabrikam.com")}
