"""Where a host name's DNS leads: the first hop, and whether it reaches a resource."""

from __future__ import annotations

from auditor.graph import Graph
from auditor.model import CustomDomain, DnsObservation, DnsStatus
from auditor.normalise.hostnames import normalise


def expected_targets(graph: Graph, domain: CustomDomain) -> set[str]:
    """Names the domain's CNAME may point at: its expected targets and the serving resource's defaults."""
    targets = {normalise(t) for t in domain.expected_targets if t}
    serving = graph.resource(domain.serving_resource_id)
    if serving is not None:
        targets |= {normalise(h) for h in serving.default_hostnames}
    return targets


def chain_names(obs: DnsObservation) -> list[str]:
    """Every name the resolution passed through, in order, the queried name first."""
    names = [normalise(obs.name)]
    names += [normalise(h.target) for h in obs.chain]
    return names


def reaches(obs: DnsObservation, targets: set[str]) -> bool:
    return any(name in targets for name in chain_names(obs))


def first_target(obs: DnsObservation) -> str | None:
    """Where the name's own CNAME points, or None when it has none (an A record, or no answer)."""
    return normalise(obs.chain[0].target) if obs.chain else None


def answered(obs: DnsObservation) -> bool:
    """Did the lookup finish with an answer that says something (not a timeout or SERVFAIL)?"""
    return obs.status in (DnsStatus.NOERROR, DnsStatus.NXDOMAIN, DnsStatus.NODATA)
