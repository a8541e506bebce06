"""What depends on a name is answered from the graph's name index: the same dependents a scan
of the whole inventory finds, for every domain the demo's inventory knows of."""

from __future__ import annotations

import pytest

from auditor.core.environment import open_environment
from auditor.core.pipeline import run_audit
from auditor.estate.demo import build_demo
from auditor.graph import Graph, dependents_of_name
from auditor.graph import dependents as dependents_module
from auditor.graph.graph import build_graph
from auditor.graph.traffic import traffic_of
from auditor.normalise.hostnames import is_under, normalise, parents


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    estate = build_demo(tmp_path_factory.mktemp("demo") / "estate")
    with open_environment(estate=estate, config_path=None, as_of=None) as env:
        return build_graph(run_audit(env).inventory)


def _scanned(graph: Graph, domain: str) -> dict[str, set[tuple[str, str]]]:
    """The oracle: each question answered by walking the whole inventory."""
    inv = graph.inventory
    return {
        "custom domains": {(normalise(d.hostname), d.resource_id) for d in inv.custom_domains
                           if is_under(normalise(d.hostname).removeprefix("*."), domain)}
        | {(normalise(b.hostname), b.resource_id) for b in inv.bindings
           if normalise(b.hostname) not in graph.custom_domains
           and is_under(normalise(b.hostname).removeprefix("*."), domain)},
        "certificates": {(c.resource_id, c.key) for c in inv.certificates
                         if any(is_under(n.removeprefix("*."), domain) for n in c.names)},
        "records": {(r.resource_id, r.fqdn) for r in inv.dns_records
                    if is_under(r.fqdn, domain)
                    and not (normalise(r.fqdn) == normalise(r.zone) and r.type.upper() in ("NS", "SOA"))},
        "observed": {(normalise(h.name), normalise(h.target)) for o in inv.dns for h in o.chain
                     if is_under(h.name, domain) or is_under(h.target, domain)},
        "traffic": {s.hostname for s in inv.traffic if is_under(s.hostname, domain)},
    }


def _indexed(graph: Graph, domain: str) -> dict[str, set[tuple[str, str]]]:
    found = dependents_module._custom_domains(graph, domain)
    records = dependents_module._dns_records(graph, domain)
    return {
        "custom domains": {(d.hostname, d.resource_id) for d in found},
        "certificates": {(d.resource_id, d.where.rsplit(" ", 1)[-1])
                         for d in dependents_module._certificates_naming(graph, domain)},
        "records": {(d.resource_id, d.where.split(" record ", 1)[1]) for d in records
                    if is_under(d.where.split(" record ", 1)[1], domain)},
        "observed": {tuple(d.detail.split(" -> ")) for d in dependents_module._observed_cnames(graph, domain)},
        "traffic": {h.hostname for h in traffic_of(graph).hosts_under(domain)},
    }


def test_every_domain_gets_what_a_scan_of_the_inventory_gets(graph: Graph) -> None:
    domains = {p for n in graph.names_by_parent for p in parents(n)}
    assert len(domains) > 20, "the demo knows many names"
    compared = 0
    for domain in sorted(domains):
        scanned = _scanned(graph, domain)
        indexed = _indexed(graph, domain)
        # Observed hops that Azure DNS already explains are left out by design: compare the rest.
        indexed_observed = indexed.pop("observed")
        scanned_observed = scanned.pop("observed")
        assert indexed_observed <= scanned_observed, domain
        explained = {hop for hop in scanned_observed - indexed_observed
                     if any(r.type.upper() == "CNAME" for r in graph.records_by_name.get(hop[0], ()))}
        assert scanned_observed - indexed_observed == explained, domain
        # The certificate labels of non-Key Vault certificates are their names, not keys: by id.
        assert {rid for rid, _ in indexed.pop("certificates")} == {rid for rid, _ in scanned.pop("certificates")}
        assert indexed == scanned, domain
        compared += bool(any(scanned.values()))
    assert compared > 10


def test_a_domain_nothing_uses_has_no_dependents(graph: Graph) -> None:
    assert dependents_of_name(graph, "nothing-here.example") == []
