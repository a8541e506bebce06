"""Bulk ARM objects of assorted types: the Resource Graph rows no collector reads in depth,
but every audit must enumerate (and scan for host-name references)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ArmObject = dict[str, Any]


def _rid(sub: str, rg: str, rtype: str, name: str) -> str:
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{rtype}/{name}"


def _storage(sub: str, i: int) -> ArmObject:
    name = f"stbench{i:05d}"
    return {
        "id": _rid(sub, "rg-data", "Microsoft.Storage/storageAccounts", name), "name": name,
        "type": "Microsoft.Storage/storageAccounts", "location": "westeurope", "kind": "StorageV2",
        "sku": {"name": "Standard_LRS", "tier": "Standard"}, "tags": {"env": "bench"},
        "properties": {"minimumTlsVersion": "TLS1_2", "supportsHttpsTrafficOnly": True,
                       "primaryEndpoints": {"blob": f"https://{name}.blob.core.windows.net/",
                                            "web": f"https://{name}.z6.web.core.windows.net/"}},
    }


def _public_ip(sub: str, i: int) -> ArmObject:
    name = f"pip-bench-{i:05d}"
    return {
        "id": _rid(sub, "rg-net", "Microsoft.Network/publicIPAddresses", name), "name": name,
        "type": "Microsoft.Network/publicIPAddresses", "location": "westeurope",
        "sku": {"name": "Standard", "tier": "Regional"}, "tags": {},
        "properties": {"ipAddress": f"20.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}",
                       "publicIPAllocationMethod": "Static",
                       "dnsSettings": {"domainNameLabel": name,
                                       "fqdn": f"{name}.westeurope.cloudapp.azure.com"}},
    }


def _vnet(sub: str, i: int) -> ArmObject:
    name = f"vnet-bench-{i:05d}"
    return {
        "id": _rid(sub, "rg-net", "Microsoft.Network/virtualNetworks", name), "name": name,
        "type": "Microsoft.Network/virtualNetworks", "location": "westeurope", "tags": {"env": "bench"},
        "properties": {"addressSpace": {"addressPrefixes": [f"10.{i % 256}.0.0/16"]},
                       "subnets": [], "provisioningState": "Succeeded"},
    }


def _nsg(sub: str, i: int) -> ArmObject:
    name = f"nsg-bench-{i:05d}"
    return {
        "id": _rid(sub, "rg-net", "Microsoft.Network/networkSecurityGroups", name), "name": name,
        "type": "Microsoft.Network/networkSecurityGroups", "location": "westeurope", "tags": {},
        "properties": {"securityRules": [], "provisioningState": "Succeeded"},
    }


def _disk(sub: str, i: int) -> ArmObject:
    name = f"disk-bench-{i:05d}"
    return {
        "id": _rid(sub, "rg-compute", "Microsoft.Compute/disks", name), "name": name,
        "type": "Microsoft.Compute/disks", "location": "westeurope",
        "sku": {"name": "Premium_LRS", "tier": "Premium"}, "tags": {},
        "properties": {"diskSizeGB": 128, "diskState": "Unattached", "osType": "Linux"},
    }


def _sql(sub: str, i: int) -> ArmObject:
    name = f"sql-bench-{i:05d}"
    return {
        "id": _rid(sub, "rg-data", "Microsoft.Sql/servers", name), "name": name,
        "type": "Microsoft.Sql/servers", "location": "westeurope", "kind": "v12.0", "tags": {},
        "properties": {"fullyQualifiedDomainName": f"{name}.database.windows.net", "version": "12.0",
                       "state": "Ready", "minimalTlsVersion": "1.2", "publicNetworkAccess": "Disabled"},
    }


def _insights(sub: str, i: int) -> ArmObject:
    name = f"appi-bench-{i:05d}"
    return {
        "id": _rid(sub, "rg-ops", "Microsoft.Insights/components", name), "name": name,
        "type": "Microsoft.Insights/components", "location": "westeurope", "kind": "web", "tags": {},
        "properties": {"Application_Type": "web", "IngestionMode": "LogAnalytics"},
    }


_MAKERS: tuple[Callable[[str, int], ArmObject], ...] = (
    _storage, _public_ip, _vnet, _nsg, _disk, _sql, _insights,
)


def bulk_resources(subscriptions: tuple[str, ...], count: int) -> tuple[ArmObject, ...]:
    """`count` resources, types in rotation, spread over `subscriptions` round-robin."""
    return tuple(_MAKERS[i % len(_MAKERS)](subscriptions[i % len(subscriptions)], i) for i in range(count))
