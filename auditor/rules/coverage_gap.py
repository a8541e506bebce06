"""coverage-gap: something in scope could not be read; the audit names it."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from auditor.config import Config
from auditor.graph import Graph
from auditor.model import Finding, Severity, Source
from auditor.rules.common import make_finding
from auditor.rules.metadata import RuleMetadata

METADATA = RuleMetadata(
    id="coverage-gap",
    severity=Severity.HIGH,
    title="Part of the estate could not be read",
    checks="Every coverage gap the collectors recorded: a subscription, vault, resource, DNS name or "
           "endpoint that answered forbidden, not found, throttled past the retries, timed out, failed "
           "or returned something that could not be parsed; a DNS zone outside Azure DNS that holds "
           "custom domains, bound names or a retired domain and that no zone file or zone transfer "
           "supplied (`dns-zone`, `not-listable`), or a zone file that disagrees with the zone's "
           "servers (`stale`). One finding per target; a zone acknowledged in "
           "dns.unlisted_zones_acknowledged is `info`. Its resource id is the target's ARM id (a "
           "vault's found by its name, a subscription's), else the target itself.",
    rationale="An auditor that skips what it cannot read reports a clean estate that is not. A vault "
              "the identity may not list can hold the certificate that expires next week.",
    remediation="Grant the audit identity read access (Portal: the resource > Access control (IAM) > Add "
                "role assignment > Reader; for Key Vault `Key Vault Reader`, or on an access-policy vault "
                "`az keyvault set-policy -n <vault> --object-id <id> --certificate-permissions get list`; "
                "app settings need `Microsoft.Web/sites/config/list/action`); for a `subscription` gap, a role "
                "on that subscription (Resource Graph silently leaves out subscriptions it cannot read); "
                "for a `network-blocked` vault, a private endpoint or virtual-network rule the audit can "
                "reach it through (trusted-services bypass does not cover it); or rerun when the service "
                "recovers. For a `dns-zone` gap, supply the zone (dns.zone_files or dns.zone_transfer, see "
                "docs/dns-zones.md) or acknowledge it in dns.unlisted_zones_acknowledged.",
    references=(
        "https://learn.microsoft.com/en-us/azure/key-vault/general/rbac-guide",
        "https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles",
        "https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/request-limits-and-throttling",
    ),
)


def check(graph: Graph, config: Config, as_of: datetime) -> list[Finding]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for gap in graph.inventory.gaps:
        entry: dict[str, Any] = {"source": gap.source.value, "reason": gap.reason.value, "detail": gap.detail}
        if gap.acknowledged:
            entry["acknowledged"] = True
        entries = grouped.setdefault(gap.target.strip().lower() if not gap.target.startswith("/") else gap.target, [])
        if entry not in entries:
            entries.append(entry)
    vaults = {r.name.lower(): r.id for r in graph.inventory.resources if r.type == _VAULT_TYPE}
    out: list[Finding] = []
    for target, entries in sorted(grouped.items()):
        first = entries[0]
        # A zone the user acknowledged as unlisted stays visible, as information only.
        accepted = all(e.get("acknowledged") for e in entries)
        out.append(make_finding(
            METADATA, subject=target, resource_id=_resource_of(target, first["source"], vaults),
            severity=Severity.INFO if accepted else None,
            title=f"Could not read {first['source']} {target}: {first['reason']}",
            evidence={**first, "gaps": entries},
        ))
    return out


_VAULT_TYPE = "microsoft.keyvault/vaults"
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _resource_of(target: str, source: str, vaults: dict[str, str]) -> str:
    """The ARM id of what could not be read: given, a vault's by its name, a subscription's; for
    what is not an ARM resource (a DNS name, a zone elsewhere, a host), the target itself."""
    if target.startswith("/"):
        return target
    if source == Source.KEYVAULT.value and target in vaults:
        return vaults[target]
    if _GUID.fullmatch(target):
        return f"/subscriptions/{target}"
    return target
