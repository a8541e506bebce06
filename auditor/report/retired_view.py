"""Who still depends on each retired domain, read from the retired-domain-in-use findings' evidence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from azure.mgmt.core.tools import parse_resource_id

from auditor.model.finding import Finding

RETIRED_RULE = "retired-domain-in-use"


@dataclass(frozen=True)
class DependentEdge:
    hostname: str
    kind: str
    resource_id: str
    where: str


@dataclass(frozen=True)
class RetiredDomain:
    domain: str
    dependents: tuple[DependentEdge, ...]


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value if v)
    return str(value or "")


def _edges(finding: Finding) -> list[DependentEdge]:
    """Accepts a `dependents` list, or one dependent whose `kinds` may list several kinds."""
    evidence = finding.evidence
    listed = evidence.get("dependents")
    raw: list[Mapping[str, Any]] = (
        [d for d in listed if isinstance(d, Mapping)] if isinstance(listed, list) else [evidence])
    edges = []
    for dep in raw:
        listed_kinds = dep.get("kinds")
        kinds: list[Any] = (listed_kinds if isinstance(listed_kinds, list) and listed_kinds
                            else [dep.get("kind") or dep.get("dependent_kind") or "dependent"])
        for kind in kinds:
            edges.append(DependentEdge(hostname=str(dep.get("hostname") or finding.subject), kind=str(kind),
                                       resource_id=str(dep.get("resource_id") or finding.resource_id),
                                       where=_text(dep.get("where"))))
    return edges


def retired_domains(findings: Iterable[Finding]) -> list[RetiredDomain]:
    edges: dict[str, dict[DependentEdge, None]] = {}
    for finding in findings:
        if finding.rule != RETIRED_RULE:
            continue
        evidence = finding.evidence
        domain = str(evidence.get("retired") or evidence.get("domain") or evidence.get("retired_domain")
                     or finding.subject)
        bucket = edges.setdefault(domain.lower(), {})
        for edge in _edges(finding):
            bucket.setdefault(edge, None)
    return [RetiredDomain(domain, tuple(sorted(e, key=lambda d: (d.hostname, d.kind, d.resource_id, d.where))))
            for domain, e in sorted(edges.items())]


def short_name(resource_id: str) -> str:
    """The resource's own name, for labels; the whole id when it does not parse."""
    parsed = parse_resource_id(resource_id) if resource_id.startswith("/") else {}
    return str(parsed.get("resource_name") or parsed.get("name") or resource_id)
