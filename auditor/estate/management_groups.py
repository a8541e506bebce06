"""estate.json's `management_groups`: the tenant's management-group hierarchy.

    "management_groups": [{"name": "mg-platform", "displayName": "Platform",
                           "parent": "mg-corp", "subscriptions": ["<id>", ...],
                           "access": "none"}]

As in Azure, the tenant root group is named by the tenant id and holds every group without a
parent and every subscription no group names (new subscriptions land in the root group).
`"access": "none"`: the audit identity may not read the group (no Microsoft.Management/
managementGroups/read there). The root group is readable.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from auditor.errors import EstateError


@dataclass(frozen=True)
class Member:
    """One descendant: a group or a subscription, and the group it sits in."""

    kind: str          # "group" | "subscription"
    name: str          # the group's name or the subscription id
    display_name: str
    parent: str        # the parent group's name


class ManagementGroups:
    def __init__(self, tenant_id: str, groups: list[dict[str, Any]], subscriptions: list[dict[str, Any]]) -> None:
        self.root = tenant_id
        self._display = {tenant_id.lower(): "Tenant Root Group"}
        self._readable = {tenant_id.lower(): True}
        self._children: dict[str, list[Member]] = {tenant_id.lower(): []}
        names = {tenant_id.lower(): tenant_id}
        titles = {str(s["subscriptionId"]).lower(): str(s.get("displayName") or s["subscriptionId"])
                  for s in subscriptions}
        placed: set[str] = set()
        for group in groups:
            names[str(group["name"]).lower()] = str(group["name"])
        for group in groups:
            name = str(group["name"])
            parent = names.get(str(group.get("parent") or tenant_id).lower())
            if parent is None:
                raise EstateError(f"management group {name}: parent {group.get('parent')} is not declared")
            self._display[name.lower()] = str(group.get("displayName") or name)
            self._readable[name.lower()] = group.get("access") != "none"
            self._children.setdefault(name.lower(), [])
            self._children.setdefault(parent.lower(), []).append(
                Member("group", name, self._display[name.lower()], parent))
            for sub in group.get("subscriptions") or ():
                placed.add(str(sub).lower())
                title = titles.get(str(sub).lower(), str(sub))
                self._children[name.lower()].append(Member("subscription", str(sub), title, name))
        for sub in subscriptions:
            sid = str(sub["subscriptionId"])
            if sid.lower() not in placed:
                self._children[tenant_id.lower()].append(Member("subscription", sid, titles[sid.lower()], tenant_id))
        self._check_acyclic()

    def exists(self, name: str) -> bool:
        return name.lower() in self._children

    def readable(self, name: str) -> bool:
        return self._readable.get(name.lower(), False)

    def descendants(self, name: str) -> list[Member]:
        """Every group and subscription below `name`, parents before children."""
        out: list[Member] = []
        stack = list(reversed(self._children.get(name.lower(), [])))
        while stack:
            member = stack.pop()
            out.append(member)
            if member.kind == "group":
                stack.extend(reversed(self._children.get(member.name.lower(), [])))
        return out

    def subscriptions_under(self, name: str) -> list[str]:
        return [m.name for m in self.descendants(name) if m.kind == "subscription"]

    def _check_acyclic(self) -> None:
        seen: set[str] = set()
        for member in self._walk(self.root):
            seen.add(member.lower())
        stranded = set(self._children) - seen - {self.root.lower()}
        if stranded:
            raise EstateError(f"management groups {sorted(stranded)} form a cycle, outside the tenant root group")

    def _walk(self, name: str) -> Iterator[str]:
        for member in self.descendants(name):
            if member.kind == "group":
                yield member.name


def parse_management_groups(raw: Any, tenant_id: str, subscriptions: list[dict[str, Any]],
                            where: str) -> ManagementGroups:
    if raw is None:
        raw = []
    if not isinstance(raw, list) or not all(isinstance(g, dict) and isinstance(g.get("name"), str) and g["name"]
                                            for g in raw):
        raise EstateError(f"{where}: management_groups must be a list of objects with a name")
    for group in raw:
        if group.get("access") not in (None, "none"):
            raise EstateError(f"{where}: management group {group['name']}: access must be \"none\" or absent")
        subs = group.get("subscriptions", [])
        if not isinstance(subs, list) or not all(isinstance(s, str) for s in subs):
            raise EstateError(f"{where}: management group {group['name']}: subscriptions must be a list of ids")
    try:
        return ManagementGroups(tenant_id, raw, subscriptions)
    except EstateError as exc:
        raise EstateError(f"{where}: {exc}") from None
