"""The inventory query: every resource in scope, projected per type to what the audit reads,
the collectors' rows first.

Most resources of a large estate are disks, NICs, VNets and NSGs, and their `properties`
(security rules, subnets, IP configurations) are most of Resource Graph's answer. Nothing
the audit reads is in them: no collector asks for these types, they own no Azure-provided
host name, carry no TLS setting, and their properties name no host a certificate, a DNS
record or a decommission could depend on. Their rows come without `properties`, so a page
of them is a fraction of the bytes (Resource Graph's 16 MiB answer limit, the client's parse).
Every other type keeps its properties: the collectors parse theirs, and the host-name
reference scan (references.py) reads all others for the dependents no collector was written for.
"""

from __future__ import annotations

from collections.abc import Iterable

# Types whose properties hold no host name, each with where one might have looked.
# A type here must never be one the collectors, the name owners or the traffic stage read
# (tests/collect/test_arg_query.py holds the two lists apart).
PROPERTYLESS_TYPES: dict[str, str] = {
    "microsoft.compute/disks": "sizes, encryption and creationData (an import's sourceUri is history, not a "
                               "dependency)",
    "microsoft.compute/snapshots": "as disks",
    "microsoft.compute/availabilitysets": "fault and update domains, member VM ids",
    "microsoft.compute/proximityplacementgroups": "member ids",
    "microsoft.network/networkinterfaces": "IP configurations, DNS server IPs, the internal.cloudapp.net suffix "
                                           "(a private endpoint's FQDNs are read from the endpoint itself)",
    "microsoft.network/networksecuritygroups": "security rules: prefixes, ports and service tags",
    "microsoft.network/virtualnetworks": "address spaces, subnets, peerings by id, DNS server IPs",
    "microsoft.network/routetables": "routes: prefixes and next-hop IPs",
    "microsoft.network/networkwatchers": "provisioning state only",
    "microsoft.managedidentity/userassignedidentities": "tenant, principal and client ids",
}

_HIDDEN_CHILDREN = ("microsoft.web/sites/config", "microsoft.web/sites/slots/config")


def _kql_list(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


SCAN_ORDER = "scanOrder"     # 0: a row of a type the collectors read; 1: every other row


def inventory_query(first: Iterable[str] = ()) -> str:
    """Every resource in scope. With `first` (the collectors' types), their rows come before all
    others (column `scanOrder` 0, then 1), so the collectors can start while the rest is paged."""
    order = " | order by id asc"
    extra = ""
    first = sorted({t.lower() for t in first})
    if first:
        extra = f", {SCAN_ORDER} = iff(type in~ ({_kql_list(first)}), 0, 1)"
        order = f" | order by {SCAN_ORDER} asc, id asc"
    # App Service config objects are not Resource Graph resources; an estate may hold them.
    return ("Resources"
            f" | where type !in~ ({_kql_list(_HIDDEN_CHILDREN)})"
            " | project id, name, type, ['kind'], sku, location, subscriptionId, tags,"
            f" properties = iff(type in~ ({_kql_list(sorted(PROPERTYLESS_TYPES))}), dynamic(null), properties)"
            f"{extra}{order}")


INVENTORY_QUERY = inventory_query()
