"""Host names Azure hands out to resources: the targets a dangling record can be taken over at."""

from __future__ import annotations

from auditor.cloud import ALL_TAKEOVER_SUFFIXES
from auditor.normalise.hostnames import is_under, normalise

# Names anyone can claim again once the resource is deleted (subdomain takeover), in every
# built-in cloud (auditor.cloud); a custom cloud's are passed in as `extra`.
AZURE_PROVIDED_SUFFIXES: tuple[str, ...] = ALL_TAKEOVER_SUFFIXES


def azure_provided_suffix(name: str, extra: tuple[str, ...] = ()) -> str | None:
    """The Azure-provided suffix `name` sits under, if any (the name itself must be below it)."""
    host = normalise(name)
    for suffix in AZURE_PROVIDED_SUFFIXES + extra:
        if host != suffix and is_under(host, suffix):
            return suffix
    return None


def is_azure_provided(name: str, extra: tuple[str, ...] = ()) -> bool:
    return azure_provided_suffix(name, extra) is not None
