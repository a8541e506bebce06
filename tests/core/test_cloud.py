"""The cloud configuration: built-in clouds with their Azure-provided suffixes, the DoD Graph,
and a custom cloud given by its endpoints. Sources:
https://learn.microsoft.com/en-us/azure/azure-government/compare-azure-government-global-azure
https://learn.microsoft.com/en-us/azure/china/resources-developer-guide
https://learn.microsoft.com/en-us/graph/deployments"""

import pytest

from auditor.cloud import ALL_PROVIDED_SUFFIXES, ALL_TAKEOVER_SUFFIXES, CLOUDS
from auditor.config import parse_config
from auditor.errors import ConfigError
from auditor.graph.azure_names import is_azure_provided
from auditor.normalise.resources import is_azure_provided as normalise_is_azure_provided


def test_every_built_in_cloud_names_its_own_suffixes() -> None:
    gov, china, dod = CLOUDS["azureusgovernment"], CLOUDS["azurechinacloud"], CLOUDS["azureusgovernmentdod"]
    assert dod.graph == "https://dod-graph.microsoft.us" and dod.arm == gov.arm
    assert {"azurewebsites.us", "azure-api.us", "usgovtrafficmanager.net"} <= set(gov.takeover_suffixes)
    assert "usgovcloudapi.net" in gov.provided_suffixes and gov.traffic_manager_suffix == "usgovtrafficmanager.net"
    assert {"vault.azure.cn", "azure-api.cn", "chinacloudapi.cn"} <= set(china.provided_suffixes)
    assert set(ALL_TAKEOVER_SUFFIXES) <= set(ALL_PROVIDED_SUFFIXES)


@pytest.mark.parametrize("name", ["shop.azurewebsites.us", "api.azure-api.cn", "x.blob.core.usgovcloudapi.net",
                                  "st.trafficmanager.cn", "fab.azurewebsites.net"])
def test_sovereign_names_are_azures(name: str) -> None:
    assert is_azure_provided(name)
    assert normalise_is_azure_provided(name)


def test_vault_and_service_endpoints_are_azures_names_but_not_takeover_targets() -> None:
    assert normalise_is_azure_provided("kv.vault.azure.cn") and normalise_is_azure_provided("x.queue.core.usgovcloudapi.net")
    assert not is_azure_provided("kv.vault.azure.cn")
    assert not is_azure_provided("www.contoso.us")


def test_a_custom_cloud_by_its_endpoints() -> None:
    cloud = parse_config({"cloud": {
        "name": "custom", "arm": "https://management.stack.example/", "login": "https://login.stack.example",
        "graph": "https://graph.stack.example", "keyvault_suffix": "Vault.Stack.Example.",
        "takeover_suffixes": ["sites.stack.example"]}}).cloud
    assert (cloud.name, cloud.arm, cloud.keyvault_suffix) == ("custom", "https://management.stack.example",
                                                              "vault.stack.example")
    assert cloud.vault_url("kv1") == "https://kv1.vault.stack.example"
    assert cloud.log_analytics == "https://api.loganalytics.io"          # not given: the public query API
    assert cloud.provided_suffixes == ("vault.stack.example",) and cloud.takeover_suffixes == ("sites.stack.example",)


@pytest.mark.parametrize(("cloud", "message"), [
    ({"name": "Mars"}, "cloud.name must be one of"),
    ("AzureCloud", r"\[cloud\] must be a table"),
    ({"name": "custom", "arm": "http://m.example", "login": "https://l", "graph": "https://g",
      "keyvault_suffix": "v.example"}, "cloud.arm must be an https URL"),
    ({"name": "custom", "arm": "https://m.example", "login": "https://l.example", "graph": "https://g.example"},
     "cloud.keyvault_suffix must be a DNS suffix"),
    ({"name": "AzureCloud", "arm": "https://m.example"}, 'only go with name = "custom"'),
    ({"name": "custom", "arm": "https://m.example", "login": "https://l.example", "graph": "https://g.example",
      "keyvault_suffix": "v.example", "takeover_suffixes": "x.example"}, "must be a list"),
])
def test_bad_cloud_settings_are_one_clear_error(cloud: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config({"cloud": cloud})
