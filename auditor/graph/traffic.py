"""Live traffic beside the configuration: which names of a target still receive requests.

Built once per graph from the inventory's traffic summaries. A name is "idle" only when a
resource that serves it had its access log read completely and logged no request for it;
otherwise the logs cannot tell, and nothing is said.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cached_property

from auditor.graph.graph import Graph
from auditor.model import Dependent, Inventory, ReferenceKind, TrafficSummary
from auditor.model.report import iso
from auditor.normalise.hostnames import normalise, parents

LIVE_TRAFFIC = "live-traffic"
_CHILD_MARKERS = ("/customdomains/", "/hostnamebindings/", "/frontendendpoints/")


@dataclass(frozen=True)
class HostTraffic:
    hostname: str
    requests: int
    clients: int
    last_seen: str            # ISO timestamp, "" when unknown
    summaries: tuple[TrafficSummary, ...]


class TrafficIndex:
    def __init__(self, inventory: Inventory) -> None:
        self.window_days = inventory.traffic_window_days
        self._by_host: dict[str, list[TrafficSummary]] = defaultdict(list)
        for summary in inventory.traffic:
            self._by_host[summary.hostname].append(summary)
        self._logged = {r.lower() for r in inventory.logged_resources}
        self._servers: dict[str, set[str]] = defaultdict(set)
        for domain in inventory.custom_domains:
            for rid in (domain.serving_resource_id, domain.resource_id):
                if rid:
                    self._servers[normalise(domain.hostname)].add(_owner(rid))
        for binding in inventory.bindings:
            self._servers[normalise(binding.hostname)].add(_owner(binding.resource_id))
        for ref in inventory.references:
            if ref.kind is ReferenceKind.GATEWAY_LISTENER:
                self._servers[normalise(ref.hostname)].add(_owner(ref.resource_id))

    @property
    def consulted(self) -> bool:
        return self.window_days > 0

    def hosts_under(self, domain: str) -> list[HostTraffic]:
        return [self.of(h) for h in sorted(self._by_parent.get(normalise(domain), ()))]

    @cached_property
    def _by_parent(self) -> dict[str, set[str]]:
        """Domain -> the logged hosts under it: one pass, however many domains are asked about."""
        under: dict[str, set[str]] = defaultdict(set)
        for host in self._by_host:
            for parent in parents(host):
                under[parent].add(host)
        return under

    def of(self, host: str) -> HostTraffic:
        summaries = tuple(self._by_host.get(host, ()))
        last = max((s.last_seen for s in summaries if s.last_seen is not None), default=None)
        return HostTraffic(host, sum(s.requests for s in summaries), sum(s.clients for s in summaries),
                           iso(last) if last else "", summaries)

    def note(self, host: str) -> str:
        """"1,204 requests in 7 d", "no requests in 7 d", or "" where the logs cannot tell."""
        if not self.consulted or not host:
            return ""
        seen = self.of(host)
        if seen.requests:
            return f"{seen.requests:,} requests in {self.window_days} d"
        if self._servers.get(host, set()) & self._logged:
            return f"no requests in {self.window_days} d"
        return ""


_INDEXES: weakref.WeakKeyDictionary[Graph, TrafficIndex] = weakref.WeakKeyDictionary()


def traffic_of(graph: Graph) -> TrafficIndex:
    index = _INDEXES.get(graph)
    if index is None:
        index = _INDEXES[graph] = TrafficIndex(graph.inventory)
    return index


def with_traffic(graph: Graph, domain: str, dependents: list[Dependent]) -> list[Dependent]:
    """Each dependent marked live or idle, plus one `live-traffic` dependent per name and
    logging resource with requests in the window (names no configuration holds included)."""
    index = traffic_of(graph)
    if not index.consulted:
        return dependents
    out = [replace(d, traffic=index.note(d.hostname)) if d.hostname else d for d in dependents]
    for host in index.hosts_under(domain):
        for summary in host.summaries:
            out.append(live_traffic_dependent(summary, index.window_days))
    return out


def live_traffic_dependent(summary: TrafficSummary, window_days: int) -> Dependent:
    last = f", last {iso(summary.last_seen)}" if summary.last_seen else ""
    statuses = f"; statuses {', '.join(summary.statuses)}" if summary.statuses else ""
    paths = f"; paths {', '.join(summary.paths)}" if summary.paths else ""
    workspace = summary.workspace.rstrip("/").rsplit("/", 1)[-1]
    return Dependent(
        kind=LIVE_TRAFFIC, hostname=summary.hostname, resource_id=summary.resource_id,
        where=f"{summary.table} in Log Analytics workspace {workspace}",
        detail=(f"{summary.requests:,} requests from {summary.clients:,} clients in {window_days} d"
                f"{last}{statuses}{paths}"),
        remove=(f"Find the clients still calling {summary.hostname} through {summary.resource_id} "
                f"(the workspace's {summary.table} rows name them) and move them before retiring it"),
        traffic=f"{summary.requests:,} requests in {window_days} d",
    )


def _owner(resource_id: str) -> str:
    lowered = resource_id.lower()
    for marker in _CHILD_MARKERS:
        if marker in lowered:
            return lowered.split(marker, 1)[0]
    return lowered
