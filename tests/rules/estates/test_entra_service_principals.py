"""Enterprise applications (Graph servicePrincipals) keep SAML and gallery apps' reply URLs,
often with no app registration in the tenant (an app published by another tenant, such as a
workplace booking service's SAML sign-in). A reply URL under a retired domain is a sign-in flow
that breaks, or is handed to whoever registers the domain next.

https://learn.microsoft.com/en-us/graph/api/resources/serviceprincipal (replyUrls, logoutUrl)
https://learn.microsoft.com/en-us/graph/api/serviceprincipal-list (paging, $select)
https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/add-application-portal-setup-sso
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from auditor.core.decommission import decommission
from auditor.estate.builder import EstateSpec, Record, Site, Zone

from .pipeline import AuditedEstate, audit_estate

SP_ID = "5b3c6d2e-8f41-4a6b-9c1d-0e2f3a4b5c6d"
CONFIG = """
[decommission]
retired_domains = ["contoso-legacy.net"]
"""


def _enterprise_app(reply_host: str) -> dict[str, object]:
    """A SAML gallery app as GET /v1.0/servicePrincipals lists it: no app registration here."""
    return {"id": SP_ID, "type": "microsoft.graph/servicePrincipals",
            "appId": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "displayName": "Mapiq",
            "servicePrincipalType": "Application", "preferredSingleSignOnMode": "saml",
            "accountEnabled": True, "appOwnerOrganizationId": "9c8b7a65-4321-4fed-cba9-876543210fed",
            "replyUrls": [f"https://{reply_host}/saml2/acs"], "loginUrl": None, "logoutUrl": None,
            "servicePrincipalNames": ["0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"]}


ZONES = (Zone("contoso.com", records=(Record("www", "CNAME", ("contoso-web.azurewebsites.net",)),
                                      Record("@", "CAA", ('0 issue "digicert.com"',)))),)
# The reply URL on a live domain: nothing to report.
HEALTHY = EstateSpec(sites=(Site("contoso-web"),), zones=ZONES, config=CONFIG,
                     arm=(_enterprise_app("mapiq.contoso.com"),))
# The reply URL still on the retired domain.
RETIRED = replace(HEALTHY, arm=(_enterprise_app("mapiq.contoso-legacy.net"),))


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(HEALTHY, tmp_path_factory.mktemp("sp-healthy") / "estate")


@pytest.fixture(scope="module")
def retired(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(RETIRED, tmp_path_factory.mktemp("sp-retired") / "estate")


def test_a_reply_url_on_a_live_domain_raises_nothing(healthy: AuditedEstate) -> None:
    assert healthy.subjects("retired-domain-in-use") == set()
    [ref] = [r for r in healthy.inventory.references if r.resource_id == f"/servicePrincipals/{SP_ID}"]
    assert (ref.kind.value, ref.hostname, ref.where) == ("entra-redirect-uri", "mapiq.contoso.com", "replyUrls[0]")


def test_a_reply_url_on_the_retired_domain_is_retired_domain_in_use(retired: AuditedEstate) -> None:
    assert retired.subjects("retired-domain-in-use") == {"mapiq.contoso-legacy.net"}
    [finding] = retired.per_rule["retired-domain-in-use"].findings
    assert finding.resource_id == f"/servicePrincipals/{SP_ID}"
    assert finding.evidence["kinds"] == ["entra-redirect-uri"] and finding.evidence["where"] == ["replyUrls[0]"]


@pytest.mark.parametrize("target", ["contoso-legacy.net", "mapiq.contoso-legacy.net"])
def test_decommission_lists_the_service_principal_with_its_id(retired: AuditedEstate, target: str) -> None:
    result = decommission(retired.inventory, retired.config, target, retired.report.as_of)
    [dep] = result.dependents
    assert (dep.kind, dep.hostname, dep.resource_id) == ("entra-redirect-uri", "mapiq.contoso-legacy.net",
                                                         f"/servicePrincipals/{SP_ID}")
    assert "enterprise application Mapiq" in dep.detail and "Enterprise applications" in dep.remove
    assert not result.safe
