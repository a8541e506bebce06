"""The estate's ARM objects indexed the way ARM answers: by id, by collection, case-insensitively.

Pure lookups, no HTTP: the handler in arm.py turns their answers into responses.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import Enum
from typing import Any

# Config objects ARM only hands out through their POST .../list action: their values are secrets.
SECRET_CONFIGS = frozenset({"appsettings", "connectionstrings"})
_CONFIG_TYPES = frozenset({"microsoft.web/sites/config", "microsoft.web/sites/slots/config"})
_ZONE_TYPES = ("microsoft.network/dnszones", "microsoft.network/privatednszones")
_SITE_TYPES = frozenset({"microsoft.web/sites", "microsoft.web/sites/slots"})
# The configs every site and slot has, as ARM spells their names.
_SITE_CONFIGS = {"appsettings": "appsettings", "connectionstrings": "connectionstrings", "web": "web",
                 "authsettingsv2": "authsettingsV2"}


class Lookup(Enum):
    FOUND = "found"
    NOT_FOUND = "not-found"
    PARENT_NOT_FOUND = "parent-not-found"
    SUBSCRIPTION_NOT_FOUND = "subscription-not-found"
    RESOURCE_GROUP_NOT_FOUND = "resource-group-not-found"


@dataclass(frozen=True)
class Answer:
    lookup: Lookup
    item: dict[str, Any] | None = None
    items: tuple[dict[str, Any], ...] = ()


def is_secret_config(obj: dict[str, Any]) -> bool:
    return str(obj.get("type", "")).lower() in _CONFIG_TYPES and str(obj.get("name", "")).lower() in SECRET_CONFIGS


def is_config(obj: dict[str, Any]) -> bool:
    return str(obj.get("type", "")).lower() in _CONFIG_TYPES


def _segments(path: str) -> list[str]:
    return [s for s in path.lower().strip("/").split("/") if s]


def _parent(path_lower: str) -> str:
    return path_lower.rstrip("/").rsplit("/", 1)[0]


def _scope(id_lower: str) -> tuple[str | None, str | None]:
    """(subscription, resource group) of an id, lower-case."""
    seg = _segments(id_lower)
    sub = seg[1] if len(seg) > 1 and seg[0] == "subscriptions" else None
    rg = seg[3] if sub and len(seg) > 3 and seg[2] == "resourcegroups" else None
    return sub, rg


def is_collection(path: str) -> bool:
    seg = _segments(path)
    if "providers" in seg:
        at = len(seg) - 1 - seg[::-1].index("providers")
        return len(seg[at + 2:]) % 2 == 1
    return len(seg) % 2 == 1


class ArmIndex:
    def __init__(self, objects: list[dict[str, Any]], subscriptions: list[dict[str, Any]], tenant_id: str) -> None:
        ordered = sorted(objects, key=lambda o: str(o["id"]).lower())
        self.by_id: dict[str, dict[str, Any]] = {}
        self._children: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._by_sub_type: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        self._top_level: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._zone_records: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._groups: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        self._subs = {str(s["subscriptionId"]).lower(): self._subscription(s, tenant_id) for s in subscriptions}
        for obj in ordered:
            self._add(obj)
        for obj in ordered:   # resource groups named only by the ids inside them
            sub, rg = _scope(str(obj["id"]).lower())
            if sub and rg and rg not in self._groups[sub]:
                self._groups[sub][rg] = self._group(obj, sub, rg)

    def _add(self, obj: dict[str, Any]) -> None:
        oid = str(obj["id"]).lower().rstrip("/")
        otype = str(obj["type"]).lower()
        self.by_id[oid] = obj
        sub, rg = _scope(oid)
        if otype == "microsoft.resources/resourcegroups" and sub and rg:
            self._groups[sub][rg] = obj
            return
        self._children[_parent(oid)].append(obj)
        if sub and otype.count("/") == 1:
            self._by_sub_type[(sub, otype)].append(obj)
            self._top_level[sub].append(obj)
        for zone_type in _ZONE_TYPES:
            if otype.startswith(zone_type + "/") and otype.count("/") == 2:
                self._zone_records[_parent(_parent(oid))].append(obj)

    @staticmethod
    def _subscription(sub: dict[str, Any], tenant_id: str) -> dict[str, Any]:
        sid = str(sub["subscriptionId"])
        shaped: dict[str, Any] = {
            "id": f"/subscriptions/{sid}", "authorizationSource": "RoleBased", "subscriptionId": sid,
            "tenantId": tenant_id, "displayName": sub.get("displayName", sid), "state": "Enabled",
            "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01", "quotaId": "PayAsYouGo_2014-09-01",
                                     "spendingLimit": "Off"},
        }
        shaped.update(sub)
        return shaped

    @staticmethod
    def _group(member: dict[str, Any], sub: str, rg: str) -> dict[str, Any]:
        real = str(member["id"]).split("/")   # keeps the resource group's own spelling
        return {"id": "/".join(real[:5]), "name": real[4], "type": "Microsoft.Resources/resourceGroups",
                "location": member.get("location") or "global",
                "properties": {"provisioningState": "Succeeded"}}

    @property
    def subscriptions(self) -> list[dict[str, Any]]:
        return list(self._subs.values())

    def get(self, path: str) -> Answer:
        key = path.lower().rstrip("/")
        seg = _segments(key)
        if len(seg) == 2 and seg[0] == "subscriptions":
            found = self._subs.get(seg[1])
            return Answer(Lookup.FOUND, found) if found else Answer(Lookup.SUBSCRIPTION_NOT_FOUND)
        if len(seg) == 4 and seg[0] == "subscriptions" and seg[2] == "resourcegroups":
            group = self._groups.get(seg[1], {}).get(seg[3])
            return Answer(Lookup.FOUND, group) if group else Answer(Lookup.RESOURCE_GROUP_NOT_FOUND)
        found = self.by_id.get(key)
        return Answer(Lookup.FOUND, found) if found else Answer(Lookup.NOT_FOUND)

    def default_config(self, path: str) -> dict[str, Any] | None:
        """What ARM answers for a config of an existing site or slot that was never set:
        an empty one, not a 404. None when the path is no such config or the site is unknown."""
        site_id, marker, name = path.lower().rstrip("/").rpartition("/config/")
        site = self.by_id.get(site_id) if marker else None
        if site is None or name not in _SITE_CONFIGS or str(site["type"]).lower() not in _SITE_TYPES:
            return None
        real_id = str(site["id"]).rstrip("/")
        return {"id": f"{real_id}/config/{_SITE_CONFIGS[name]}", "name": _SITE_CONFIGS[name],
                "type": f"{site['type']}/config", "location": site.get("location"), "properties": {}}

    def list(self, path: str) -> Answer:
        key = path.lower().rstrip("/")
        seg = _segments(key)
        if seg == ["subscriptions"]:
            return Answer(Lookup.FOUND, items=tuple(self.subscriptions))
        sub = seg[1] if len(seg) > 1 and seg[0] == "subscriptions" else None
        if sub is not None and sub not in self._subs:
            return Answer(Lookup.SUBSCRIPTION_NOT_FOUND)
        if sub is not None and seg[2:] == ["resourcegroups"]:
            return Answer(Lookup.FOUND, items=tuple(self._groups.get(sub, {}).values()))
        if sub is not None and seg[2:] == ["resources"]:
            return Answer(Lookup.FOUND, items=tuple(self._top_level.get(sub, [])))
        if sub is not None and len(seg) >= 4 and seg[2] == "resourcegroups" and seg[3] not in self._groups[sub]:
            return Answer(Lookup.RESOURCE_GROUP_NOT_FOUND)
        if sub is not None and len(seg) == 6 and seg[4:] == ["resources"] and seg[2] == "resourcegroups":
            return Answer(Lookup.FOUND, items=tuple(o for o in self._top_level.get(sub, [])
                                                    if _scope(str(o["id"]).lower())[1] == seg[3]))
        if sub is not None and len(seg) == 5 and seg[2] == "providers":
            return Answer(Lookup.FOUND, items=tuple(self._by_sub_type.get((sub, f"{seg[3]}/{seg[4]}"), [])))
        parent = _parent(key)
        parent_seg = _segments(parent)
        if len(parent_seg) >= 2 and parent_seg[-2] == "providers":
            items = self._children.get(key, [])   # a resource group's collection of one type
        elif parent not in self.by_id:
            return Answer(Lookup.PARENT_NOT_FOUND)
        elif seg[-1] in ("recordsets", "all") and str(self.by_id[parent]["type"]).lower() in _ZONE_TYPES:
            items = self._zone_records.get(parent, [])
        else:
            items = self._children.get(key, [])
        return Answer(Lookup.FOUND, items=tuple(o for o in items if not is_secret_config(o)))
