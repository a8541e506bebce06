"""ARM's name-availability actions for the Azure-provided names a takeover would claim.

"Taken" when a resource of the estate (any subscription) holds the name, or the estate's
`names_taken_elsewhere` lists it (a resource in some other tenant); "available" otherwise.
Paths and bodies follow each provider's REST reference:
- App Service  POST /subscriptions/{s}/providers/Microsoft.Web/checknameavailability
  {"name", "type"} -> {"nameAvailable", "reason", "message"}
  https://learn.microsoft.com/en-us/rest/api/appservice/check-name-availability
- Storage      POST /subscriptions/{s}/providers/Microsoft.Storage/checkNameAvailability
  https://learn.microsoft.com/en-us/rest/api/storagerp/storage-accounts/check-name-availability
- Traffic Manager  POST /providers/Microsoft.Network/checkTrafficManagerNameAvailability (and the
  subscription-scoped ...V2) -> {"name", "type", "nameAvailable", "reason", "message"}
  https://learn.microsoft.com/en-us/rest/api/trafficmanager/profiles/check-traffic-manager-relative-dns-name-availability
- Front Door (classic)  POST [/subscriptions/{s}]/providers/Microsoft.Network/checkFrontDoorNameAvailability
  -> {"nameAvailability": "Available"|"Unavailable", "reason", "message"}
  https://learn.microsoft.com/en-us/rest/api/frontdoorservice/frontdoor/check-front-door-name-availability
- CDN endpoints  POST [/subscriptions/{s}]/providers/Microsoft.Cdn/checkNameAvailability
  {"name", "type": "Microsoft.Cdn/Profiles/Endpoints"} -> {"nameAvailable", "reason", "message"}
  https://learn.microsoft.com/en-us/rest/api/cdn/check-name-availability-with-subscription
- cloudapp DNS labels  GET /subscriptions/{s}/providers/Microsoft.Network/locations/{loc}/
  CheckDnsNameAvailability?domainNameLabel=x -> {"available": bool}
  https://learn.microsoft.com/en-us/rest/api/virtualnetwork/network-management-client/check-dns-name-availability
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from auditor.emulator.http.errors import error_response, json_response

_SUB = r"(?:/subscriptions/[^/]+)?"
_ACTIONS = {
    "web": re.compile(r"/subscriptions/[^/]+/providers/microsoft\.web/checknameavailability"),
    "storage": re.compile(r"/subscriptions/[^/]+/providers/microsoft\.storage/checknameavailability"),
    "trafficmanager": re.compile(_SUB + r"/providers/microsoft\.network/checktrafficmanagernameavailability(?:v2)?"),
    "frontdoor": re.compile(_SUB + r"/providers/microsoft\.network/checkfrontdoornameavailability"),
    "cdn": re.compile(_SUB + r"/providers/microsoft\.cdn/checknameavailability"),
}
_DNS_LABEL = re.compile(r"/subscriptions/[^/]+/providers/microsoft\.network/locations/([^/]+)/checkdnsnameavailability")
# Where ARM objects keep the Azure-provided names they hold.
_HOST_KEYS = {"defaulthostname", "hostname", "fqdn", "enabledhostnames", "hostnames"}


class TakenNames:
    """Every Azure-provided host name the estate's resources hold, plus `names_taken_elsewhere`."""

    def __init__(self, arm: Iterable[Mapping[str, Any]], elsewhere: Iterable[str]) -> None:
        names = {n.strip().rstrip(".").lower() for n in elsewhere}
        for item in arm:
            names |= _held_names(item)
        self._names = frozenset(n for n in names if n)

    def __contains__(self, host: str) -> bool:
        return host.lower() in self._names


