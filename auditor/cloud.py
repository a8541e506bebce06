"""The cloud's endpoints in one object, passed to every client.

The emulator and the sovereign clouds are just other values of it: in estate mode
the host names stay Azure's own and only the network layer (see
`auditor.collect.session`) sends the connections to the emulator.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CloudEndpoints:
    name: str
    arm: str                 # Resource Manager, e.g. https://management.azure.com
    login: str               # Entra ID authority host
    graph: str               # Microsoft Graph
    keyvault_suffix: str     # data-plane host suffix: <vault>.<suffix>
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


AZURE_PUBLIC = CloudEndpoints(
    name="AzureCloud",
    arm="https://management.azure.com",
    login="https://login.microsoftonline.com",
    graph="https://graph.microsoft.com",
    keyvault_suffix="vault.azure.net",
)
AZURE_CHINA = CloudEndpoints(
    name="AzureChinaCloud",
    arm="https://management.chinacloudapi.cn",
    login="https://login.chinacloudapi.cn",
    graph="https://microsoftgraph.chinacloudapi.cn",
    keyvault_suffix="vault.azure.cn",
    log_analytics="https://api.loganalytics.azure.cn",
)
AZURE_US_GOVERNMENT = CloudEndpoints(
    name="AzureUSGovernment",
    arm="https://management.usgovcloudapi.net",
    login="https://login.microsoftonline.us",
    graph="https://graph.microsoft.us",
    keyvault_suffix="vault.usgovcloudapi.net",
    log_analytics="https://api.loganalytics.us",
)

CLOUDS = {c.name.lower(): c for c in (AZURE_PUBLIC, AZURE_CHINA, AZURE_US_GOVERNMENT)}
