"""Site-scoped App Service certificates (Microsoft.Web/sites/certificates), shaped like the REST
example GetSiteCertificate: read beside Microsoft.Web/certificates and judged like them. One
with most of its lifetime left raises no cert-expiring; one 5 days from its end does, and as an
uploaded certificate nothing renews it.

https://learn.microsoft.com/en-us/rest/api/appservice/web-apps/get-site-certificate
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from auditor.estate.builder import EstateSpec, Site
from auditor.estate.builder.spec import DEFAULT_SUBSCRIPTION

from .pipeline import AuditedEstate, audit_estate

CERT = (f"/subscriptions/{DEFAULT_SUBSCRIPTION}/resourceGroups/rg-web/providers/Microsoft.Web/sites/"
        "fabrikam-api/certificates/api-fabrikam-com")


def _site_certificate(issued: str, expires: str) -> dict[str, Any]:
    return {"id": CERT, "name": "api-fabrikam-com", "type": "Microsoft.Web/sites/certificates",
            "location": "westeurope", "tags": {},
            "properties": {"expirationDate": expires, "friendlyName": "", "hostNames": ["api.fabrikam.com"],
                           "issueDate": issued, "issuer": "Fabrikam Issuing CA", "subjectName": "api.fabrikam.com",
                           "thumbprint": "FE703D7411A44163B6D32B3AD9B03E175886EBFE"}}


LATER = EstateSpec(sites=(Site("fabrikam-api"),),
                   arm=(_site_certificate("2025-08-01T00:00:00+00:00", "2026-08-01T00:00:00+00:00"),))
SOON = replace(LATER, arm=(_site_certificate("2024-09-15T00:00:00+00:00", "2025-09-15T00:00:00+00:00"),))


@pytest.fixture(scope="module")
def later(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(LATER, tmp_path_factory.mktemp("site-cert-later") / "estate")


@pytest.fixture(scope="module")
def soon(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(SOON, tmp_path_factory.mktemp("site-cert-soon") / "estate")


def test_a_site_certificate_with_its_lifetime_left_is_not_expiring(later: AuditedEstate) -> None:
    assert [c.resource_id for c in later.inventory.certificates if c.resource_id == CERT] == [CERT]
    assert later.subjects("cert-expiring") == set()


def test_a_site_certificate_near_its_end_is_expiring_and_unmanaged(soon: AuditedEstate) -> None:
    assert soon.subjects("cert-expiring") == {CERT}
    [finding] = soon.per_rule["cert-expiring"].findings
    assert finding.severity.value == "critical" and finding.resource_id == CERT
    assert soon.subjects("cert-unmanaged") == {CERT}
