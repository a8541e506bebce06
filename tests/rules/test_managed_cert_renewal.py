from datetime import timedelta

from auditor.model import CaaRecord, CertificateKind, DnsStatus, Renewal, ServiceKind, Severity

from .factories import AS_OF, app_cert, days, domain, healthy, record, resolved, with_
from .helpers import run

FD_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Cdn/profiles/fd/customDomains/www"
ENDPOINT = "ep-1.z01.azurefd.net"


def managed_app(**kw: object) -> object:
    return with_(healthy(), custom_domains=(domain(kind=CertificateKind.MANAGED),), **kw)


def front_door(state: str = "Approved", **kw: object) -> object:
    return domain(service=ServiceKind.FRONT_DOOR, kind=CertificateKind.MANAGED, serving=FD_ID,
                  expected=(ENDPOINT,), validation_state=state, **kw)


def test_direct_cname_is_fine() -> None:
    assert run("managed-cert-renewal-at-risk", managed_app()) == []


def test_cname_through_a_chain() -> None:
    inv = managed_app(dns=(resolved("www.contoso.com", "cdn.contoso.net", "app.azurewebsites.net"),))
    [finding] = run("managed-cert-renewal-at-risk", inv)
    assert finding.subject == "www.contoso.com"
    assert "cdn.contoso.net" in finding.evidence["reasons"][0]


def test_traffic_manager_is_allowed_for_app_service() -> None:
    inv = managed_app(dns=(resolved("www.contoso.com", "app-tm.trafficmanager.net", "app.azurewebsites.net"),))
    assert run("managed-cert-renewal-at-risk", inv) == []


def test_caa_without_digicert() -> None:
    caa = (CaaRecord(0, "issue", "letsencrypt.org"), CaaRecord(0, "iodef", "mailto:x@contoso.com"))
    inv = managed_app(dns=(resolved("www.contoso.com", "app.azurewebsites.net", caa=caa),))
    [finding] = run("managed-cert-renewal-at-risk", inv)
    assert finding.evidence["reasons"] == ["a CAA record set does not allow digicert.com"]


def test_caa_from_azure_dns_when_not_observed() -> None:
    inv = managed_app(dns=(), dns_records=(record("contoso.com", "CAA", '0 issue "letsencrypt.org"'),))
    assert len(run("managed-cert-renewal-at-risk", inv)) == 1


def test_front_door_pending_revalidation() -> None:
    inv = with_(healthy(), custom_domains=(front_door("PendingRevalidation"),),
                dns=(resolved("www.contoso.com", ENDPOINT),))
    [finding] = run("managed-cert-renewal-at-risk", inv)
    assert finding.evidence["validation_state"] == "PendingRevalidation"


def test_front_door_a_record_needs_fresh_txt() -> None:
    apex = resolved("www.contoso.com")
    inv = with_(healthy(), custom_domains=(front_door(),), dns=(apex,))
    assert len(run("managed-cert-renewal-at-risk", inv)) == 1
    fresh = front_door(validation_token="tok", validation_expires=AS_OF + days(5))
    txt = resolved("www.contoso.com", txt=(("_dnsauth.www.contoso.com", "tok"),))
    assert run("managed-cert-renewal-at-risk", with_(inv, custom_domains=(fresh,), dns=(txt,))) == []
    stale = front_door(validation_token="tok", validation_expires=AS_OF - timedelta(hours=1))
    assert len(run("managed-cert-renewal-at-risk", with_(inv, custom_domains=(stale,), dns=(txt,)))) == 1


def test_critical_inside_the_renewal_window() -> None:
    managed_cert = app_cert("managed", follows=None, renewal=Renewal.PLATFORM, thumbprint="C" * 40)
    managed_cert = with_(managed_cert, not_after=AS_OF + days(30))  # type: ignore[arg-type]
    inv = managed_app(certificates=(*healthy().certificates, managed_cert),
                      dns=(resolved("www.contoso.com", "other.azurewebsites.net"),))
    [finding] = run("managed-cert-renewal-at-risk", inv)
    assert finding.severity is Severity.CRITICAL


def test_not_managed_is_not_judged() -> None:
    inv = with_(healthy(), dns=(resolved("www.contoso.com", status=DnsStatus.NXDOMAIN),))
    assert run("managed-cert-renewal-at-risk", inv) == []
