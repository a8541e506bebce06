"""DNS: the zones a build knows, as Azure DNS record sets (ARM) and as master files.

Zones declared `azure` appear in both; external zones and the Azure-provided zones
(azurewebsites.net, azurefd.net, ...) only in dns/<zone>.zone. A name nobody added to a
provided zone answers NXDOMAIN: that is how a deleted app or storage account looks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import dns.exception
import dns.zone

from auditor.errors import EstateError
from auditor.estate.builder.context import BuildContext
from auditor.estate.builder.ids import resource_id, stable_guid

PROVIDED_ZONES = (
    "azurewebsites.net", "azurefd.net", "azureedge.net", "trafficmanager.net",
    "blob.core.windows.net", "web.core.windows.net", "cloudapp.azure.com",
    "azurestaticapps.net", "azure-api.net", "azurecontainerapps.io",
)
NAME_SERVERS = ("ns1-01.azure-dns.com", "ns2-01.azure-dns.net", "ns3-01.azure-dns.org", "ns4-01.azure-dns.info")
SOA_EMAIL = "azuredns-hostmaster.microsoft.com"
_TOKEN = re.compile(r"\{((?:site|endpoint):[^}]+)\}")
_SUPPORTED = {"A", "AAAA", "CNAME", "TXT", "CAA", "MX", "NS", "SRV", "PTR"}


@dataclass
class ZoneData:
    name: str
    azure: bool
    subscription: str = ""
    resource_group: str = ""
    # (fqdn, TYPE) -> (values, ttl), in insertion order
    records: dict[tuple[str, str], tuple[list[str], int]] = field(default_factory=dict)
    declared: set[str] = field(default_factory=set)    # names the description set explicitly
    axfr: bool = False


class DnsBook:
    def __init__(self, ctx: BuildContext) -> None:
        self.zones: dict[str, ZoneData] = {z: ZoneData(z, azure=False) for z in PROVIDED_ZONES}
        for zone in ctx.spec.zones:
            name = zone.name.lower().rstrip(".")
            where = f"zone {zone.name}"
            if name in self.zones and self.zones[name].records:
                raise EstateError(f"{where}: declared twice")
            data = self.zones.setdefault(name, ZoneData(name, azure=zone.azure))
            if zone.azure and name in PROVIDED_ZONES:
                raise EstateError(f"{where}: an Azure-provided zone cannot be an Azure DNS zone")
            data.azure = zone.azure
            data.axfr = zone.axfr
            data.subscription = ctx.subscription(zone.subscription, where)
            data.resource_group = zone.resource_group
            for record in zone.records:
                fqdn = _fqdn(record.name, name)
                rtype = record.type.upper()
                if rtype not in _SUPPORTED:
                    raise EstateError(f"{where}: record type {record.type!r} is not supported")
                data.declared.add(fqdn)
                values, _ = data.records.setdefault((fqdn, rtype), ([], record.ttl))
                values.extend(record.values)

    def zone_of(self, fqdn: str) -> ZoneData | None:
        labels = fqdn.lower().rstrip(".").split(".")
        for i in range(len(labels)):
            zone = self.zones.get(".".join(labels[i:]))
            if zone is not None:
                return zone
        return None

    def add(self, fqdn: str, rtype: str, value: str, ttl: int = 3600) -> None:
        """A record the build derives (a binding's CNAME, a default host name's address).
        Names the description set itself, and names outside every known zone, are left alone."""
        fqdn = fqdn.lower().rstrip(".")
        zone = self.zone_of(fqdn)
        if zone is None or fqdn in zone.declared:
            return
        if any(name == fqdn and (t == "CNAME") != (rtype == "CNAME") for name, t in zone.records):
            return
        values, _ = zone.records.setdefault((fqdn, rtype), ([], ttl))
        if value not in values and not (rtype == "CNAME" and values):
            values.append(value)

    def write(self, ctx: BuildContext) -> None:
        for zone in sorted(self.zones.values(), key=lambda z: z.name):
            for key, (values, ttl) in zone.records.items():
                zone.records[key] = ([_resolve(ctx, v, zone.name) for v in values], ttl)
            text = zone_file(zone)
            try:
                dns.zone.from_text(text, origin=zone.name + ".", relativize=False)
            except dns.exception.DNSException as exc:
                raise EstateError(f"zone {zone.name}: invalid record: {exc}") from None
            ctx.files[f"dns/{zone.name}.zone"] = text
            if zone.axfr:
                ctx.files[f"dns/{zone.name}.json"] = '{"axfr": true}\n'
            if zone.azure:
                ctx.add_arm(f"{zone.subscription}/{zone.resource_group}/dnszone-{zone.name}.json",
                            *arm_objects(zone))


def _resolve(ctx: BuildContext, value: str, zone: str) -> str:
    """Record data may name a generated host: {site:NAME}, {endpoint:PROFILE/ENDPOINT}."""
    def lookup(match: re.Match[str]) -> str:
        host = ctx.generated_hosts.get(match.group(1).lower())
        if host is None:
            raise EstateError(f"zone {zone}: {match.group(0)} names no site or Front Door endpoint")
        return host
    return _TOKEN.sub(lookup, value)


def _fqdn(name: str, zone: str) -> str:
    name = name.lower().rstrip(".")
    if name in ("@", "", zone):
        return zone
    return name if name.endswith("." + zone) else f"{name}.{zone}"


def _relative(fqdn: str, zone: str) -> str:
    return "@" if fqdn == zone else fqdn[: -len(zone) - 1]


def _dotted(host: str) -> str:
    return host.rstrip(".") + "."


def _quoted(text: str) -> str:
    return text if text.startswith('"') else '"' + text.replace('"', '\\"') + '"'


def _rdata(rtype: str, value: str) -> str:
    if rtype in ("CNAME", "NS", "PTR"):
        return _dotted(value)
    if rtype == "MX":
        pref, exchange = value.split(None, 1)
        return f"{pref} {_dotted(exchange)}"
    if rtype == "TXT":
        return _quoted(value)
    if rtype == "CAA":
        flags, tag, text = value.split(None, 2)
        return f"{flags} {tag} {_quoted(text)}"
    return value


def zone_file(zone: ZoneData) -> str:
    lines = [f"$ORIGIN {zone.name}.", "$TTL 3600",
             f"@ 3600 IN SOA {_dotted(NAME_SERVERS[0])} {_dotted(SOA_EMAIL)} 1 3600 300 2419200 300"]
    lines += [f"@ 172800 IN NS {_dotted(ns)}" for ns in NAME_SERVERS]
    for (fqdn, rtype), (values, ttl) in zone.records.items():
        owner = _relative(fqdn, zone.name)
        lines += [f"{owner} {ttl} IN {rtype} {_rdata(rtype, v)}" for v in values]
    return "\n".join(lines) + "\n"


def _arm_values(rtype: str, values: list[str]) -> dict[str, Any]:
    if rtype == "A":
        return {"ARecords": [{"ipv4Address": v} for v in values]}
    if rtype == "AAAA":
        return {"AAAARecords": [{"ipv6Address": v} for v in values]}
    if rtype == "CNAME":
        return {"CNAMERecord": {"cname": values[0].rstrip(".")}}
    if rtype == "TXT":
        return {"TXTRecords": [{"value": [v.strip('"')]} for v in values]}
    if rtype == "CAA":
        caa = [v.split(None, 2) for v in values]
        return {"CAARecords": [{"flags": int(f), "tag": t, "value": x.strip('"')} for f, t, x in caa]}
    if rtype == "MX":
        mx = [v.split(None, 1) for v in values]
        return {"MXRecords": [{"preference": int(p), "exchange": e.rstrip(".")} for p, e in mx]}
    if rtype == "NS":
        return {"NSRecords": [{"nsdname": v.rstrip(".") + "."} for v in values]}
    if rtype == "PTR":
        return {"PTRRecords": [{"ptrdname": v.rstrip(".")} for v in values]}
    srv = [v.split() for v in values]
    return {"SRVRecords": [{"priority": int(p), "weight": int(w), "port": int(o), "target": t.rstrip(".")}
                           for p, w, o, t in srv]}


def _record_set(zone: ZoneData, zone_id: str, owner: str, rtype: str, ttl: int,
                values: dict[str, Any]) -> dict[str, Any]:
    fqdn = zone.name if owner == "@" else f"{owner}.{zone.name}"
    return {
        "id": f"{zone_id}/{rtype}/{owner}",
        "etag": stable_guid(zone.name, owner, rtype),
        "name": owner,
        "type": f"Microsoft.Network/dnszones/{rtype}",
        "properties": {"metadata": {}, "TTL": ttl, "fqdn": fqdn, "provisioningState": "Succeeded",
                       **values},
    }


def arm_objects(zone: ZoneData) -> list[dict[str, Any]]:
    zone_id = resource_id(zone.subscription, zone.resource_group, "Microsoft.Network/dnszones", zone.name)
    objects: list[dict[str, Any]] = [{
        "id": zone_id,
        "name": zone.name,
        "type": "Microsoft.Network/dnszones",
        "location": "global",
        "etag": stable_guid(zone.name),
        "tags": {},
        "properties": {"maxNumberOfRecordSets": 10000, "numberOfRecordSets": len(zone.records) + 2,
                       "nameServers": [ns + "." for ns in NAME_SERVERS], "zoneType": "Public"},
    }]
    objects.append(_record_set(zone, zone_id, "@", "SOA", 3600, {"SOARecord": {
        "host": NAME_SERVERS[0] + ".", "email": SOA_EMAIL + ".", "serialNumber": 1, "refreshTime": 3600,
        "retryTime": 300, "expireTime": 2419200, "minimumTTL": 300}}))
    objects.append(_record_set(zone, zone_id, "@", "NS", 172800, _arm_values("NS", list(NAME_SERVERS))))
    for (fqdn, rtype), (values, ttl) in zone.records.items():
        objects.append(_record_set(zone, zone_id, _relative(fqdn, zone.name), rtype, ttl,
                                   _arm_values(rtype, values)))
    return objects
