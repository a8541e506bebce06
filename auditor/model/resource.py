"""The minimal facts about every resource in scope, for rules that ask "does it exist"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Resource:
    id: str                 # as ARM spells it; compare lower-cased
    type: str               # lower-case
    name: str
    subscription_id: str
    location: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    # Host names this resource answers to by default (defaultHostName, endpoint hostName,
    # dnsConfig.fqdn, primaryEndpoints...), lower-case: used to tell dangling DNS.
    default_hostnames: tuple[str, ...] = ()
    min_tls_version: str | None = None
    # Why the public internet cannot reach it (App Service publicNetworkAccess, access
    # restrictions); None when it can or it is not known.
    public_access_block: str | None = None
