"""Rules about names on one estate through the real pipeline: dangling-dns,
managed-cert-renewal-at-risk, stale-custom-domain and retired-domain-in-use, with the estate's
own auditor.toml (a retired domain, an active and an expired suppression)."""

from __future__ import annotations

import pytest

from auditor.estate.builder import (
    AppServiceCertificate,
    EstateSpec,
    FrontDoor,
    FrontDoorDomain,
    HostName,
    Origin,
    OriginGroup,
    Record,
    Site,
    StorageAccount,
    Zone,
)

from .pipeline import AuditedEstate, audit_estate

CONFIG = """
[decommission]
retired_domains = ["contoso-retired.net"]

[[suppressions]]
rule = "retired-domain-in-use"
subject = "api.contoso-retired.net"
reason = "Partner cut-over booked for 2025-10-01"
expires = 2099-01-01

[[suppressions]]
rule = "dangling-dns"
subject = "old.example.org"
reason = "Was going to be recreated"
expires = 2025-09-01
"""

# example.org (Azure DNS, CAA DigiCert):
#   app       a site with a managed certificate, CNAME straight at the site: healthy.
#   ok        Front Door managed certificate, validation Approved, direct CNAME: healthy.
#   pending   Front Door managed certificate whose validation is Pending: will not renew.
#   chain     Front Door managed, CNAME chain.example.org -> hop.example.org -> endpoint: will not renew.
#   old       CNAME to gone-app.azurewebsites.net: NXDOMAIN (takeover); its suppression has expired.
#   third     CNAME to someone.azurewebsites.net: resolves, no site in the inventory owns it, and
#             another tenant holds the name (names_taken_elsewhere): owned elsewhere.
#   media     CNAME to fabrikamdata.blob.core.windows.net, a storage account the estate has: fine.
#   moved     bound to the site, but its CNAME now points at elsewhere.example.net: stale.
# caa.example (Azure DNS) allows only letsencrypt.org; www.caa.example is a Front Door managed domain.
# contoso-retired.net (a real suffix: a setting's host must be one under the Public Suffix List; retired in auditor.toml): `www` CNAME still at the site (a record only), a TXT
#   (routes nothing), and the site's app setting names api.contoso-retired.net (suppressed until 2099).
# The Front Door origin `assets-gone.blob.core.windows.net` does not resolve: takeover.
NAMES = EstateSpec(
    app_service_certificates=(AppServiceCertificate("app", source="managed", names=("app.example.org",)),),
    sites=(Site("contoso-names", host_names=(
        HostName("app.example.org", certificate="app"),
        HostName("moved.example.org", dns=False)),
        app_settings={"PARTNER_API": "https://api.contoso-retired.net/v1"}),),
    front_doors=(FrontDoor(
        "fd-names",
        domains=(FrontDoorDomain("ok.example.org"), FrontDoorDomain("pending.example.org", validation="Pending"),
                 FrontDoorDomain("chain.example.org", dns=False), FrontDoorDomain("www.caa.example")),
        origin_groups=(OriginGroup("og", (Origin("fabrikamdata.blob.core.windows.net"),
                                          Origin("assets-gone.blob.core.windows.net"))),)),),
    zones=(
        Zone("example.org", records=(
            Record("@", "CAA", ('0 issue "digicert.com"',)),
            Record("chain", "CNAME", ("hop.example.org",)),
            Record("hop", "CNAME", ("{endpoint:fd-names/web}",)),
            Record("old", "CNAME", ("gone-app.azurewebsites.net",)),
            Record("third", "CNAME", ("someone.azurewebsites.net",)),
            Record("media", "CNAME", ("fabrikamdata.blob.core.windows.net",)),
            Record("moved", "CNAME", ("elsewhere.example.net",)),
        )),
        Zone("caa.example", records=(Record("@", "CAA", ('0 issue "letsencrypt.org"',)),)),
        Zone("contoso-retired.net", records=(
            Record("www", "CNAME", ("{site:contoso-names}",)),
            Record("_verify", "TXT", ("v=verification",)),
        )),
        Zone("example.net", records=(Record("elsewhere", "A", ("20.9.9.9",)),)),
        Zone("azurewebsites.net", azure=False, records=(Record("someone", "A", ("20.7.7.7",)),)),
    ),
    storage_accounts=(StorageAccount("fabrikamdata"),),
    config=CONFIG,
    names_taken_elsewhere=("someone.azurewebsites.net",),
)


@pytest.fixture(scope="module")
def names(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(NAMES, tmp_path_factory.mktemp("names") / "estate")


def test_dangling_dns(names: AuditedEstate) -> None:
    assert names.subjects("dangling-dns") == {
        "old.example.org", "third.example.org", "assets-gone.blob.core.windows.net"}
    severity = {f.subject: f.severity.value for f in names.per_rule["dangling-dns"].findings}
    assert severity["old.example.org"] == "critical" and severity["third.example.org"] == "high"
    evidence = {f.subject: f.evidence for f in names.per_rule["dangling-dns"].findings}
    assert evidence["third.example.org"]["available"] is False
    assert evidence["third.example.org"]["owned_elsewhere"] is True
    assert evidence["old.example.org"]["available"] is True


def test_an_expired_suppression_brings_the_finding_back(names: AuditedEstate) -> None:
    old = next(f for f in names.per_rule["dangling-dns"].findings if f.subject == "old.example.org")
    assert old.evidence["suppression_expired"] == {"expires": "2025-09-01", "reason": "Was going to be recreated"}


def test_managed_cert_renewal_at_risk(names: AuditedEstate) -> None:
    assert names.subjects("managed-cert-renewal-at-risk") == {
        "pending.example.org", "chain.example.org", "www.caa.example"}


def test_stale_custom_domain(names: AuditedEstate) -> None:
    assert names.subjects("stale-custom-domain") == {"moved.example.org"}


def test_retired_domain_in_use_with_an_active_suppression(names: AuditedEstate) -> None:
    assert names.subjects("retired-domain-in-use") == {"www.contoso-retired.net"}
    [www] = names.per_rule["retired-domain-in-use"].findings
    assert www.severity.value == "high" and www.evidence["kinds"] == ["dns-record"]
    [kept_aside] = names.per_rule["retired-domain-in-use"].suppressed
    assert kept_aside.finding.subject == "api.contoso-retired.net"
    assert kept_aside.finding.evidence["kinds"] == ["app-setting"]


def test_a_domain_still_pending_validation_serves_no_certificate_of_its_own(names: AuditedEstate) -> None:
    assert names.subjects("tls-endpoint-broken") == {"pending.example.org"}
    [pending] = names.per_rule["tls-endpoint-broken"].findings
    assert pending.evidence["problems"] == ["name-mismatch"]


def test_nothing_else_fires(names: AuditedEstate) -> None:
    assert {rule for rule, _ in names.all_pairs()} == {
        "dangling-dns", "managed-cert-renewal-at-risk", "stale-custom-domain", "retired-domain-in-use",
        "tls-endpoint-broken"}
    assert names.report.gaps == ()
