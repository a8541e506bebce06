"""Traffic Manager profiles (Microsoft.Network/trafficManagerProfiles), endpoints embedded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditor.model import Reference, ReferenceKind
from auditor.normalise.service_helpers import Extract, host, items, obj, resource_of, text


def traffic_manager(profile: Mapping[str, Any]) -> Extract:
    props = obj(profile, "properties")
    fqdn = host(text(props, "dnsConfig", "fqdn"))
    refs: list[Reference] = []
    for i, endpoint in enumerate(items(props, "endpoints")):
        if not isinstance(endpoint, Mapping):
            continue
        target = host(text(endpoint, "properties", "target"))
        if target is None:
            continue
        kind = str(endpoint.get("type") or "").rsplit("/", 1)[-1]
        refs.append(Reference(
            kind=ReferenceKind.TRAFFIC_MANAGER_ENDPOINT, hostname=target,
            resource_id=str(endpoint.get("id") or profile.get("id") or ""),
            where=f"properties.endpoints[{i}].properties.target",
            detail=f"{kind} {endpoint.get('name')!s} ({text(endpoint, 'properties', 'endpointStatus') or 'status unknown'})",
        ))
    return Extract(resources=(resource_of(profile, default_hostnames=(fqdn,) if fqdn else ()),),
                   references=tuple(refs))
