"""The retired tag: how a DNS zone, custom domain or certificate is declared retired."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from auditor.model import CustomDomain, Resource
from auditor.normalise.hostnames import normalise

_FALSY = {"", "false", "no", "n", "0", "off"}
DNS_ZONE_TYPE = "microsoft.network/dnszones"


def has_retired_tag(tags: Mapping[str, str], tag: str) -> bool:
    """Azure tag names are case-insensitive; any value but an explicit no counts."""
    for key, value in tags.items():
        if key.lower() == tag.lower():
            return str(value).strip().lower() not in _FALSY
    return False


def tagged_retired_names(resources: Iterable[Resource], domains: Iterable[CustomDomain], tag: str) -> list[str]:
    """Names declared retired by the tag on a DNS zone or a custom domain."""
    names = [normalise(r.name) for r in resources if r.type.lower() == DNS_ZONE_TYPE and has_retired_tag(r.tags, tag)]
    names += [normalise(d.hostname).removeprefix("*.") for d in domains if has_retired_tag(d.tags, tag)]
    return names
