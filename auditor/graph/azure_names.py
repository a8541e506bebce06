"""Host names Azure hands out to resources: the targets a dangling record can be taken over at."""

from __future__ import annotations

from auditor.cloud import ALL_TAKEOVER_SUFFIXES
from auditor.normalise.hostnames import normalise

# Names anyone can claim again once the resource is deleted (subdomain takeover), in every
# built-in cloud (auditor.cloud); a custom cloud's are passed in as `extra`.
AZURE_PROVIDED_SUFFIXES: tuple[str, ...] = ALL_TAKEOVER_SUFFIXES


_SUFFIXES = frozenset(AZURE_PROVIDED_SUFFIXES)


def azure_provided_suffix(name: str, extra: tuple[str, ...] = ()) -> str | None:
    """The Azure-provided suffix `name` sits under, if any (the name itself must be below it).
    One set look-up per label: dangling-dns asks this of every record and reference."""
    suffixes = _SUFFIXES.union(extra) if extra else _SUFFIXES
    host = normalise(name)
    dot = host.find(".")
    while dot >= 0:
        rest = host[dot + 1:]
        if rest in suffixes:
            return rest
        dot = host.find(".", dot + 1)
    return None


def is_azure_provided(name: str, extra: tuple[str, ...] = ()) -> bool:
    return azure_provided_suffix(name, extra) is not None
