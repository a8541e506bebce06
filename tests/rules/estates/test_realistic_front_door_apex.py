"""A healthy Front Door Premium estate: the apex on an Azure DNS alias record at the endpoint
(the documented way to put an apex on Front Door), a managed-certificate subdomain with a direct
CNAME, a customer certificate from Key Vault following its latest version, origins on an App
Service app and a storage static website that both exist, CAA allowing DigiCert, and the
`_dnsauth` TXT records deleted after validation as the docs allow. No rule may fire. Its twin
replaces the alias with a plain A record at the endpoint's address, which Front Door cannot
validate for renewal, and must produce exactly that finding.

https://learn.microsoft.com/en-us/azure/frontdoor/apex-domain
https://learn.microsoft.com/en-us/azure/frontdoor/domain
https://learn.microsoft.com/en-us/azure/dns/dns-alias
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from auditor.estate.builder import (
    EstateSpec,
    FrontDoor,
    FrontDoorDomain,
    Origin,
    OriginGroup,
    Record,
    Route,
    Site,
    StorageAccount,
    Vault,
    VaultCertificate,
    Zone,
)
from auditor.estate.builder.dns import ZoneData, arm_objects
from auditor.estate.builder.frontdoor import FD_ADDRESSES, endpoint_host
from auditor.estate.builder.ids import stable_ip
from auditor.estate.builder.spec import DEFAULT_SUBSCRIPTION

from .pipeline import AuditedEstate, audit_estate

ZONE = "fabrikam.com"
ENDPOINT_HOST = endpoint_host("fd-fabrikam", "web")
ENDPOINT_ADDRESS = stable_ip(FD_ADDRESSES, "fd-fabrikam", "web")
# As an alias record set names its target: ARM's mixed-case spelling of the afdEndpoints id.
ENDPOINT_ID = (f"/subscriptions/{DEFAULT_SUBSCRIPTION}/resourceGroups/rg-edge/providers/"
               "Microsoft.Cdn/profiles/fd-fabrikam/afdEndpoints/web")

RECORDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("@", "A"): (ENDPOINT_ADDRESS,),      # what Azure DNS answers for the alias
    ("@", "CAA"): ('0 issue "digicert.com"',),
    ("cdn", "CNAME"): (ENDPOINT_HOST,),
    ("shop", "CNAME"): (ENDPOINT_HOST,),
}


def _azure_dns_zone(alias: bool) -> list[dict[str, Any]]:
    """The zone's ARM objects; the apex A record set is an alias (no ARecords, a targetResource)."""
    data = ZoneData(ZONE, azure=True, subscription=DEFAULT_SUBSCRIPTION, resource_group="rg-dns",
                    records={(ZONE if n == "@" else f"{n}.{ZONE}", t): (list(v), 3600)
                             for (n, t), v in RECORDS.items()})
    objects = arm_objects(data)
    if alias:
        apex = next(o for o in objects if o["id"].endswith("/A/@"))
        apex["properties"].update({"ARecords": [], "targetResource": {"id": ENDPOINT_ID}})
    return objects


HEALTHY = EstateSpec(
    vaults=(Vault("kv-edge", certificates=(VaultCertificate("shop", ("shop.fabrikam.com",)),)),),
    sites=(Site("fabrikam-app"),),
    storage_accounts=(StorageAccount("fabrikamstatic"),),
    front_doors=(FrontDoor(
        "fd-fabrikam",
        domains=(FrontDoorDomain(ZONE, dns=False), FrontDoorDomain("cdn.fabrikam.com", dns=False),
                 FrontDoorDomain("shop.fabrikam.com", certificate="kv-edge/shop", use_latest=True, dns=False)),
        origin_groups=(OriginGroup("og-app", (Origin("fabrikam-app.azurewebsites.net"),)),
                       OriginGroup("og-static", (Origin("fabrikamstatic.z6.web.core.windows.net"),))),
        routes=(Route("route-app", "og-app", domains=(ZONE, "shop.fabrikam.com")),
                Route("route-static", "og-static", domains=("cdn.fabrikam.com",))),
    ),),
    # The zone file the DNS server answers from; Azure DNS's own view is the raw ARM below.
    zones=(Zone(ZONE, azure=False, records=tuple(Record(n, t, v) for (n, t), v in RECORDS.items())),
           Zone("web.core.windows.net", azure=False, records=(Record("fabrikamstatic.z6", "A", ("52.239.1.10",)),))),
    arm=tuple(_azure_dns_zone(alias=True)),
)

# The apex as a plain A record at the endpoint's current address: nothing for Front Door to validate.
PLAIN_A_RECORD = replace(HEALTHY, arm=tuple(_azure_dns_zone(alias=False)))


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(HEALTHY, tmp_path_factory.mktemp("fd-apex") / "estate")


@pytest.fixture(scope="module")
def plain_a_record(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(PLAIN_A_RECORD, tmp_path_factory.mktemp("fd-apex-a") / "estate")


def test_alias_apex_direct_cname_and_latest_key_vault_version_raise_nothing(healthy: AuditedEstate) -> None:
    assert healthy.report.gaps == ()
    assert healthy.all_pairs() == set()


def test_the_estate_was_really_seen(healthy: AuditedEstate) -> None:
    inventory = healthy.inventory
    assert {d.hostname: d.certificate_kind.value for d in inventory.custom_domains} == {
        ZONE: "managed", "cdn.fabrikam.com": "managed", "shop.fabrikam.com": "customer"}
    [alias] = [r for r in inventory.dns_records if r.fqdn == ZONE and r.type == "A"]
    assert alias.target_resource_id == ENDPOINT_ID
    served = {o.hostname for o in inventory.tls if o.leaf is not None and ZONE in o.leaf.names[0]}
    assert served == {ZONE, "cdn.fabrikam.com", "shop.fabrikam.com"}
    origins = {r.hostname for r in inventory.references if r.kind.value == "frontdoor-origin"}
    assert origins == {"fabrikam-app.azurewebsites.net", "fabrikamstatic.z6.web.core.windows.net"}


def test_an_apex_on_a_plain_a_record_will_not_renew(plain_a_record: AuditedEstate) -> None:
    assert plain_a_record.all_pairs() == {("managed-cert-renewal-at-risk", ZONE)}
