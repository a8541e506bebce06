"""`decommission check TARGET`: every dependent of a domain, a host name or a certificate, and
every coverage gap that could hide one. Never safe while something could not be seen."""

from __future__ import annotations

from datetime import datetime

from auditor.config import Config
from auditor.errors import AuditorError
from auditor.graph import (
    Graph,
    build_graph,
    dependents_of_certificate,
    dependents_of_name,
    parse_key_vault_ref,
)
from auditor.model import (
    Certificate,
    CertificateVersion,
    CoverageGap,
    DecommissionResult,
    Dependent,
    Inventory,
    Source,
)
from auditor.normalise.hostnames import covers, hostname_of, is_under, normalise

# Gaps about one host name: they can hide a dependent only of a related name.
_NAME_SOURCES = {Source.DNS, Source.TLS}


def decommission(inventory: Inventory, config: Config, target: str, as_of: datetime) -> DecommissionResult:
    graph = build_graph(inventory)
    text = target.strip()
    if not text:
        raise AuditorError("decommission check needs a TARGET: a domain, a host name or a certificate")
    if _is_certificate_target(text):
        return _certificate(graph, text)
    name = hostname_of(text) if "://" in text else _plain_name(text)
    if name is None:
        raise AuditorError(f"{text!r} is neither a domain, a host name nor a certificate (vault/name)")
    gaps = tuple(g for g in inventory.gaps if _gap_concerns_name(graph, g, name))
    return DecommissionResult(target=name, dependents=tuple(dependents_of_name(graph, name)), gaps=gaps)


def _is_certificate_target(text: str) -> bool:
    if "://" in text:
        return ".vault." in text.lower() or parse_key_vault_ref(text) is not None and "/certificates/" in text
    return "/" in text


def _plain_name(text: str) -> str | None:
    name = normalise(text)
    return name if name and hostname_of(name) == name else None


def _certificate(graph: Graph, text: str) -> DecommissionResult:
    cert = graph.certificate(text)
    ref = parse_key_vault_ref(text)
    if cert is None and ref is None:
        raise AuditorError(f"{text!r} is not a Key Vault certificate id, `vault/name` or certificate resource id")
    label = cert.key if cert is not None else ref.key  # type: ignore[union-attr]
    version = _version(cert, ref.version if ref else None, text)
    if version is not None:
        label = f"{label}/{version.version}"
    dependents: list[Dependent] = []
    if cert is not None:
        dependents = dependents_of_certificate(graph, cert, version)
        names: tuple[str, ...] = cert.names
    else:
        dependents = _consumers_of_missing(graph, text)
        names = ()
    gaps = tuple(g for g in graph.inventory.gaps if _gap_concerns_certificate(g, names))
    if cert is None and not dependents and not gaps:
        raise AuditorError(f"certificate {label} is not in the inventory and nothing refers to it")
    return DecommissionResult(target=label, dependents=tuple(dependents), gaps=gaps)


def _version(cert: Certificate | None, version: str | None, text: str) -> CertificateVersion | None:
    """An older version named in the target; None for the current one or none named."""
    if cert is None or version is None or (cert.version or "").lower() == version:
        return None
    for v in cert.versions:
        if v.version.lower() == version:
            return v
    raise AuditorError(f"certificate {cert.key} has no version {version} ({text})")


def _consumers_of_missing(graph: Graph, text: str) -> list[Dependent]:
    """A certificate the inventory does not hold (deleted, or in an unreadable vault) can still have
    copies and bindings that refer to it."""
    ref = parse_key_vault_ref(text)
    if ref is None:
        return []
    stand_in = [c for c in graph.inventory.certificates
                if (kv := parse_key_vault_ref(c.key_vault_id)) is not None and kv.key == ref.key]
    out: list[Dependent] = []
    for copy in stand_in:
        out += dependents_of_certificate(graph, copy)
    for binding in graph.inventory.bindings:
        kv = parse_key_vault_ref(binding.certificate_ref)
        if kv is not None and kv.key == ref.key:
            out.append(Dependent(kind="custom-domain", hostname=normalise(binding.hostname),
                                 resource_id=binding.resource_id, where=f"{binding.service.value} TLS binding",
                                 detail=f"refers to {binding.certificate_ref}",
                                 remove=f"Point the TLS settings of {binding.hostname} at another certificate"))
    return out


def _gap_concerns_name(graph: Graph, gap: CoverageGap, name: str) -> bool:
    """Conservative: only a DNS or TLS gap about a provably unrelated host name is left out, and a
    zone the user acknowledged as unlisted that neither holds nor is held by the target. (An
    unacknowledged unlisted zone could hold a record pointing at anything: it always counts.)"""
    if gap.source is Source.DNS_ZONE and gap.acknowledged:
        return is_under(name, gap.target) or is_under(gap.target, name)
    if gap.source not in _NAME_SOURCES or "/" in gap.target:
        return True
    host = normalise(gap.target)
    if is_under(host, name) or is_under(name, host):
        return True
    records = graph.records_by_name.get(host, ())
    return any(is_under(v, name) for r in records for v in r.values if hostname_of(v))


def _gap_concerns_certificate(gap: CoverageGap, names: tuple[str, ...]) -> bool:
    if gap.source is Source.DNS and "/" not in gap.target:
        return False  # a name that did not resolve cannot hide who presents a certificate
    if gap.source is Source.TLS and "/" not in gap.target:
        return not names or any(covers(p, gap.target) for p in names)
    return True
