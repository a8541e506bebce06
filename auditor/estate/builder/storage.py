"""Storage accounts: the ARM object and the blob host name Azure's DNS answers for."""

from __future__ import annotations

from auditor.estate.builder.context import BuildContext
from auditor.estate.builder.dns import DnsBook
from auditor.estate.builder.ids import resource_id, stable_ip
from auditor.estate.builder.platform import platform_cert

BLOB_ZONE = "blob.core.windows.net"


def build_storage_accounts(ctx: BuildContext, dns: DnsBook) -> None:
    for account in ctx.spec.storage_accounts:
        name = account.name.lower()
        sub = ctx.subscription(account.subscription, f"storage account {name}")
        blob = f"{name}.{BLOB_ZONE}"
        ctx.add_arm(f"{sub}/{account.resource_group}/storage-{name}.json", {
            "id": resource_id(sub, account.resource_group, "Microsoft.Storage/storageAccounts", name),
            "name": name,
            "type": "Microsoft.Storage/storageAccounts",
            "kind": "StorageV2",
            "location": account.location,
            "sku": {"name": "Standard_LRS", "tier": "Standard"},
            "tags": {},
            "properties": {
                "primaryEndpoints": {"blob": f"https://{blob}/", "web": f"https://{name}.z6.web.core.windows.net/"},
                "primaryLocation": account.location,
                "statusOfPrimary": "available",
                "minimumTlsVersion": "TLS1_2",
                "supportsHttpsTrafficOnly": True,
                "provisioningState": "Succeeded",
            },
        })
        dns.add(blob, "A", stable_ip("52.239.0.0/16", name))
        ctx.serve_host(blob, platform_cert(ctx, BLOB_ZONE))
