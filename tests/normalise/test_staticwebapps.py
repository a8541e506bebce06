from auditor.model import CertificateKind, ServiceKind
from auditor.normalise.staticwebapps import static_site

SITE = {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/staticSites/docs", "name": "docs",
        "type": "Microsoft.Web/staticSites", "location": "West Europe",
        "properties": {"defaultHostname": "happy-sea-0a1b2c3d4.5.azurestaticapps.net",
                       "customDomains": ["docs.contoso.com"]}}


def test_custom_domains_with_status() -> None:
    domains = [
        {"id": SITE["id"] + "/customDomains/docs.contoso.com", "name": "docs.contoso.com",
         "type": "Microsoft.Web/staticSites/customDomains",
         "properties": {"domainName": "Docs.Contoso.com", "status": "Ready", "validationToken": "",
                        "createdOn": "2025-01-01T00:00:00Z"}},
        {"id": SITE["id"] + "/customDomains/new.contoso.com", "name": "new.contoso.com",
         "properties": {"domainName": "new.contoso.com", "status": "Validating", "validationToken": "tok"}},
    ]
    extract = static_site(SITE, domains)
    got = {d.hostname: d for d in extract.custom_domains}
    assert set(got) == {"docs.contoso.com", "new.contoso.com"}
    assert got["docs.contoso.com"].expected_targets == ("happy-sea-0a1b2c3d4.5.azurestaticapps.net",)
    assert got["docs.contoso.com"].service is ServiceKind.STATIC_WEB_APP
    assert got["docs.contoso.com"].certificate_kind is CertificateKind.MANAGED
    assert got["new.contoso.com"].validation_state == "Validating"
    assert [b.hostname for b in extract.bindings] == ["docs.contoso.com"]
    assert extract.resources[0].default_hostnames == ("happy-sea-0a1b2c3d4.5.azurestaticapps.net",)
