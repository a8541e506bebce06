"""ARM ids and the stable, name-derived values (GUIDs, hashes, addresses) a build emits."""

from __future__ import annotations

import hashlib
import ipaddress


def stable_hex(*parts: str, length: int = 32) -> str:
    return hashlib.sha256("/".join(parts).lower().encode()).hexdigest()[:length]


def stable_guid(*parts: str) -> str:
    h = stable_hex(*parts)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def stable_ip(network: str, *parts: str) -> str:
    """An address inside `network` chosen by the name, the same on every build."""
    net = ipaddress.ip_network(network)
    offset = int(stable_hex(*parts, length=8), 16) % (net.num_addresses - 2) + 1
    return str(net.network_address + offset)


def group_id(subscription: str, resource_group: str) -> str:
    return f"/subscriptions/{subscription}/resourceGroups/{resource_group}"


def resource_id(subscription: str, resource_group: str, provider_type: str, name: str) -> str:
    """`provider_type` like "Microsoft.Web/sites"."""
    return f"{group_id(subscription, resource_group)}/providers/{provider_type}/{name}"
