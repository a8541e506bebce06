"""Sovereign and custom clouds: the Azure-provided names of the cloud the audit runs in
(auditor.cloud) are what dangling-dns judges. An Azure Government estate whose CNAME points at
a deleted app's `azurewebsites.us` name is a takeover risk; one at a Traffic Manager profile it
holds (`usgovtrafficmanager.net`) is not. A custom cloud (given by its endpoints in
auditor.toml) judges the suffixes it declares.

https://learn.microsoft.com/en-us/azure/azure-government/compare-azure-government-global-azure
https://learn.microsoft.com/en-us/azure/security/fundamentals/subdomain-takeover
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from auditor.estate.builder import EstateSpec, Record, Zone
from auditor.estate.builder.spec import DEFAULT_SUBSCRIPTION

from .pipeline import AuditedEstate, audit_estate

TM = (f"/subscriptions/{DEFAULT_SUBSCRIPTION}/resourceGroups/rg-edge/providers/Microsoft.Network/"
      "trafficManagerProfiles/tm-status")
TRAFFIC_MANAGER = {
    "id": TM, "name": "tm-status", "type": "Microsoft.Network/trafficManagerProfiles", "location": "global",
    "tags": {}, "properties": {
        "profileStatus": "Enabled", "trafficRoutingMethod": "Priority",
        "dnsConfig": {"relativeName": "fabrikam-status", "fqdn": "fabrikam-status.usgovtrafficmanager.net", "ttl": 60},
        "monitorConfig": {"profileMonitorStatus": "Online", "protocol": "HTTPS", "port": 443, "path": "/"},
        "endpoints": []}}

GOVERNMENT = EstateSpec(
    config='[cloud]\nname = "AzureUSGovernment"\n',
    zones=(Zone("fabrikam.us", records=(
        Record("status", "CNAME", ("fabrikam-status.usgovtrafficmanager.net",)),
        Record("old", "CNAME", ("fabrikam-gone.azurewebsites.us",)),)),
        Zone("usgovtrafficmanager.net", azure=False, records=(
            Record("fabrikam-status", "A", ("52.127.1.10",)),)),
        Zone("azurewebsites.us", azure=False)),      # Azure's zone: the deleted app's name is gone
    arm=(TRAFFIC_MANAGER,),
)
CUSTOM = replace(GOVERNMENT, config="""
[cloud]
name = "custom"
arm = "https://management.stack.fabrikam.example"
login = "https://login.stack.fabrikam.example"
graph = "https://graph.stack.fabrikam.example"
keyvault_suffix = "vault.stack.fabrikam.example"
takeover_suffixes = ["sites.stack.fabrikam.example"]

[collect]
graph = false
""", zones=(Zone("fabrikam.us", records=(Record("app", "CNAME", ("shop.sites.stack.fabrikam.example",)),)),
            Zone("sites.stack.fabrikam.example", azure=False)),
    arm=())


@pytest.fixture(scope="module")
def government(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(GOVERNMENT, tmp_path_factory.mktemp("usgov") / "estate")


@pytest.fixture(scope="module")
def custom(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(CUSTOM, tmp_path_factory.mktemp("custom-cloud") / "estate")


def test_an_azure_government_name_of_a_deleted_app_is_dangling(government: AuditedEstate) -> None:
    assert government.config.cloud.name == "AzureUSGovernment"
    assert government.report.gaps == ()
    assert government.subjects("dangling-dns") == {"old.fabrikam.us"}
    [finding] = government.per_rule["dangling-dns"].findings
    assert finding.evidence["azure_suffix"] == "azurewebsites.us" and finding.evidence["nxdomain"] is True


def test_a_government_traffic_manager_the_estate_holds_is_not(government: AuditedEstate) -> None:
    assert "status.fabrikam.us" not in government.subjects("dangling-dns")
    [tm] = [r for r in government.inventory.resources if r.id == TM]
    assert tm.default_hostnames == ("fabrikam-status.usgovtrafficmanager.net",)


def test_a_custom_cloud_judges_the_suffixes_it_declares(custom: AuditedEstate) -> None:
    assert custom.config.cloud.arm == "https://management.stack.fabrikam.example"
    assert custom.subjects("dangling-dns") == {"app.fabrikam.us"}
    [finding] = custom.per_rule["dangling-dns"].findings
    assert finding.evidence["azure_suffix"] == "sites.stack.fabrikam.example"