async def handle_name_availability(request: web.Request, path: str, taken: TakenNames) -> web.Response | None:
    """The answer when `path` is a name-availability action, else None."""
    lowered = path.lower()
    label = _DNS_LABEL.fullmatch(lowered)
    if label is not None and request.method == "GET":
        wanted = next((v for k, v in request.query.items() if k.lower() == "domainnamelabel"), "")
        if not wanted:
            return error_response("arm", 400, "The domainNameLabel query parameter is required.",
                                  code="InvalidRequestFormat")
        return json_response({"available": f"{wanted.lower()}.{label.group(1)}.cloudapp.azure.com" not in taken})
    action = next((k for k, rx in _ACTIONS.items() if rx.fullmatch(lowered)), None)
    if action is None or request.method != "POST":
        return None
    try:
        body = json.loads(await request.text() or "{}")
    except json.JSONDecodeError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("name"), str) or not body["name"]:
        return error_response("arm", 400, "The request body must name the resource: {\"name\": ..., \"type\": ...}.",
                              code="InvalidRequestContent")
    name, kind = body["name"].lower(), str(body.get("type") or "")
    host = _host_for(action, name, kind)
    free = host not in taken
    if action == "frontdoor":
        return json_response({"nameAvailability": "Available" if free else "Unavailable",
                              "reason": "" if free else "AlreadyExists",
                              "message": "" if free else f"Name {name} is already in use."})
    answer: dict[str, Any] = {"nameAvailable": free}
    if not free:
        answer["reason"] = "AlreadyExists"
        answer["message"] = (f"The storage account named {name} is already taken." if action == "storage"
                             else f"Hostname '{host}' already exists. Please select a different name.")
    if action == "trafficmanager":
        answer = {"name": name, "type": kind or "Microsoft.Network/trafficManagerProfiles", **answer}
    return json_response(answer)


def _host_for(action: str, name: str, kind: str) -> str:
    if action == "web":
        return f"{name}.azurewebsites.net"
    if action == "storage":
        return f"{name}.blob.core.windows.net"
    if action == "trafficmanager":
        return f"{name}.trafficmanager.net"
    if action == "frontdoor" or kind.lower().endswith("afdendpoints"):
        return f"{name}.azurefd.net"
    return f"{name}.azureedge.net"


def _held_names(item: Mapping[str, Any]) -> set[str]:
    """The names one ARM object holds: its host-name properties, and the ones Azure derives from
    its name (an app's NAME.azurewebsites.net, a storage account's NAME.blob.core.windows.net, ...)."""
    out: set[str] = set()
    kind = str(item.get("type") or "").lower()
    name = str(item.get("name") or "").lower()
    props = item.get("properties") if isinstance(item.get("properties"), Mapping) else {}
    assert isinstance(props, Mapping)
    _collect_hosts(props, out, depth=0)
    if kind in ("microsoft.web/sites", "microsoft.web/sites/slots") and name:
        out.add(f"{name.replace('/', '-')}.azurewebsites.net")
    elif kind == "microsoft.storage/storageaccounts" and name:
        out |= {f"{name}.blob.core.windows.net", f"{name}.web.core.windows.net"}
    elif kind == "microsoft.network/frontdoors" and name:
        out.add(f"{name}.azurefd.net")
    elif kind == "microsoft.cdn/profiles/endpoints" and name:
        out.add(f"{name.rsplit('/', 1)[-1]}.azureedge.net")
    elif kind == "microsoft.network/trafficmanagerprofiles":
        relative = (props.get("dnsConfig") or {}).get("relativeName") if isinstance(props.get("dnsConfig"), Mapping) \
            else None
        if relative:
            out.add(f"{str(relative).lower()}.trafficmanager.net")
    elif kind == "microsoft.network/publicipaddresses":
        dns = props.get("dnsSettings") if isinstance(props.get("dnsSettings"), Mapping) else None
        location = str(item.get("location") or "").lower().replace(" ", "")
        if dns and dns.get("domainNameLabel") and location:
            out.add(f"{str(dns['domainNameLabel']).lower()}.{location}.cloudapp.azure.com")
    return out


def _collect_hosts(value: Any, out: set[str], depth: int) -> None:
    if depth > 6:
        return
    if isinstance(value, Mapping):
        for key, inner in value.items():
            if str(key).lower() in _HOST_KEYS:
                for text in inner if isinstance(inner, list) else [inner]:
                    if isinstance(text, str) and text:
                        out.add(_bare(text))
            elif str(key).lower() == "primaryendpoints" and isinstance(inner, Mapping):
                out |= {_bare(v) for v in inner.values() if isinstance(v, str) and v}
            else:
                _collect_hosts(inner, out, depth + 1)
    elif isinstance(value, list):
        for inner in value:
            _collect_hosts(inner, out, depth + 1)


def _bare(text: str) -> str:
    host = urlsplit(text).hostname if "://" in text else text
    return (host or "").strip().rstrip(".").lower()
