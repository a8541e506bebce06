"""Host name preservation, as Azure's architecture guidance recommends: www.fabrikam.com is a
custom domain on Front Door (where its DNS points) and also bound on the App Service app behind
it, validated by its asuid TXT record, so the app sees the original host name. The app's binding
is in use, not a leftover, so no rule may fire. Its twin sends Front Door's origin to another app,
which leaves the first app's binding stale, and must produce exactly that finding.

https://learn.microsoft.com/en-us/azure/architecture/best-practices/host-name-preservation
"""

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
    Vault,
    VaultCertificate,
    Zone,
)
from auditor.estate.builder.ids import stable_hex

from .pipeline import AuditedEstate, audit_estate


def _estate(origin_app: str) -> EstateSpec:
    return EstateSpec(
        vaults=(Vault("kv-web", certificates=(VaultCertificate("www", ("www.fabrikam.com",)),)),),
        app_service_certificates=(AppServiceCertificate("www", key_vault="kv-web/www"),),
        sites=(Site("fabrikam-web", host_names=(HostName("www.fabrikam.com", certificate="www", dns=False),)),
               Site("fabrikam-next")),
        front_doors=(FrontDoor(
            "fd-fabrikam", domains=(FrontDoorDomain("www.fabrikam.com", certificate="kv-web/www"),),
            origin_groups=(OriginGroup("og", (Origin(f"{origin_app}.azurewebsites.net",
                                                     host_header="www.fabrikam.com"),)),)),),
        zones=(Zone("fabrikam.com", records=(
            Record("asuid.www", "TXT", (stable_hex("asuid", "fabrikam-web", length=64).upper(),)),
            Record("@", "CAA", ('0 issue "digicert.com"',)))),),
    )


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(_estate("fabrikam-web"), tmp_path_factory.mktemp("preserve") / "estate")


@pytest.fixture(scope="module")
def moved_origin(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(_estate("fabrikam-next"), tmp_path_factory.mktemp("preserve-moved") / "estate")


def test_an_app_behind_front_door_keeping_its_host_name_raises_nothing(healthy: AuditedEstate) -> None:
    assert healthy.report.gaps == ()
    assert healthy.all_pairs() == set()
    services = sorted(d.service.value for d in healthy.inventory.custom_domains)
    assert services == ["app-service", "front-door"]
    www = next(o for o in healthy.inventory.dns if o.name == "www.fabrikam.com")
    assert www.chain and www.chain[0].target.endswith(".azurefd.net")


def test_a_binding_front_door_no_longer_forwards_to_is_stale(moved_origin: AuditedEstate) -> None:
    assert moved_origin.all_pairs() == {("stale-custom-domain", "www.fabrikam.com")}
