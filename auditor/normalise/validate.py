"""Validation at the boundary: an ARM or Key Vault object whose fields have the wrong type,
or a value that does not parse, is refused whole, naming the object and the field.

The normalisers are tolerant by design (a missing field is "unknown"); a field that is
*present but wrong* is different: reading around it would build findings from half-parsed
data (a site whose `properties` is a string looks like a site with no host names, and its
DNS then looks dangling). The caller turns the ValueError into a `malformed` gap.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from auditor.normalise.timestamps import parse_time

Check = Callable[[Any], str | None]   # None: fine; else what is wrong


def _object(value: Any) -> str | None:
    return None if isinstance(value, Mapping) else "must be an object"


def _string(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be a string"


# A null entry in a list is a hole ARM leaves (read as absent); a number or an object where
# a string belongs is no such thing.
def _strings(value: Any) -> str | None:
    if not isinstance(value, list) or not all(v is None or isinstance(v, str) for v in value):
        return "must be a list of strings"
    return None


def _objects(value: Any) -> str | None:
    if not isinstance(value, list) or not all(v is None or isinstance(v, Mapping) for v in value):
        return "must be a list of objects"
    return None


def _time(value: Any) -> str | None:
    if isinstance(value, float) and not math.isfinite(value):
        return "must be a timestamp"
    try:
        parsed = parse_time(value)
    except (ValueError, OverflowError, OSError):
        return "must be a timestamp"
    if parsed is not None and not 1970 <= parsed.year <= 9999:
        return "must be a timestamp between 1970 and 9999"
    return None


_SITE = (("properties.hostNames", _strings), ("properties.defaultHostName", _string),
         ("properties.enabledHostNames", _strings), ("properties.hostNameSslStates", _objects))
_HOST = (("properties.hostName", _string),)

# Lower-case ARM type -> (dotted path, check) for the fields the normalisers read.
ARM_FIELDS: dict[str, tuple[tuple[str, Check], ...]] = {
    "microsoft.web/sites": _SITE,
    "microsoft.web/sites/slots": _SITE,
    "microsoft.web/certificates": (("properties.expirationDate", _time), ("properties.issueDate", _time),
                                   ("properties.thumbprint", _string), ("properties.hostNames", _strings)),
    "microsoft.web/sites/hostnamebindings": (("properties.thumbprint", _string),),
    "microsoft.cdn/profiles/customdomains": _HOST,
    "microsoft.cdn/profiles/afdendpoints": _HOST,
    "microsoft.cdn/profiles/endpoints": _HOST,
    "microsoft.cdn/profiles/endpoints/customdomains": _HOST,
    "microsoft.cdn/profiles/secrets": (("properties.parameters", _object),),
}

KEYVAULT_FIELDS: tuple[tuple[str, Check], ...] = (
    ("attributes", _object), ("attributes.exp", _time), ("attributes.nbf", _time),
    ("attributes.created", _time), ("attributes.updated", _time), ("cer", _string), ("x5t", _string),
    ("policy", _object),
)


def check_arm_object(obj: Mapping[str, Any], rtype: str | None = None) -> None:
    """Raises ValueError naming the object and field when a field the audit reads is wrong."""
    kind = (rtype or str(obj.get("type") or "")).lower()
    where = str(obj.get("id") or obj.get("name") or "(no id)")
    props = obj.get("properties")
    if props is not None and not isinstance(props, Mapping):
        raise ValueError(f"{where}: properties must be an object, not {_show(props)}")
    _check_fields(obj, ARM_FIELDS.get(kind, ()), where)


def type_from_id(resource_id: str) -> str | None:
    """`/subscriptions/../providers/Microsoft.Cdn/profiles/p/customDomains/d` ->
    `Microsoft.Cdn/profiles/customDomains`, spelled as the id spells it (the last provider's)."""
    seg = [s for s in resource_id.split("/") if s]
    lowered = [s.lower() for s in seg]
    if "providers" not in lowered:
        return None
    at = len(lowered) - 1 - lowered[::-1].index("providers")
    namespace, rest = seg[at + 1:at + 2], seg[at + 2:]
    types = rest[0::2]
    return "/".join(namespace + types) if namespace and types else None


def check_keyvault_item(item: Mapping[str, Any], where: str) -> None:
    _check_fields(item, KEYVAULT_FIELDS, where)


def _check_fields(obj: Mapping[str, Any], fields: Sequence[tuple[str, Check]], where: str) -> None:
    for path, check in fields:
        value = _at(obj, path)
        if value is None:
            continue     # absent or null: the normalisers treat it as unknown
        problem = check(value)
        if problem is not None:
            raise ValueError(f"{where}: {path} {problem}, not {_show(value)}")


def _at(obj: Mapping[str, Any], path: str) -> Any:
    value: Any = obj
    for key in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
