"""Host names Azure hands out to resources: the targets a dangling record can be taken over at."""

from __future__ import annotations

from auditor.normalise.hostnames import normalise

# Names anyone can claim again once the resource is deleted (subdomain takeover).
AZURE_PROVIDED_SUFFIXES: tuple[str, ...] = (
    "azurewebsites.net",
    "azurefd.net",
    "azureedge.net",
    "trafficmanager.net",
    "cloudapp.azure.com",
    "cloudapp.net",
    "blob.core.windows.net",
    "web.core.windows.net",
    "azure-api.net",
    "azurestaticapps.net",
    "azurecontainerapps.io",
    "azurecontainer.io",
    "azurehdinsight.net",
    "azuresearch.windows.net",
    "redis.cache.windows.net",
    "servicebus.windows.net",
    "database.windows.net",
    "azure-mobile.net",
    "search.windows.net",
    "cdn.azure.net",
)


_SUFFIXES = frozenset(AZURE_PROVIDED_SUFFIXES)


def azure_provided_suffix(name: str) -> str | None:
    """The Azure-provided suffix `name` sits under, if any (the name itself must be below it).
    One set look-up per label: dangling-dns asks this of every record and reference."""
    host = normalise(name)
    dot = host.find(".")
    while dot >= 0:
        rest = host[dot + 1:]
        if rest in _SUFFIXES:
            return rest
        dot = host.find(".", dot + 1)
    return None


def is_azure_provided(name: str) -> bool:
    return azure_provided_suffix(name) is not None
