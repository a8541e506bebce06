"""Certificate rules on one estate through the real pipeline: cert-expired, cert-expiring,
cert-unmanaged, cert-rotation-pinned, cert-rotation-stale and orphaned-certificate, each with
its failing cases and the near misses that must stay quiet."""

from __future__ import annotations

import pytest

from auditor.estate.builder import (
    AppServiceCertificate,
    Endpoint,
    EstateSpec,
    HostName,
    Record,
    Site,
    Validity,
    Vault,
    VaultCertificate,
    Zone,
)

from .pipeline import AuditedEstate, audit_estate

SUB = "/subscriptions/00000000-0000-0000-0000-000000000001"
APP_CERTS = f"{SUB}/resourceGroups/rg-web/providers/Microsoft.Web/certificates"


def _bound(name: str) -> AppServiceCertificate:
    return AppServiceCertificate(name, key_vault=f"kv-app/{name}")


# Every host is under example.com (CAA allows DigiCert). Described case by case:
#   www       healthy Key Vault certificate, bound.
#   gone      Key Vault certificate, expired 3 days ago, bound nowhere, covering no live name.
#   soon      uploaded App Service certificate, 10 days left, bound: expiring (high), unmanaged.
#   third     Key Vault, 60 of 365 days left (under a third), bound: expiring (medium), with its copy.
#   imported  Key Vault issuer Unknown (imported), bound: unmanaged, with its App Service copy.
#   pin       App Service certificate pinned to the current Key Vault version: pinned, not stale.
#   late      renewed in Key Vault 30 h ago; the live endpoint still serves the previous version.
#   fresh     renewed 10 h ago; the endpoint still serves the previous version: within the 24 h lag.
#   deep      *.deep.example.com, unbound; the only live name below it is two labels down: orphaned.
#   shopwild  *.shop.example.com, unbound, covers the live eu.shop.example.com: not orphaned.
CERTS = EstateSpec(
    vaults=(Vault("kv-app", certificates=(
        VaultCertificate("www", ("www.example.com",)),
        VaultCertificate("gone", ("gone.example.com",), not_after="-3d"),
        VaultCertificate("third", ("third.example.com",), not_after="+60d", lifetime="365d"),
        VaultCertificate("imported", ("imported.example.com",), issuer="Unknown"),
        VaultCertificate("pin", ("pin.example.com",)),
        VaultCertificate("late", ("late.example.com",), not_after="+8730h", lifetime="365d",
                         older=(Validity("+200d"),)),
        VaultCertificate("fresh", ("fresh.example.com",), not_after="+8750h", lifetime="365d",
                         older=(Validity("+200d"),)),
        VaultCertificate("deep", ("*.deep.example.com",)),
        VaultCertificate("shopwild", ("*.shop.example.com",)),
    )),),
    app_service_certificates=(
        _bound("www"), _bound("third"), _bound("imported"), _bound("late"), _bound("fresh"),
        AppServiceCertificate("pin", key_vault="kv-app/pin", pinned=0),
        AppServiceCertificate("soon", source="uploaded", names=("soon.example.com",),
                              not_after="+10d", lifetime="180d"),
    ),
    sites=(Site("contoso-certs", host_names=tuple(
        HostName(f"{name}.example.com", certificate=name)
        for name in ("www", "soon", "third", "imported", "pin", "late", "fresh"))),),
    zones=(Zone("example.com", records=(
        Record("@", "CAA", ('0 issue "digicert.com"',)),
        Record("a.b.deep", "A", ("20.1.2.3",)),
        Record("eu.shop", "A", ("20.1.2.4",)),
    )),),
    endpoints=(Endpoint("late.example.com", serve="kv-app/late@1"),
               Endpoint("fresh.example.com", serve="kv-app/fresh@1")),
)


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(CERTS, tmp_path_factory.mktemp("certs") / "estate")


def test_cert_expired(certs: AuditedEstate) -> None:
    assert certs.subjects("cert-expired") == {"kv-app/gone"}


def test_cert_expiring(certs: AuditedEstate) -> None:
    assert certs.subjects("cert-expiring") == {
        f"{APP_CERTS}/soon", "kv-app/third", f"{APP_CERTS}/third"}
    severity = {f.subject: f.severity.value for f in certs.per_rule["cert-expiring"].findings}
    assert severity[f"{APP_CERTS}/soon"] == "high" and severity["kv-app/third"] == "medium"


def test_cert_unmanaged(certs: AuditedEstate) -> None:
    assert certs.subjects("cert-unmanaged") == {
        f"{APP_CERTS}/soon", "kv-app/imported", f"{APP_CERTS}/imported"}


def test_cert_rotation_pinned(certs: AuditedEstate) -> None:
    assert certs.subjects("cert-rotation-pinned") == {f"{APP_CERTS}/pin"}


def test_cert_rotation_stale_only_past_the_sync_lag(certs: AuditedEstate) -> None:
    assert certs.subjects("cert-rotation-stale") == {"late.example.com"}
    [late] = certs.per_rule["cert-rotation-stale"].findings
    assert late.evidence["sync_lag_hours"] == 24


def test_orphaned_certificate_follows_wildcard_depth(certs: AuditedEstate) -> None:
    assert certs.subjects("orphaned-certificate") == {"kv-app/gone", "kv-app/deep"}


def test_nothing_else_fires(certs: AuditedEstate) -> None:
    assert {rule for rule, _ in certs.all_pairs()} == {
        "cert-expired", "cert-expiring", "cert-unmanaged", "cert-rotation-pinned",
        "cert-rotation-stale", "orphaned-certificate"}
    assert certs.report.gaps == ()
