"""Host names named in any resource property: the dependents no collector was written for.

The Resource Graph inventory scan hands every row here; each string in `properties`
is read by the grammar of setting values (`auditor.normalise.setting_hosts`) under its
key, and each host becomes a `resource-property` reference whose `where` is the JSON
path (`properties.origins[0].hostName`). Nothing under a secret-bearing key is read
(`secrets[0].value`, an env var `{"name": "DB_PASSWORD", "value": ...}`). Values are not kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from auditor.model.reference import Reference, ReferenceKind
from auditor.normalise.setting_hosts import hosts_in_value, is_secret_key

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
    for where, key, text in _strings(properties, "properties", "properties", 0):
        if _ARM_ID.search(text) or _RESOURCE_TYPE.match(text):
            continue
        for host in hosts_in_value(key, text):
            found.setdefault((host, where), Reference(ReferenceKind.RESOURCE_PROPERTY, host, resource_id, where))
    return list(found.values())


def _strings(value: object, path: str, key: str, depth: int) -> Iterator[tuple[str, str, str]]:
    """(JSON path, the key that names the value, text) of every string not under a secret-bearing key."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, str):
        yield path, key, value
    elif isinstance(value, Mapping):
        # ARM's name/value idiom (env vars, siteConfig.appSettings): the value is named by `name`.
        named = value.get("name") if isinstance(value.get("name"), str) and "value" in value else None
        for child, item in value.items():
            child_key = named if named is not None and child == "value" else str(child)
            if is_secret_key(child_key) and not isinstance(item, str):
                continue                        # `secrets: [...]`, `credentials: {...}`: nothing below is read
            yield from _strings(item, f"{path}.{child}", child_key, depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]", key, depth + 1)
