"""A healthy App Service estate the way the docs tell people to build it: managed certificates on
the apex (an A record at the app's inbound address plus the asuid TXT) and on www through Traffic
Manager (www CNAME profile.trafficmanager.net, whose endpoint is the app). Both renew by
themselves, so no rule may fire. Its twin moves the apex A record to another address, which
stops the apex certificate from renewing, and must produce exactly that finding.

Managed certificate prerequisites: https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-certificate
Traffic Manager CNAME: https://learn.microsoft.com/en-us/azure/app-service/configure-domain-traffic-manager
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from auditor.estate.builder import (
    AppServiceCertificate,
    EstateSpec,
    HostName,
    Record,
    Site,
    Zone,
)
from auditor.estate.builder.ids import stable_hex, stable_ip
from auditor.estate.builder.spec import DEFAULT_SUBSCRIPTION
from auditor.estate.builder.web import WEB_ADDRESSES

from .pipeline import AuditedEstate, audit_estate

APP = "fabrikam-web"
APP_ADDRESS = stable_ip(WEB_ADDRESSES, APP)                     # the address the builder gives the app
VERIFICATION_ID = stable_hex("asuid", APP, length=64).upper()  # the site's customDomainVerificationId
SITE_ID = f"/subscriptions/{DEFAULT_SUBSCRIPTION}/resourceGroups/rg-web/providers/Microsoft.Web/sites/{APP}"
TM_ID = (f"/subscriptions/{DEFAULT_SUBSCRIPTION}/resourceGroups/rg-web/providers/"
         "Microsoft.Network/trafficManagerProfiles/fabrikam-tm")

# As ARM GET returns a Priority profile with one Azure endpoint (the app).
TRAFFIC_MANAGER = {
    "id": TM_ID, "name": "fabrikam-tm", "type": "Microsoft.Network/trafficManagerProfiles",
    "location": "global", "tags": {},
    "properties": {
        "profileStatus": "Enabled", "trafficRoutingMethod": "Priority",
        "dnsConfig": {"relativeName": "fabrikam-tm", "fqdn": "fabrikam-tm.trafficmanager.net", "ttl": 60},
        "monitorConfig": {"profileMonitorStatus": "Online", "protocol": "HTTPS", "port": 443, "path": "/"},
        "endpoints": [{
            "id": f"{TM_ID}/azureEndpoints/web", "name": "web",
            "type": "Microsoft.Network/trafficManagerProfiles/azureEndpoints",
            "properties": {"endpointStatus": "Enabled", "endpointMonitorStatus": "Online",
                           "targetResourceId": SITE_ID, "target": f"{APP}.azurewebsites.net",
                           "weight": 1, "priority": 1}}],
    },
}


def _zone(apex_address: str) -> Zone:
    return Zone("fabrikam.com", records=(
        Record("@", "A", (apex_address,)),
        Record("asuid", "TXT", (VERIFICATION_ID,)),
        Record("www", "CNAME", ("fabrikam-tm.trafficmanager.net",)),
        Record("asuid.www", "TXT", (VERIFICATION_ID,)),
        # A legacy DigiCert-brand CAA record: DigiCert honours geotrust.com for all its brands.
        Record("@", "CAA", ('0 issue "geotrust.com"', '0 iodef "mailto:security@fabrikam.com"')),
    ))


HEALTHY = EstateSpec(
    app_service_certificates=(
        AppServiceCertificate("apex", source="managed", names=("fabrikam.com",)),
        AppServiceCertificate("www", source="managed", names=("www.fabrikam.com",)),
    ),
    sites=(Site(APP, host_names=(HostName("fabrikam.com", certificate="apex", dns=False),
                                 HostName("www.fabrikam.com", certificate="www", dns=False))),),
    zones=(
        _zone(APP_ADDRESS),
        Zone("trafficmanager.net", azure=False, records=(Record("fabrikam-tm", "CNAME", (f"{{site:{APP}}}",)),)),
    ),
    arm=(TRAFFIC_MANAGER,),
)

# The apex A record left pointing at an old address: App Service can no longer validate the apex.
MOVED_APEX = replace(HEALTHY, zones=(_zone("20.105.7.7"), *HEALTHY.zones[1:]))


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(HEALTHY, tmp_path_factory.mktemp("apex") / "estate")


@pytest.fixture(scope="module")
def moved_apex(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(MOVED_APEX, tmp_path_factory.mktemp("apex-moved") / "estate")


def test_apex_and_traffic_manager_managed_certificates_raise_nothing(healthy: AuditedEstate) -> None:
    assert healthy.report.gaps == ()
    assert healthy.all_pairs() == set()


def test_the_estate_was_really_seen(healthy: AuditedEstate) -> None:
    inventory = healthy.inventory
    assert {d.hostname for d in inventory.custom_domains} == {"fabrikam.com", "www.fabrikam.com"}
    assert {o.hostname for o in inventory.tls if o.leaf is not None} >= {"fabrikam.com", "www.fabrikam.com"}
    www = next(o for o in inventory.dns if o.name == "www.fabrikam.com")
    assert [h.target for h in www.chain] == ["fabrikam-tm.trafficmanager.net", f"{APP}.azurewebsites.net"]
    apex = next(o for o in inventory.dns if o.name == "fabrikam.com")
    assert apex.chain == () and apex.addresses == (APP_ADDRESS,)


def test_an_apex_away_from_the_app_will_not_renew(moved_apex: AuditedEstate) -> None:
    assert moved_apex.all_pairs() == {("managed-cert-renewal-at-risk", "fabrikam.com")}
    [finding] = moved_apex.per_rule["managed-cert-renewal-at-risk"].findings
    assert APP_ADDRESS in finding.evidence["reasons"][0]
