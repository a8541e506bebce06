"""Read the named parts of an ARM id without importing the Azure SDK (the graph may not)."""

from __future__ import annotations


def id_parts(resource_id: str) -> dict[str, str]:
    """`/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app/slots/stage` ->
    {"subscriptions": "s", "resourcegroups": "rg", "sites": "app", "slots": "stage", "name": "stage"}.

    Keys are lower-case segment types; values keep their spelling; `name` is the last name.
    """
    segments = [s for s in resource_id.strip().split("/") if s]
    parts: dict[str, str] = {}
    i = 0
    while i + 1 < len(segments):
        key = segments[i].lower()
        if key == "providers":
            i += 2           # skip the namespace, e.g. Microsoft.Web
            continue
        parts[key] = segments[i + 1]
        parts["name"] = segments[i + 1]
        i += 2
    return parts


def resource_group(resource_id: str) -> str:
    return id_parts(resource_id).get("resourcegroups", "<resource-group>")


def part(resource_id: str, key: str, default: str = "<name>") -> str:
    return id_parts(resource_id).get(key.lower(), default)
