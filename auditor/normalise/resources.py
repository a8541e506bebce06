"""Resource Graph rows -> Resource records: what exists, and the Azure-provided names it owns."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from auditor.model.resource import Resource
from auditor.normalise.hostnames import hostname_of, normalise
from auditor.normalise.validate import check_arm_object

# Suffixes of names Azure hands out with a resource; a CNAME to one of these whose
# resource is gone can be taken over.
AZURE_PROVIDED_SUFFIXES = (
    "azurewebsites.net", "appserviceenvironment.net", "azurefd.net", "azureedge.net",
    "trafficmanager.net", "cloudapp.azure.com", "cloudapp.net", "azure-api.net",
    "azurestaticapps.net", "azurecontainerapps.io", "azurecr.io",
    "core.windows.net", "database.windows.net", "documents.azure.com", "vault.azure.net",
    "redis.cache.windows.net", "servicebus.windows.net", "azmk8s.io", "azureedge-test.net",
    "service.signalr.net", "cognitiveservices.azure.com", "search.windows.net",
    "postgres.database.azure.com", "mysql.database.azure.com", "azurehdinsight.net",
    "azure-mobile.net", "azurecontainer.io", "azureml.net", "trafficmanager.cn",
    "chinacloudsites.cn", "azurewebsites.us", "usgovcloudapp.net", "usgovtrafficmanager.net",
)

# Where each type keeps the names Azure gave it: dotted property paths ("[]" walks a list,
# "{}" every value of an object). Values may be host names or URLs. A leading "?" marks a
# list that mixes custom names in: only Azure-provided names are kept from it.
_DEFAULT_NAME_PATHS: dict[str, tuple[str, ...]] = {
    "microsoft.web/sites": ("defaultHostName", "?enabledHostNames[]", "?hostNames[]"),
    "microsoft.web/sites/slots": ("defaultHostName", "?enabledHostNames[]", "?hostNames[]"),
    "microsoft.web/staticsites": ("defaultHostname",),
    "microsoft.cdn/profiles/afdendpoints": ("hostName",),
    "microsoft.cdn/profiles/endpoints": ("hostName",),
    "microsoft.network/frontdoors": ("cName", "?frontendEndpoints[].properties.hostName"),
    "microsoft.network/trafficmanagerprofiles": ("dnsConfig.fqdn",),
    "microsoft.network/publicipaddresses": ("dnsSettings.fqdn",),
    "microsoft.storage/storageaccounts": ("primaryEndpoints{}", "secondaryEndpoints{}"),
    "microsoft.apimanagement/service": ("gatewayUrl", "gatewayRegionalUrl", "portalUrl",
                                        "developerPortalUrl", "managementApiUrl", "scmUrl",
                                        "?hostnameConfigurations[].hostName"),
    "microsoft.app/containerapps": ("configuration.ingress.fqdn", "latestRevisionFqdn"),
    "microsoft.keyvault/vaults": ("vaultUri",),
    "microsoft.containerservice/managedclusters": ("fqdn", "azurePortalFQDN", "privateFQDN"),
    "microsoft.cache/redis": ("hostName",),
    "microsoft.sql/servers": ("fullyQualifiedDomainName",),
    "microsoft.dbforpostgresql/flexibleservers": ("fullyQualifiedDomainName",),
    "microsoft.dbformysql/flexibleservers": ("fullyQualifiedDomainName",),
    "microsoft.documentdb/databaseaccounts": ("documentEndpoint",),
    "microsoft.servicebus/namespaces": ("serviceBusEndpoint",),
    "microsoft.eventhub/namespaces": ("serviceBusEndpoint",),
    "microsoft.signalrservice/signalr": ("hostName",),
    "microsoft.cognitiveservices/accounts": ("endpoint",),
    "microsoft.containerregistry/registries": ("loginServer",),
    "microsoft.containerinstance/containergroups": ("ipAddress.fqdn",),
    "microsoft.hdinsight/clusters": ("?connectivityEndpoints[].location",),
}

# Types whose Azure-provided name ARM never writes down: it is the resource's name under a suffix.
_NAMED_HOSTS: dict[str, str] = {
    "microsoft.search/searchservices": "search.windows.net",
}

# The types whose default names make "is this Azure-provided name in the inventory"
# answerable: the Resource Graph scan asks for all of them.
NAME_OWNING_TYPES = tuple(_DEFAULT_NAME_PATHS) + tuple(_NAMED_HOSTS)

_TLS_VERSION = re.compile(r"^(?:tls)?v?_?(\d)[._]?(\d)$", re.IGNORECASE)


def resource_from_row(row: Mapping[str, Any]) -> Resource:
    """One Resource Graph row (id, name, type, location, subscriptionId, tags, properties)."""
    resource_id = row.get("id")
    rtype = row.get("type")
    if not isinstance(resource_id, str) or not resource_id or not isinstance(rtype, str):
        raise ValueError("a Resource Graph row needs a non-empty id and a type")
    rtype = rtype.lower()
    check_arm_object(row, rtype)       # a wrong-typed field: the whole row is a malformed gap
    properties = row.get("properties")
    props = properties if isinstance(properties, Mapping) else {}
    subscription = row.get("subscriptionId") or id_segment(resource_id, "subscriptions") or ""
    name = str(row.get("name") or resource_id.rstrip("/").rsplit("/", 1)[-1])
    named = (f"{name.lower()}.{_NAMED_HOSTS[rtype]}",) if rtype in _NAMED_HOSTS and name else ()
    return Resource(
        id=resource_id,
        type=rtype,
        name=name,
        subscription_id=str(subscription),
        location=row.get("location") or None,
        tags=tags_of(row.get("tags")),
        default_hostnames=default_hostnames(rtype, props) + named,
        min_tls_version=min_tls_version(rtype, props),
    )


def tags_of(value: object) -> dict[str, str]:
    """ARM tags; null, absent or a non-object means none."""
    if not isinstance(value, Mapping):
        return {}
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


def default_hostnames(rtype: str, properties: Mapping[str, Any]) -> tuple[str, ...]:
    """The Azure-provided host names a resource of this type owns, lower-case."""
    names: dict[str, None] = {}
    for path in _DEFAULT_NAME_PATHS.get(rtype.lower(), ()):
        mixed = path.startswith("?")
        for value in values_at(properties, path.lstrip("?")):
            host = hostname_of(value) if isinstance(value, str) else None
            if host and (not mixed or is_azure_provided(host)):
                names.setdefault(host, None)
    return tuple(names)


def is_azure_provided(host: str) -> bool:
    host = normalise(host)
    return any(host == s or host.endswith("." + s) for s in AZURE_PROVIDED_SUFFIXES)


def min_tls_version(rtype: str, properties: Mapping[str, Any]) -> str | None:
    """The configured minimum TLS version, as "1.0" / "1.2", where the row carries one."""
    site_config = properties.get("siteConfig")
    candidates: Iterable[object] = (
        site_config.get("minTlsVersion") if isinstance(site_config, Mapping) else None,
        properties.get("minTlsVersion"),
        properties.get("minimumTlsVersion"),
        properties.get("minimalTlsVersion"),
    )
    for value in candidates:
        version = tls_version(value)
        if version:
            return version
    return None


def tls_version(value: object) -> str | None:
    """"TLS1_2", "TLS12", "Tls12", "1.2", "TLSv1.2" -> "1.2"; anything else -> None."""
    if not isinstance(value, str):
        return None
    match = _TLS_VERSION.match(value.strip().replace("TLSv", "").replace("tlsv", ""))
    return f"{match.group(1)}.{match.group(2)}" if match else None


def values_at(data: object, path: str) -> list[object]:
    """Values at a dotted path; `name[]` walks a list, `name{}` every value of an object."""
    current: list[object] = [data]
    for part in path.split("."):
        key = part.removesuffix("[]").removesuffix("{}")
        step: list[object] = []
        for item in current:
            if not isinstance(item, Mapping) or item.get(key) is None:
                continue
            value = item[key]
            if part.endswith("[]"):
                step += value if isinstance(value, list) else []
            elif part.endswith("{}"):
                step += list(value.values()) if isinstance(value, Mapping) else []
            else:
                step.append(value)
        current = step
    return current


def id_segment(resource_id: str, name: str) -> str | None:
    """The value after segment `name` in an ARM id, matched case-insensitively."""
    parts = [p for p in resource_id.split("/") if p]
    for i in range(len(parts) - 1):
        if parts[i].lower() == name.lower():
            return parts[i + 1]
    return None
