"""Which domains and certificates are retired: declared in config or by the retired tag."""

from __future__ import annotations

from dataclasses import dataclass

from auditor.config import Config
from auditor.graph import Graph
from auditor.model import Certificate
from auditor.normalise.hostnames import normalise
from auditor.normalise.retired_tag import DNS_ZONE_TYPE as _DNS_ZONE_TYPE
from auditor.normalise.retired_tag import has_retired_tag


@dataclass(frozen=True)
class RetiredName:
    name: str            # a domain or host name, lower-case
    retired_by: str      # "config", or "tag on <resource id>"
    source_id: str = ""  # the tagged resource, left out of its own dependents


@dataclass(frozen=True)
class RetiredCertificate:
    certificate: Certificate
    retired_by: str


def retired_names(graph: Graph, config: Config) -> list[RetiredName]:
    tag = config.decommission.retired_tag
    found: dict[str, RetiredName] = {}
    for domain in config.decommission.retired_domains:
        found.setdefault(normalise(domain), RetiredName(normalise(domain), "config"))
    for res in graph.inventory.resources:
        if res.type.lower() == _DNS_ZONE_TYPE and has_retired_tag(res.tags, tag):
            name = normalise(res.name)
            found.setdefault(name, RetiredName(name, f"tag {tag} on DNS zone {res.id}", res.id))
    for cd in graph.inventory.custom_domains:
        if has_retired_tag(cd.tags, tag):
            name = normalise(cd.hostname).removeprefix("*.")
            found.setdefault(name, RetiredName(name, f"tag {tag} on custom domain {cd.resource_id}", cd.resource_id))
    return sorted(found.values(), key=lambda r: r.name)


def retired_certificates(graph: Graph, config: Config) -> list[RetiredCertificate]:
    tag = config.decommission.retired_tag
    return [RetiredCertificate(c, f"tag {tag} on certificate {c.key}")
            for c in graph.inventory.certificates if has_retired_tag(c.tags, tag)]
