"""The cloud's endpoints in one object, passed to every client.

The emulator and the sovereign clouds are just other values of it: in estate mode
the host names stay Azure's own and only the network layer (see
`auditor.collect.session`) sends the connections to the emulator.

Each cloud also names the DNS suffixes Azure hands out with its resources there
(`<app>.azurewebsites.us`, `<vault>.vault.azure.cn`, ...): the names a custom domain's CNAME
points at, and a dangling record can be taken over at. Sources:
learn.microsoft.com/en-us/azure/azure-government/compare-azure-government-global-azure
(guidance for developers, endpoint mapping), learn.microsoft.com/en-us/azure/china/
resources-developer-guide (endpoint mapping), learn.microsoft.com/en-us/graph/deployments
(Microsoft Graph national cloud endpoints, US Government L5 DoD: dod-graph.microsoft.us).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from auditor.errors import ConfigError


@dataclass(frozen=True)
class CloudEndpoints:
    name: str
    arm: str                 # Resource Manager, e.g. https://management.azure.com
    login: str               # Entra ID authority host
    graph: str               # Microsoft Graph
    keyvault_suffix: str     # data-plane host suffix: <vault>.<suffix>
    # Names Azure hands out with resources in this cloud (a CNAME target, never a custom name),
    # and those of them anyone can claim again once the resource is gone (subdomain takeover).
    provided_suffixes: tuple[str, ...] = ()
    takeover_suffixes: tuple[str, ...] = ()
    traffic_manager_suffix: str = "trafficmanager.net"
    front_door_suffixes: tuple[str, ...] = ("azurefd.net",)
    log_analytics: str = "https://api.loganalytics.io"   # the Log Analytics query API

    @property
    def arm_scope(self) -> str:
        return f"{self.arm.rstrip('/')}/.default"

    @property
    def graph_scope(self) -> str:
        return f"{self.graph.rstrip('/')}/.default"

    @property
    def keyvault_scope(self) -> str:
        return f"https://{self.keyvault_suffix}/.default"

    @property
    def log_analytics_scope(self) -> str:
        return f"{self.log_analytics.rstrip('/')}/.default"

    def vault_url(self, vault_name: str) -> str:
        return f"https://{vault_name}.{self.keyvault_suffix}"


_PUBLIC_TAKEOVER = (
    "azurewebsites.net", "azurefd.net", "azureedge.net", "trafficmanager.net", "cloudapp.azure.com",
    "cloudapp.net", "blob.core.windows.net", "web.core.windows.net", "azure-api.net", "azurestaticapps.net",
    "azurecontainerapps.io", "azurecontainer.io", "azurehdinsight.net", "azuresearch.windows.net",
    "redis.cache.windows.net", "servicebus.windows.net", "database.windows.net", "azure-mobile.net",
    "search.windows.net", "cdn.azure.net",
)
_PUBLIC_PROVIDED = _PUBLIC_TAKEOVER + (
    "appserviceenvironment.net", "azurecr.io", "core.windows.net", "documents.azure.com", "vault.azure.net",
    "azmk8s.io", "azureedge-test.net", "service.signalr.net", "cognitiveservices.azure.com",
    "postgres.database.azure.com", "mysql.database.azure.com", "azureml.net",
)
# Azure operated by 21Vianet: *.chinacloudapi.cn service endpoints, chinacloudsites.cn apps.
_CHINA_TAKEOVER = (
    "chinacloudsites.cn", "trafficmanager.cn", "chinacloudapp.cn", "cloudapp.chinacloudapi.cn",
    "blob.core.chinacloudapi.cn", "web.core.chinacloudapi.cn", "azure-api.cn", "azureedge.cn",
    "redis.cache.chinacloudapi.cn", "servicebus.chinacloudapi.cn", "database.chinacloudapi.cn",
)
_CHINA_PROVIDED = _CHINA_TAKEOVER + ("chinacloudapi.cn", "vault.azure.cn", "azurecr.cn", "documents.azure.cn")
# Azure Government (and its DoD regions): *.usgovcloudapi.net service endpoints, azurewebsites.us apps.
_US_GOV_TAKEOVER = (
    "azurewebsites.us", "usgovtrafficmanager.net", "usgovcloudapp.net", "cloudapp.usgovcloudapi.net",
    "blob.core.usgovcloudapi.net", "web.core.usgovcloudapi.net", "azure-api.us", "azurefd.us", "azureedge.us",
    "redis.cache.usgovcloudapi.net", "servicebus.usgovcloudapi.net", "database.usgovcloudapi.net",
)
_US_GOV_PROVIDED = _US_GOV_TAKEOVER + ("usgovcloudapi.net", "vault.usgovcloudapi.net", "azurecr.us",
                                       "documents.azure.us", "appserviceenvironment.us")

AZURE_PUBLIC = CloudEndpoints(
    name="AzureCloud",
    arm="https://management.azure.com",
    login="https://login.microsoftonline.com",
    graph="https://graph.microsoft.com",
    keyvault_suffix="vault.azure.net",
    provided_suffixes=_PUBLIC_PROVIDED,
    takeover_suffixes=_PUBLIC_TAKEOVER,
)
AZURE_CHINA = CloudEndpoints(
    name="AzureChinaCloud",
    arm="https://management.chinacloudapi.cn",
    login="https://login.chinacloudapi.cn",
    graph="https://microsoftgraph.chinacloudapi.cn",
    keyvault_suffix="vault.azure.cn",
    provided_suffixes=_CHINA_PROVIDED,
    takeover_suffixes=_CHINA_TAKEOVER,
    traffic_manager_suffix="trafficmanager.cn",
    front_door_suffixes=(),
    log_analytics="https://api.loganalytics.azure.cn",
)
AZURE_US_GOVERNMENT = CloudEndpoints(
    name="AzureUSGovernment",
    arm="https://management.usgovcloudapi.net",
    login="https://login.microsoftonline.us",
    graph="https://graph.microsoft.us",
    keyvault_suffix="vault.usgovcloudapi.net",
    provided_suffixes=_US_GOV_PROVIDED,
    takeover_suffixes=_US_GOV_TAKEOVER,
    traffic_manager_suffix="usgovtrafficmanager.net",
    front_door_suffixes=("azurefd.us",),
    log_analytics="https://api.loganalytics.us",
)
# The DoD regions share Azure Government's Resource Manager and suffixes; Microsoft Graph for
# them is its own endpoint (US Government L5).
AZURE_US_GOVERNMENT_DOD = replace(AZURE_US_GOVERNMENT, name="AzureUSGovernmentDoD",
                                  graph="https://dod-graph.microsoft.us")

CLOUDS = {c.name.lower(): c for c in (AZURE_PUBLIC, AZURE_CHINA, AZURE_US_GOVERNMENT, AZURE_US_GOVERNMENT_DOD)}
BUILT_IN_CLOUDS = tuple(CLOUDS.values())
# Every built-in cloud's suffixes: a name under any of them is Azure's, whichever cloud the audit runs in.
ALL_PROVIDED_SUFFIXES = tuple(dict.fromkeys(s for c in BUILT_IN_CLOUDS for s in c.provided_suffixes))
ALL_TAKEOVER_SUFFIXES = tuple(dict.fromkeys(s for c in BUILT_IN_CLOUDS for s in c.takeover_suffixes))
ALL_TRAFFIC_MANAGER_SUFFIXES = tuple(dict.fromkeys(c.traffic_manager_suffix for c in BUILT_IN_CLOUDS))
ALL_FRONT_DOOR_SUFFIXES = tuple(dict.fromkeys(s for c in BUILT_IN_CLOUDS for s in c.front_door_suffixes))

CUSTOM = "custom"
_CUSTOM_KEYS = {"name", "arm", "login", "graph", "keyvault_suffix", "log_analytics", "takeover_suffixes",
                "traffic_manager_suffix"}


def cloud_from_config(raw: object) -> CloudEndpoints:
    """`[cloud]`: a built-in cloud by `name`, or `name = "custom"` with its endpoints (an Azure
    Stack Hub or air-gapped cloud): `arm`, `login`, `graph` as https URLs, `keyvault_suffix`, and
    optionally the suffixes of its names anyone can claim again (`takeover_suffixes`, judged by
    dangling-dns) and its Traffic Manager suffix (managed-cert-renewal-at-risk)."""
    if not isinstance(raw, Mapping):
        raise ConfigError("[cloud] must be a table, e.g. [cloud] name = \"AzureCloud\"")
    name = str(raw.get("name", "AzureCloud"))
    if name.lower() != CUSTOM:
        unknown = sorted(set(raw) - {"name"})
        if unknown:
            raise ConfigError(f"cloud: {', '.join(unknown)} only go with name = \"custom\"")
        if name.lower() not in CLOUDS:
            raise ConfigError(f"cloud.name must be one of {', '.join(c.name for c in BUILT_IN_CLOUDS)} or custom")
        return CLOUDS[name.lower()]
    unknown = sorted(set(raw) - _CUSTOM_KEYS)
    if unknown:
        raise ConfigError(f"cloud: unknown key {unknown[0]!r}")
    urls = {key: _https(raw, key) for key in ("arm", "login", "graph")}
    logs = _https(raw, "log_analytics") if "log_analytics" in raw else "https://api.loganalytics.io"
    vault = _suffix(raw.get("keyvault_suffix"), "cloud.keyvault_suffix")
    return CloudEndpoints(
        name=CUSTOM, arm=urls["arm"], login=urls["login"], graph=urls["graph"], keyvault_suffix=vault,
        provided_suffixes=(vault,),
        takeover_suffixes=_suffixes(raw, "takeover_suffixes"),
        traffic_manager_suffix=_suffix(raw.get("traffic_manager_suffix", "trafficmanager.net"),
                                       "cloud.traffic_manager_suffix"),
        front_door_suffixes=(),
        log_analytics=logs,
    )


def _https(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or urlsplit(value).scheme != "https" or not urlsplit(value).hostname:
        raise ConfigError(f"cloud.{key} must be an https URL for a custom cloud, e.g. https://management.example.net")
    return value.rstrip("/")


def _suffix(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip(".").strip() or "/" in value or " " in value.strip():
        raise ConfigError(f"{where} must be a DNS suffix such as vault.example.net")
    return value.strip().strip(".").lower()


def _suffixes(raw: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list):
        raise ConfigError(f"cloud.{key} must be a list of DNS suffixes")
    return tuple(dict.fromkeys(_suffix(v, f"cloud.{key}") for v in value))
