"""stale-custom-domain: a custom-domain binding whose DNS no longer points at its resource."""

from __future__ import annotations

from datetime import datetime

from auditor.config import Config
from auditor.graph import Graph
from auditor.graph.removal import remove_custom_domain
from auditor.model import CustomDomain, DnsObservation, DnsStatus, Finding, ReferenceKind, Severity
from auditor.rules.common import make_finding
from auditor.rules.dns_paths import answered, chain_names, expected_targets, first_target, reaches
from auditor.rules.metadata import RuleMetadata

METADATA = RuleMetadata(
    id="stale-custom-domain",
    severity=Severity.MEDIUM,
    title="Custom domain no longer points at its resource",
    checks="A host name configured as a custom domain whose DNS answer does not lead to the resource "
           "that serves it: NXDOMAIN, no address, or a CNAME chain that never reaches the expected "
           "endpoint or default host name, or a CNAME chain that never ends (a loop, a self-loop, or longer "
           "than the resolver follows). Names answered only by A records are not judged, nor names "
           "that reach a Front Door or Traffic Manager whose origin or endpoint is the resource, or an "
           "Application Gateway's public IP while a gateway's backend is the resource (host name "
           "preservation: the resource keeps the binding, DNS points at the proxy).",
    rationale="The binding is a leftover: traffic went elsewhere, yet the host name stays claimed on the "
              "resource, a managed certificate for it can no longer renew, and a decommission check "
              "keeps counting it.",
    remediation="If the name moved on, remove the binding: `az webapp config hostname delete -g <rg> "
                "--webapp-name <app> --hostname <name>` or `az afd custom-domain delete -g <rg> "
                "--profile-name <profile> --custom-domain-name <domain>`; otherwise point its CNAME back "
                "at the resource.",
    references=(
        "https://learn.microsoft.com/en-us/azure/app-service/app-service-web-tutorial-custom-domain",
        "https://learn.microsoft.com/en-us/azure/frontdoor/domain",
        "https://learn.microsoft.com/en-us/azure/architecture/best-practices/host-name-preservation",
    ),
)


def check(graph: Graph, config: Config, as_of: datetime) -> list[Finding]:
    out: list[Finding] = []
    for host, domains in sorted(graph.custom_domains.items()):
        if host.startswith("*."):
            continue
        for domain in domains:
            problem = _problem(graph, domain)
            if problem is None:
                continue
            obs = graph.observations[host]
            out.append(make_finding(
                METADATA, subject=host, resource_id=domain.resource_id,
                title=f"{host} is a custom domain on {domain.service.value} but {problem}",
                # The exact command for this binding, every value quoted; the generic one stays in the docs.
                remediation="Point its CNAME back at the resource or, if the name moved on, remove it. "
                            + remove_custom_domain(host, domain.service, domain.resource_id),
                evidence={"dns_status": obs.status.value, "cname": first_target(obs),
                          "chain": chain_names(obs)[1:], "expected": sorted(expected_targets(graph, domain)),
                          "serving_resource_id": domain.serving_resource_id},
            ))
    return out


def _problem(graph: Graph, domain: CustomDomain) -> str | None:
    obs = graph.observations.get(domain.hostname)
    if obs is not None and obs.broken_chain:
        # A loop or an endless chain resolves for nobody: broken whatever it was meant to reach.
        return f"its CNAME chain never ends ({obs.detail}), so it resolves for nobody"
    if obs is None or not answered(obs):
        return None  # not resolved, or resolving failed: a coverage gap, not a verdict
    targets = expected_targets(graph, domain)
    if not targets:
        return None
    if obs.status is DnsStatus.NXDOMAIN:
        return "its name does not resolve"
    if reaches(obs, targets) or _through_proxy_to(graph, obs, targets):
        return None
    if not obs.chain:
        if obs.addresses or _alias_to(graph, domain):
            return None  # an A record or alias: cannot tell from names alone
        return "its name has no address"
    return f"its CNAME leads to {obs.final_name}, not to {', '.join(sorted(targets))}"


def _alias_to(graph: Graph, domain: CustomDomain) -> bool:
    return any(r.target_resource_id for r in graph.records_by_name.get(domain.hostname, ()))


# References by which a proxy sends its traffic on to a host name.
_FORWARDING = {ReferenceKind.FRONTDOOR_ORIGIN, ReferenceKind.TRAFFIC_MANAGER_ENDPOINT}
_PUBLIC_IP = "microsoft.network/publicipaddresses"
# Child segments below the resource that owns a proxy's forwarding references.
_PROXY_CHILDREN = ("/afdendpoints/", "/endpoints/")


def _through_proxy_to(graph: Graph, obs: DnsObservation, targets: set[str]) -> bool:
    """The name resolves through a Front Door endpoint or Traffic Manager profile that forwards to
    one of the resource's own names (an origin or endpoint), or to a public IP while an Application
    Gateway sends a backend pool to one of them: the binding is in use."""
    reached = [r for name in chain_names(obs)[1:] for r in graph.resources_by_hostname.get(name, ())]
    scopes = {_owner_scope(r.id) for r in reached}
    public_ip = any(r.type == _PUBLIC_IP for r in reached)
    refs = [ref for target in targets for ref in graph.references.get(target, ())]
    return any((ref.kind in _FORWARDING and any(f"{ref.resource_id.lower().rstrip('/')}/".startswith(s) for s in scopes))
               or (public_ip and ref.kind is ReferenceKind.GATEWAY_BACKEND) for ref in refs)


def _owner_scope(resource_id: str) -> str:
    """A Front Door endpoint's profile, else the resource itself, lower-case with a trailing slash."""
    rid = resource_id.lower()
    for child in _PROXY_CHILDREN:
        if child in rid:
            rid = rid.split(child, 1)[0]
    return rid.rstrip("/") + "/"
