"""Azure DNS zones (Microsoft.Network/dnszones) and their record sets -> DnsRecord."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from auditor.model import DnsRecord
from auditor.normalise.hostnames import normalise
from auditor.normalise.service_helpers import Extract, lower_keys, obj, ref_id, resource_of, text

# record type -> (properties key, lower-case; how to print one entry)
_VALUES: dict[str, tuple[str, Callable[[Mapping[str, Any]], str]]] = {
    "A": ("arecords", lambda r: str(r.get("ipv4Address") or "")),
    "AAAA": ("aaaarecords", lambda r: str(r.get("ipv6Address") or "")),
    "NS": ("nsrecords", lambda r: normalise(str(r.get("nsdname") or ""))),
    "PTR": ("ptrrecords", lambda r: normalise(str(r.get("ptrdname") or ""))),
    "MX": ("mxrecords", lambda r: f"{r.get('preference')} {normalise(str(r.get('exchange') or ''))}"),
    "SRV": ("srvrecords", lambda r: f"{r.get('priority')} {r.get('weight')} {r.get('port')} "
                                    f"{normalise(str(r.get('target') or ''))}"),
    "TXT": ("txtrecords", lambda r: "".join(str(v) for v in (r.get("value") or []))),
    "CAA": ("caarecords", lambda r: f'{r.get("flags")} {r.get("tag")} "{r.get("value")}"'),
}


def zone_name(zone: Mapping[str, Any]) -> str:
    return normalise(str(zone.get("name") or ""))


def dns_zone(zone: Mapping[str, Any], record_sets: Sequence[Mapping[str, Any]]) -> Extract:
    name = zone_name(zone)
    return Extract(resources=(resource_of(zone),),
                   dns_records=tuple(r for r in (dns_record(name, s) for s in record_sets) if r is not None))


def dns_record(zone: str, record_set: Mapping[str, Any]) -> DnsRecord | None:
    """One record set; None for SOA and types the audit has no use for."""
    rtype = str(record_set.get("type") or "").rsplit("/", 1)[-1].upper()
    props = lower_keys(obj(record_set, "properties"))
    if rtype == "CNAME":
        cname = text(props, "cnamerecord", "cname")
        values: tuple[str, ...] = (normalise(cname),) if cname else ()
    elif rtype in _VALUES:
        key, show = _VALUES[rtype]
        entries = props.get(key) or []
        values = tuple(show(e) for e in entries if isinstance(e, Mapping))
    else:
        return None
    return DnsRecord(
        zone=zone,
        fqdn=record_fqdn(zone, record_set),
        type=rtype,
        values=values,
        resource_id=str(record_set.get("id") or ""),
        target_resource_id=ref_id(props, "targetresource"),
    )


def record_fqdn(zone: str, record_set: Mapping[str, Any]) -> str:
    given = text(lower_keys(obj(record_set, "properties")), "fqdn")
    if given:
        return normalise(given)
    relative = normalise(str(record_set.get("name") or "@"))
    return zone if relative in ("@", "") else f"{relative}.{zone}"
