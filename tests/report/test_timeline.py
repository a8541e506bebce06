from __future__ import annotations

from datetime import timedelta

from auditor.model.certificate import Certificate, CertificateStore, Renewal
from auditor.model.common import Severity
from auditor.report import render
from auditor.report.timeline import expiries

from .factories import AS_OF, expiring, report


def _cert(key: str, days: int) -> Certificate:
    return Certificate(key=key, store=CertificateStore.KEY_VAULT, name=key.split("/")[-1], resource_id="/vault",
                       thumbprint=None, subject=None, names=(), not_before=None,
                       not_after=AS_OF + timedelta(days=days), issuer=None, renewal=Renewal.AUTO)


def test_expiries_merge_findings_and_inventory_within_the_window() -> None:
    findings = [expiring("kv-prod/www", 5, Severity.CRITICAL), expiring("kv-prod/gone", -3, Severity.CRITICAL)]
    certs = [_cert("kv-prod/www", 5), _cert("kv-prod/later", 60), _cert("kv-prod/far", 200)]
    items, past = expiries(findings, certs, AS_OF)
    assert [(i.label, i.severity) for i in items] == [("kv-prod/www", Severity.CRITICAL), ("kv-prod/later", None)]
    assert past == 1


def test_html_timeline_draws_the_inventory_certificates() -> None:
    html = render(report([expiring("kv-prod/www", 5)]), "html", certificates=[_cert("kv-prod/later", 60)])
    timeline = html.split('id="timeline"', 1)[1].split("</section>", 1)[0]
    assert timeline.count("<circle") == 2 and "kv-prod/later" in timeline
    assert "No certificate expires" in render(report(), "html")


def test_copies_are_labelled_by_the_name_they_cover() -> None:
    from datetime import UTC, datetime, timedelta

    from auditor.model import Certificate, CertificateStore, Renewal
    from auditor.report.timeline import expiries

    as_of = datetime(2025, 9, 10, tzinfo=UTC)
    secret = Certificate(
        key="/subscriptions/s/resourcegroups/rg/providers/microsoft.cdn/profiles/fd/secrets/3b2e-news-contoso-com",
        store=CertificateStore.FRONT_DOOR_SECRET, name="3b2e-news-contoso-com",
        resource_id="/subscriptions/s/resourceGroups/rg/providers/Microsoft.Cdn/profiles/fd/secrets/3b2e-news-contoso-com",
        thumbprint=None, subject="CN=news.contoso.com", names=("news.contoso.com",), not_before=None,
        not_after=as_of + timedelta(days=20), issuer=None, renewal=Renewal.PLATFORM)
    vault = Certificate(key="kv/web", store=CertificateStore.KEY_VAULT, name="web", resource_id="/x", thumbprint=None,
                        subject=None, names=("www.contoso.com",), not_before=None,
                        not_after=as_of + timedelta(days=40), issuer=None, renewal=Renewal.AUTO)
    items, past = expiries([], [secret, vault], as_of)
    assert [i.label for i in items] == ["news.contoso.com (front-door-secret)", "kv/web"]
    assert past == 0
