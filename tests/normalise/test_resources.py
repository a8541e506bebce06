import json

import pytest
from rest_examples import REST_EXAMPLES

from auditor.normalise.resources import (
    default_hostnames,
    is_azure_provided,
    resource_from_row,
    tls_version,
)

EXAMPLES = REST_EXAMPLES


def body(relative: str) -> dict:
    return json.loads((EXAMPLES / relative).read_text())["responses"]["200"]["body"]


def test_resource_graph_rows_from_the_paging_example() -> None:
    rows = body("resourcegraph/2024-04-01/ResourcesFirstPageQuery.json")["data"]
    resources = [resource_from_row(r) for r in rows]
    assert [r.type for r in resources] == [
        "microsoft.compute/disks", "microsoft.automation/automationaccounts",
        "microsoft.automation/automationaccounts/runbooks"]
    assert {r.subscription_id for r in resources} == {"cfbbd179-59d2-4052-aa06-9270a38aa9d6"}
    assert resources[1].name == "TestAA" and resources[1].location == "westcentralus"
    assert all(r.default_hostnames == () and r.tags == {} for r in resources)


def test_web_app_owns_its_azurewebsites_names_not_custom_ones() -> None:
    site = body("web/2025-05-01/GetWebApp.json")
    site["properties"]["hostNames"].append("www.contoso.com")
    resource = resource_from_row(site)
    assert resource.type == "microsoft.web/sites"
    assert resource.default_hostnames == ("sitef6141.azurewebsites.net", "sitef6141.scm.azurewebsites.net")
    assert resource.min_tls_version == "1.2"
    assert resource.subscription_id == "34adfa4f-cedf-4dc0-ba29-b6d1a69ab345"


def test_vault_uri_with_and_without_trailing_slash() -> None:
    with_slash = body("keyvault-mgmt/2026-02-01/listVaultBySubscription.json")["value"][0]
    without = body("keyvault-mgmt/2025-05-01/getVault.json")
    assert resource_from_row(with_slash).default_hostnames == ("sample-vault.vault.azure.net",)
    assert resource_from_row(without).default_hostnames == ("sample-vault.vault.azure.net",)


def test_traffic_manager_front_door_endpoint_and_apim_names() -> None:
    tm = body("trafficmanager/2022-04-01/Profile-GET-WithTrafficViewEnabled.json")
    assert resource_from_row(tm).default_hostnames == (tm["properties"]["dnsConfig"]["fqdn"].lower(),)
    afd = body("cdn/2026-07-01/AFDEndpoints_Get.json")
    afd_resource = resource_from_row(afd)
    assert afd_resource.default_hostnames == (afd["properties"]["hostName"].lower(),)
    apim = body("apimanagement/2024-05-01/ApiManagementServiceGetServiceHavingMsi.json")
    names = resource_from_row(apim).default_hostnames
    assert names and all(n.endswith("azure-api.net") for n in names)


@pytest.mark.parametrize(("rtype", "props", "expected"), [
    ("microsoft.storage/storageaccounts",
     {"primaryEndpoints": {"blob": "https://acct.blob.core.windows.net/", "web": "https://acct.z6.web.core.windows.net/"},
      "minimumTlsVersion": "TLS1_0"},
     ("acct.blob.core.windows.net", "acct.z6.web.core.windows.net")),
    ("microsoft.network/publicipaddresses", {"dnsSettings": {"fqdn": "app.westeurope.cloudapp.azure.com"}},
     ("app.westeurope.cloudapp.azure.com",)),
    ("Microsoft.Web/staticSites", {"defaultHostname": "happy-sea-123.azurestaticapps.net"},
     ("happy-sea-123.azurestaticapps.net",)),
    ("microsoft.app/containerapps", {"configuration": {"ingress": {"fqdn": "api.nice.westeurope.azurecontainerapps.io"}}},
     ("api.nice.westeurope.azurecontainerapps.io",)),
    ("microsoft.app/containerapps", {"configuration": None}, ()),
])
def test_default_names_by_type(rtype: str, props: dict, expected: tuple[str, ...]) -> None:
    assert default_hostnames(rtype, props) == expected


def test_storage_min_tls_is_normalised() -> None:
    row = {"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/a",
           "type": "Microsoft.Storage/storageAccounts", "properties": {"minimumTlsVersion": "TLS1_0"}, "tags": None}
    resource = resource_from_row(row)
    assert resource.min_tls_version == "1.0" and resource.type == "microsoft.storage/storageaccounts"
    assert resource.name == "a" and resource.subscription_id == "s"


@pytest.mark.parametrize(("raw", "expected"), [
    ("TLS1_2", "1.2"), ("TLS12", "1.2"), ("Tls12", "1.2"), ("1.0", "1.0"), ("TLSv1.3", "1.3"),
    ("", None), (None, None), ("strong", None)])
def test_tls_versions(raw: object, expected: str | None) -> None:
    assert tls_version(raw) == expected


def test_rows_without_id_are_malformed() -> None:
    with pytest.raises(ValueError):
        resource_from_row({"id": "", "type": "microsoft.web/sites"})


def test_azure_provided() -> None:
    assert is_azure_provided("x.blob.core.windows.net")
    assert not is_azure_provided("www.contoso.com")
