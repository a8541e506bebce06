"""App Service managed certificates and access restrictions. DigiCert validates the domain from
outside Azure, so an app whose access restrictions deny unmatched traffic (or whose
publicNetworkAccess is Disabled) does not get its managed certificate renewed. An app that
allows everyone (ARM's own "Allow all" entry) or denies only a few addresses raises nothing.

https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-certificate
https://learn.microsoft.com/en-us/azure/app-service/app-service-ip-restrictions
"""

from __future__ import annotations

import pytest

from auditor.estate.builder import AppServiceCertificate, EstateSpec, HostName, Record, Site, Zone

from .pipeline import AuditedEstate, audit_estate

OFFICE = {"ipAddress": "203.0.113.0/24", "action": "Allow", "priority": 100, "name": "office", "tag": "Default"}
BLOCKED_RANGE = {"ipAddress": "198.51.100.0/24", "action": "Deny", "priority": 100, "name": "abuse", "tag": "Default"}


def _site(name: str, **access: object) -> Site:
    return Site(name, host_names=(HostName(f"{name}.example.org", certificate=name),), **access)  # type: ignore[arg-type]


SPEC = EstateSpec(
    app_service_certificates=tuple(
        AppServiceCertificate(n, source="managed", names=(f"{n}.example.org",))
        for n in ("open", "denylist", "office-only", "default-deny", "private")),
    sites=(
        _site("open"),                                                      # no rules: Allow all
        _site("denylist", access_restrictions=(BLOCKED_RANGE,)),            # Deny a range, allow the rest
        _site("office-only", access_restrictions=(OFFICE,)),                # an Allow rule: implicit Deny all
        _site("default-deny", access_default_action="Deny"),                # explicit default Deny
        _site("private", public_network_access="Disabled"),
    ),
    zones=(Zone("example.org", records=(Record("@", "CAA", ('0 issue "digicert.com"',)),)),),
)


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(SPEC, tmp_path_factory.mktemp("access") / "estate")


def test_apps_closed_to_the_internet_will_not_renew_their_managed_certificates(audited: AuditedEstate) -> None:
    assert audited.subjects("managed-cert-renewal-at-risk") == {
        "office-only.example.org", "default-deny.example.org", "private.example.org"}
    found = {f.subject: f for f in audited.per_rule["managed-cert-renewal-at-risk"].findings}
    office = found["office-only.example.org"]
    assert office.evidence["access"] == "access restriction Deny all denies all other traffic; only office allowed"
    assert office.resource_id.endswith("/Microsoft.Web/sites/office-only/hostNameBindings/office-only.example.org")
    assert found["private.example.org"].evidence["access"] == "publicNetworkAccess is Disabled"


def test_apps_open_to_the_internet_raise_nothing(audited: AuditedEstate) -> None:
    resources = {r.name: r.public_access_block for r in audited.inventory.resources if r.type == "microsoft.web/sites"}
    assert resources["open"] is None and resources["denylist"] is None
    assert not {"open.example.org", "denylist.example.org"} & audited.subjects("managed-cert-renewal-at-risk")
