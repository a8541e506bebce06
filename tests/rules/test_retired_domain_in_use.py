from auditor.config import DecommissionConfig
from auditor.model import ReferenceKind, Severity

from .factories import config, healthy, kv_cert, record, reference, with_, zone
from .helpers import run

LEGACY = "contoso-legacy.net"


def legacy_estate() -> object:
    return with_(healthy(),
                 references=(reference(f"login.{LEGACY}", where="appsettings.AUTH_CALLBACK_URL"),
                             reference(f"LOGIN.{LEGACY}".lower(), ReferenceKind.CORS_ORIGIN, "web.cors.allowedOrigins[0]")),
                 dns_records=(*healthy().dns_records, record(f"old.{LEGACY}", "CNAME", "app.azurewebsites.net",
                                                            zone_name=LEGACY)))


def test_declared_in_config() -> None:
    cfg = config(decommission=DecommissionConfig(retired_domains=(LEGACY,)))
    findings = run("retired-domain-in-use", legacy_estate(), cfg)
    by_subject = {f.subject: f for f in findings}
    login = by_subject[f"login.{LEGACY}"]
    assert login.severity is Severity.CRITICAL
    assert login.evidence["kinds"] == ["app-setting", "cors-origin"]   # one finding per dependent resource
    assert by_subject[f"old.{LEGACY}"].evidence["kind"] == "dns-record"
    assert by_subject[f"old.{LEGACY}"].severity is Severity.HIGH


def test_declared_by_zone_tag() -> None:
    inv = with_(legacy_estate(), resources=(*healthy().resources, zone(LEGACY, {"auditor:retired": "true"})))
    subjects = {f.subject for f in run("retired-domain-in-use", inv)}
    assert subjects == {f"login.{LEGACY}", f"old.{LEGACY}"}
    falsy = with_(inv, resources=(*healthy().resources, zone(LEGACY, {"Auditor:Retired": "no"})))
    assert run("retired-domain-in-use", falsy) == []


def test_retired_certificate_still_bound() -> None:
    inv = with_(healthy(), certificates=(kv_cert(tags={"auditor:retired": "2025-08-01"}),
                                         *healthy().certificates[1:]))
    subjects = {f.subject for f in run("retired-domain-in-use", inv)}
    assert "www.contoso.com" in subjects


def test_nothing_retired() -> None:
    assert run("retired-domain-in-use", legacy_estate()) == []
