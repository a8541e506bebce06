"""The small estate every fault case runs on: two vaults, two sites with bound host names,
a Front Door with a customer certificate, and an Azure DNS zone for all of them.

`kv-a`, `app-a` and `a.fabrikam.io` are the parts faults hit; `kv-b`, `app-b` and
`b.fabrikam.io` are "the reachable rest" whose findings must not change.
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
    Vault,
    VaultCertificate,
    Zone,
)

ZONE = "fabrikam.io"


def spec(config: str) -> EstateSpec:
    return EstateSpec(
        vaults=(
            Vault("kv-a", certificates=(VaultCertificate("web-a", ("a.fabrikam.io",), not_after="+5d"),)),
            Vault("kv-b", certificates=(VaultCertificate("web-b", ("b.fabrikam.io", "edge.fabrikam.io"),
                                                         not_after="+5d"),)),
        ),
        app_service_certificates=(
            AppServiceCertificate("cert-a", key_vault="kv-a/web-a"),
            AppServiceCertificate("cert-b", key_vault="kv-b/web-b"),
        ),
        sites=(
            Site("app-a", host_names=(HostName("a.fabrikam.io", certificate="cert-a"),)),
            Site("app-b", host_names=(HostName("b.fabrikam.io", certificate="cert-b"),)),
        ),
        front_doors=(FrontDoor("fd-edge", domains=(FrontDoorDomain("edge.fabrikam.io", certificate="kv-b/web-b"),)),),
        zones=(Zone(ZONE),),
        config=config,
    )


def build(out: Path, config: str) -> Path:
    return build_estate(spec(config), out)
