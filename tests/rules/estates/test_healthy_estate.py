"""The passing fixture for every rule: a small estate with nothing wrong in it. Each rule, run
through the real pipeline and filtered to itself, finds nothing, and coverage is complete."""

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
    Vault,
    VaultCertificate,
    Zone,
)
from auditor.rules.registry import CONTRACT_RULE_IDS

from .pipeline import AuditedEstate, audit_estate

# www on a Key Vault certificate, shop on a managed App Service certificate, cdn on Front Door
# (managed) in front of a storage account that exists; an apex CAA that allows DigiCert.
HEALTHY = EstateSpec(
    vaults=(Vault("kv-web", certificates=(
        VaultCertificate("www", ("www.fabrikam.com", "fabrikam.com"), not_after="+200d"),)),),
    app_service_certificates=(
        AppServiceCertificate("www", key_vault="kv-web/www"),
        AppServiceCertificate("shop", source="managed", names=("shop.fabrikam.com",)),
    ),
    sites=(Site("fabrikam-web", host_names=(HostName("www.fabrikam.com", certificate="www"),
                                            HostName("shop.fabrikam.com", certificate="shop")),
                app_settings={"STORAGE_URL": "https://fabrikamdata.blob.core.windows.net/media"}),),
    front_doors=(FrontDoor("fd-fabrikam", domains=(FrontDoorDomain("cdn.fabrikam.com"),),
                           origin_groups=(OriginGroup("og", (Origin("fabrikamdata.blob.core.windows.net"),)),)),),
    zones=(Zone("fabrikam.com", records=(Record("@", "CAA", ('0 issue "digicert.com"',)),)),),
    storage_accounts=(StorageAccount("fabrikamdata"),),
)


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(HEALTHY, tmp_path_factory.mktemp("healthy") / "estate")


@pytest.mark.parametrize("rule", CONTRACT_RULE_IDS)
def test_no_rule_fires_on_a_healthy_estate(healthy: AuditedEstate, rule: str) -> None:
    assert healthy.subjects(rule) == set()


def test_the_healthy_estate_was_really_seen(healthy: AuditedEstate) -> None:
    counts = healthy.report.counts
    assert healthy.report.gaps == ()
    assert counts["custom_domains"] == 3 and counts["endpoints_probed"] >= 3
    hosts = {o.hostname for o in healthy.inventory.tls}
    assert {"www.fabrikam.com", "shop.fabrikam.com", "cdn.fabrikam.com"} <= hosts
