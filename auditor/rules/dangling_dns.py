"""dangling-dns: a record points at an Azure-provided name that does not resolve or whose resource
is not in the inventory: anyone who creates a resource with that name takes the host name over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from auditor.cloud import CUSTOM
from auditor.config import Config
from auditor.graph import Graph, azure_names
from auditor.graph.azure_names import azure_provided_suffix
from auditor.graph.removal import remove_dns_record
from auditor.model import DnsRecord, DnsStatus, Finding, GapReason, ReferenceKind, Severity, Source
from auditor.normalise.hostnames import normalise
from auditor.rules.common import host_resource, make_finding
from auditor.rules.dns_paths import chain_names
from auditor.rules.metadata import RuleMetadata

METADATA = RuleMetadata(
    id="dangling-dns",
    severity=Severity.HIGH,
    title="DNS record points at a missing Azure resource",
    checks="A CNAME (in Azure DNS or seen while resolving), a Front Door origin, a Traffic Manager "
           "endpoint or a gateway or APIM backend points at an Azure-provided name "
           "(azurewebsites.net, azurefd.net, azureedge.net, trafficmanager.net, cloudapp.azure.com, "
           "cloudapp.net, blob.core.windows.net, web.core.windows.net, azure-api.net, "
           "azurestaticapps.net, azurecontainerapps.io, ..., and their Azure Government and Azure China "
           "counterparts such as azurewebsites.us, azure-api.us, chinacloudsites.cn, or a custom cloud's "
           "declared takeover suffixes) that returns NXDOMAIN or that no resource "
           "in the inventory owns; or an Azure DNS alias record targets a resource that is gone. "
           "Records from zone files and zone transfers count as Azure DNS records do. For each such "
           "name the audit asks Azure's name-availability action of its service (App Service, Storage, "
           "Traffic Manager, Front Door, CDN, cloudapp DNS labels): evidence `available` is true when "
           "anyone can register it today (critical), false when it is taken outside the inventory "
           "(owned elsewhere), null where no such check applies.",
    rationale="Azure-provided names are first come, first served. Once the resource is deleted anyone "
              "can create one with the same name and serve content, set cookies and receive traffic "
              "under your host name: subdomain takeover.",
    remediation="Delete or repoint the record: `az network dns record-set cname delete -g <rg> -z <zone> "
                "-n <name>` (or at the DNS provider that hosts it); if the resource should exist, recreate "
                "it in your subscription first. Use Azure DNS alias records so records follow resources.",
    references=(
        "https://learn.microsoft.com/en-us/azure/security/fundamentals/subdomain-takeover",
        "https://learn.microsoft.com/en-us/azure/dns/dns-alias",
        "https://learn.microsoft.com/en-us/rest/api/appservice/check-name-availability",
        "https://learn.microsoft.com/en-us/azure/azure-government/compare-azure-government-global-azure",
        "https://learn.microsoft.com/en-us/azure/china/resources-developer-guide",
    ),
)


# References that send traffic to a host name: an origin or backend at a free Azure name is a takeover.
_TRAFFIC_KINDS = {ReferenceKind.FRONTDOOR_ORIGIN, ReferenceKind.TRAFFIC_MANAGER_ENDPOINT,
                  ReferenceKind.GATEWAY_BACKEND, ReferenceKind.APIM_BACKEND}


@dataclass(frozen=True)
class _Pointer:
    owner: str
    target: str
    resource_id: str
    via: str          # "azure-dns", "alias", "observed" or the reference kind (an origin or backend)
    record: DnsRecord | None = None   # the Azure DNS record set, for the exact command that deletes it


def check(graph: Graph, config: Config, as_of: datetime) -> list[Finding]:
    # A subscription the identity cannot see may hold the target: the inventory is then partial too.
    inventory_complete = not any(g.source in (Source.ARG, Source.ARM, Source.SUBSCRIPTION) for g in graph.inventory.gaps)
    availability = {a.hostname: a for a in graph.inventory.name_availability}
    known = set(graph.resources_by_hostname)
    known |= {normalise(t) for domains in graph.custom_domains.values() for d in domains for t in d.expected_targets}
    unreadable = _unreadable_resource_names(graph)
    out: list[Finding] = []
    seen: set[str] = set()
    extra = config.cloud.takeover_suffixes if config.cloud.name == CUSTOM else ()
    for pointer in _pointers(graph, extra):
        if pointer.owner in seen:
            continue
        if pointer.via == "alias":
            seen.add(pointer.owner)
            out.append(make_finding(
                METADATA, subject=pointer.owner, resource_id=pointer.resource_id,
                severity=Severity.HIGH if inventory_complete else Severity.MEDIUM,
                title=f"{pointer.owner} is an alias for a resource that is not in the inventory",
                evidence={"target_resource_id": pointer.target, "via": "alias",
                          "inventory_complete": inventory_complete}))
            continue
        nxdomain = _nxdomain(graph, pointer)
        owned = pointer.target in known
        answer = availability.get(pointer.target)
        available = answer.available if answer is not None else None
        if owned or (not nxdomain and available is not True and _first_label(pointer.target) in unreadable):
            # Owned, or maybe owned by a resource whose object could not be read: then the
            # malformed gap speaks for it, not a guess that it is dangling.
            continue
        seen.add(pointer.owner)
        reason = _reason(nxdomain, available)
        severity = Severity.CRITICAL if nxdomain or available else (
            Severity.HIGH if inventory_complete else Severity.MEDIUM)
        out.append(make_finding(
            METADATA, subject=pointer.owner, resource_id=pointer.resource_id, severity=severity,
            remediation=None if pointer.record is None else (
                "Recreate the resource in your subscription if it should exist; otherwise delete or repoint "
                "the record. " + remove_dns_record(pointer.record)),
            title=(f"{pointer.owner} points at {pointer.target}, which {reason}" if pointer.owner != pointer.target
                   else f"{pointer.via} {pointer.target} {reason}"),
            evidence={"target": pointer.target, "azure_suffix": azure_provided_suffix(pointer.target, extra),
                      "nxdomain": nxdomain, "in_inventory": owned, "via": pointer.via,
                      "inventory_complete": inventory_complete, "available": available,
                      "availability_check": answer.service or None if answer is not None else None,
                      "availability_detail": answer.detail if answer is not None else "not asked",
                      "owned_elsewhere": available is False}))
    return out


def _unreadable_resource_names(graph: Graph) -> set[str]:
    """Names of resources whose ARM object was malformed: their own host names are unknown."""
    return {g.target.rstrip("/").rsplit("/", 1)[-1].lower() for g in graph.inventory.gaps
            if g.reason is GapReason.MALFORMED and g.source in (Source.ARG, Source.ARM)
            and "/providers/" in g.target.lower()}


def _first_label(host: str) -> str:
    return host.split(".", 1)[0]


def _reason(nxdomain: bool, available: bool | None) -> str:
    if available:
        return ("is free: Azure's name-availability check says anyone can register it today"
                + (" (it does not resolve)" if nxdomain else ""))
    if available is False:
        return ("is owned by no resource in the inventory but taken in Azure: owned elsewhere "
                "(another tenant, or already taken over)")
    return "does not resolve (NXDOMAIN)" if nxdomain else "is owned by no resource in the inventory"


def _pointers(graph: Graph, extra: tuple[str, ...] = ()) -> list[_Pointer]:
    """Azure DNS records first, so a name in both keeps its record's resource id. `extra`: a
    custom cloud's own takeover suffixes."""
    def is_azure_provided(name: str) -> bool:
        return azure_names.is_azure_provided(name, extra)

    out: list[_Pointer] = []
    for record in graph.inventory.dns_records:
        owner = normalise(record.fqdn)
        if record.target_resource_id is not None and record.target_resource_id.strip():
            if graph.resource(record.target_resource_id) is None:
                out.append(_Pointer(owner, record.target_resource_id, record.resource_id, "alias"))
            continue
        if record.type.upper() != "CNAME":
            continue
        for value in record.values:
            target = normalise(value)
            if is_azure_provided(target) and not is_azure_provided(owner):
                out.append(_Pointer(owner, target, record.resource_id, "azure-dns", record))
    for refs in graph.references.values():
        for ref in refs:
            target = normalise(ref.hostname)
            if ref.kind in _TRAFFIC_KINDS and is_azure_provided(target):
                # The name itself is the subject: whoever registers it receives the traffic.
                out.append(_Pointer(target, target, ref.resource_id, ref.kind.value))
    for obs in graph.inventory.dns:
        for hop in obs.chain:
            owner, target = normalise(hop.name), normalise(hop.target)
            if is_azure_provided(owner):
                break  # the rest of the chain is Azure's own
            if is_azure_provided(target):
                out.append(_Pointer(owner, target, host_resource(graph, owner), "observed"))
                break
    return out


def _nxdomain(graph: Graph, pointer: _Pointer) -> bool:
    direct = graph.observations.get(pointer.target)
    if direct is not None and direct.status is DnsStatus.NXDOMAIN:
        return True
    via = graph.observations.get(pointer.owner)
    return via is not None and via.status is DnsStatus.NXDOMAIN and pointer.target in chain_names(via)

