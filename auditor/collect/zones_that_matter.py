"""Which DNS zones the audit must be able to list: the registrable domain (Public Suffix List)
of every custom domain, bound name, retired domain and host name traffic or users are sent to,
plus the delegated subzones below them (found by NS lookups, in zone_sources)."""

from __future__ import annotations

from collections import defaultdict

from auditor.config import Config
from auditor.graph.azure_names import is_azure_provided
from auditor.model import Inventory, ReferenceKind
from auditor.normalise.hostnames import is_under, normalise, registrable_domain

# References that name a host the tenant serves or sends traffic to: its zone is the tenant's.
# Other references (app settings, connection strings) count only under a domain that already
# matters, so a third-party API an app calls does not become a zone the tenant must list.
_OWN_HOST_KINDS = {
    ReferenceKind.FRONTDOOR_ORIGIN, ReferenceKind.TRAFFIC_MANAGER_ENDPOINT, ReferenceKind.GATEWAY_BACKEND,
    ReferenceKind.APIM_BACKEND, ReferenceKind.GATEWAY_LISTENER, ReferenceKind.AUTH_REDIRECT,
    ReferenceKind.ENTRA_REDIRECT_URI,
}
# Microsoft's own domains: a name under them is Azure's to list, never the tenant's.
_PLATFORM_DOMAINS = ("azure.com", "azure.net", "windows.net", "microsoft.com", "microsoftonline.com",
                     "azure-api.net", "azurewebsites.net", "azurefd.net", "azureedge.net", "trafficmanager.net",
                     "cloudapp.net", "azurestaticapps.net", "azurecontainerapps.io", "azurecr.io", "azure.cn",
                     "chinacloudapi.cn", "usgovcloudapi.net")


def hosts_by_domain(inventory: Inventory, config: Config) -> dict[str, list[str]]:
    """Registrable domain -> the host names under it that make it matter, sorted."""
    out: dict[str, set[str]] = defaultdict(set)

    def add(name: str) -> None:
        host = normalise(name).removeprefix("*.")
        if not host or is_azure_provided(host) or any(is_under(host, d) for d in _PLATFORM_DOMAINS):
            return
        domain = registrable_domain(host)
        if domain:
            out[domain].add(host)

    for domain in inventory.custom_domains:
        add(domain.hostname)
    for binding in inventory.bindings:
        add(binding.hostname)
    for retired in config.decommission.retired_domains:
        add(retired)
    for ref in inventory.references:
        if ref.kind in _OWN_HOST_KINDS:
            add(ref.hostname)
    for ref in inventory.references:
        if ref.kind not in _OWN_HOST_KINDS and registrable_domain(normalise(ref.hostname)) in out:
            add(ref.hostname)
    return {d: sorted(hosts) for d, hosts in sorted(out.items())}


def delegation_candidates(hosts: dict[str, list[str]]) -> list[str]:
    """Every name strictly below a registrable domain and at or above one of its hosts: where a
    delegated subzone could start."""
    names: dict[str, None] = {}
    for domain, members in hosts.items():
        for host in members:
            labels = host.split(".")
            depth = len(domain.split("."))
            for i in range(len(labels) - depth):
                names.setdefault(".".join(labels[i:]), None)
    return list(names)


def zone_of(host: str, zones: set[str]) -> str | None:
    """The deepest zone in `zones` at or above `host`."""
    labels = host.split(".")
    for i in range(len(labels)):
        candidate = ".".join(labels[i:])
        if candidate in zones:
            return candidate
    return None
