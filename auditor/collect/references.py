"""Host names named in any resource property: the dependents no collector was written for.

The Resource Graph inventory scan hands every row here; each string in `properties`
is scanned for host names and each one becomes a `resource-property` reference whose
`where` is the JSON path (`properties.origins[0].hostName`). Values are not kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from auditor.model.reference import Reference, ReferenceKind
from auditor.normalise.hostnames import hostnames_in

# ARM ids, resource types and OData type discriminators look like host names to a scanner
# ("Microsoft.Web/sites", "#Microsoft.Azure.FrontDoor.Models.FrontdoorForwardingConfiguration").
_ARM_ID = re.compile(r"^/subscriptions/|/providers/", re.IGNORECASE)
_RESOURCE_TYPE = re.compile(r"^(#Microsoft\.|Microsoft\.[A-Za-z]+(/|$))", re.IGNORECASE)
_MAX_DEPTH = 32


def property_references(row: Mapping[str, Any]) -> list[Reference]:
    resource_id = row.get("id")
    properties = row.get("properties")
    if not isinstance(resource_id, str) or not isinstance(properties, Mapping | list):
        return []
    found: dict[tuple[str, str], Reference] = {}
    for where, text in _strings(properties, "properties", 0):
        if _ARM_ID.search(text) or _RESOURCE_TYPE.match(text):
            continue
        for host in hostnames_in(text):
            found.setdefault((host, where), Reference(ReferenceKind.RESOURCE_PROPERTY, host, resource_id, where))
    return list(found.values())


def _strings(value: object, path: str, depth: int) -> Iterator[tuple[str, str]]:
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}", depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]", depth + 1)
