"""The small estate every fault case runs on: two vaults, two sites with bound host names,
a Front Door with a customer certificate, an Azure DNS zone for all of them, and a
second subscription holding one more vault.

The "-a" parts (`kv-a`, `app-a`, `a.fabrikam.io`), `t.fabrikam.io` (TLS) and the second
subscription are what faults hit; `kv-b`, `app-b`, `b.fabrikam.io` and the Front Door are "the reachable rest",
whose findings must be the clean run's, id for id.
"""

from __future__ import annotations

from pathlib import Path

from auditor.estate.builder.build import build_estate
from auditor.estate.builder.spec import (
    AppServiceCertificate,
    EstateSpec,
    FrontDoor,
    FrontDoorDomain,
    HostName,
    Site,
    Subscription,
    Vault,
    VaultCertificate,
    Zone,
)

ZONE = "fabrikam.io"
SUB = "00000000-0000-0000-0000-000000000001"
SUB2 = "00000000-0000-0000-0000-0000000000c2"
# Live traffic: app-l serves the retired name l.fabrikam.io and sends its HTTP log to law-l.
RETIRED = "l.fabrikam.io"
WORKSPACE_CID = "0f0e0d0c-0b0a-4909-8807-060504030201"
WORKSPACE = f"/subscriptions/{SUB}/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/law-l"
APP_L = f"/subscriptions/{SUB}/resourceGroups/rg-web/providers/Microsoft.Web/sites/app-l"

# Substrings naming what the faults hit: a finding mentioning one is not "the rest".
FAULTED_PARTS = ("app-a", "cert-a", "kv-a", "web-a", "a.fabrikam.io", "kv-c", SUB2, "app-t", "t.fabrikam.io",
                 "law-l")


def spec(config: str) -> EstateSpec:
    return EstateSpec(
        subscriptions=(Subscription(SUB, "Production"), Subscription(SUB2, "Shared")),
        vaults=(
            Vault("kv-a", certificates=(VaultCertificate("web-a", ("a.fabrikam.io",), not_after="+5d"),)),
            Vault("kv-b", certificates=(VaultCertificate("web-b", ("b.fabrikam.io", "edge.fabrikam.io"),
                                                         not_after="+5d"),)),
            Vault("kv-c", subscription=SUB2,
                  certificates=(VaultCertificate("web-c", ("c.fabrikam.io",), not_after="+5d"),)),
        ),
        app_service_certificates=(
            AppServiceCertificate("cert-a", key_vault="kv-a/web-a"),
            AppServiceCertificate("cert-b", key_vault="kv-b/web-b"),
        ),
        sites=(
            Site("app-a", host_names=(HostName("a.fabrikam.io", certificate="cert-a"),)),
            Site("app-b", host_names=(HostName("b.fabrikam.io", certificate="cert-b"),)),
            # TLS faults land here: its site and name are read whatever ARM and DNS faults do.
            Site("app-t", host_names=(HostName("t.fabrikam.io", certificate="cert-b"),)),
            # Log Analytics faults land on its workspace; the name stays a retired-domain finding.
            Site("app-l", host_names=(HostName(RETIRED),)),
        ),
        arm=(
            {"id": WORKSPACE, "name": "law-l", "type": "Microsoft.OperationalInsights/workspaces",
             "location": "westeurope", "properties": {"customerId": WORKSPACE_CID}},
            {"id": f"{APP_L}/providers/Microsoft.Insights/diagnosticSettings/to-law",
             "name": "to-law", "type": "Microsoft.Insights/diagnosticSettings",
             "properties": {"workspaceId": WORKSPACE, "logAnalyticsDestinationType": "Dedicated",
                            "logs": [{"category": "AppServiceHTTPLogs", "enabled": True}]}},
        ),
        front_doors=(FrontDoor("fd-edge", domains=(FrontDoorDomain("edge.fabrikam.io", certificate="kv-b/web-b"),)),),
        zones=(Zone(ZONE),),
        config=config,
    )


def build(out: Path, config: str) -> Path:
    return build_estate(spec(config), out)


def on_faulted_part(rule: str, subject: str, resource_id: str) -> bool:
    text = f"{subject} {resource_id}".lower()
    return any(part.lower() in text for part in FAULTED_PARTS)
