"""Can the public internet reach an App Service app? An App Service managed certificate is issued
and renewed by DigiCert validating the domain against the app from outside Azure, so an app
closed to the public (publicNetworkAccess Disabled, or access restrictions that deny the rest of
the internet) does not get its managed certificate renewed.

Access restrictions are evaluated in priority order; with no match, the default action decides:
`ipSecurityRestrictionsDefaultAction` when set, else Deny as soon as any Allow rule exists
(learn.microsoft.com/en-us/azure/app-service/app-service-ip-restrictions; ARM shows the
unmatched rule as a priority 2147483647 "Allow all" or "Deny all" entry with ipAddress `Any`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditor.normalise.service_helpers import items, obj, text

_EVERYWHERE = {"any", "0.0.0.0/0", "::/0", "*"}


def public_access_block(site: Mapping[str, Any], config_web: Mapping[str, Any] | None) -> str | None:
    """Why the public internet cannot reach the app's main site, or None when it can (or the
    configuration was not read)."""
    if (text(obj(site, "properties"), "publicNetworkAccess") or "").lower() == "disabled":
        return "publicNetworkAccess is Disabled"
    props = obj(config_web, "properties") if config_web is not None else {}
    rules = sorted((r for r in items(props, "ipSecurityRestrictions") if isinstance(r, Mapping)),
                   key=_priority)
    for rule in rules:
        if _is_everywhere(rule):
            if _action(rule) == "allow":
                return None
            return _denied(rules, f"access restriction {text(rule, 'name') or 'Deny all'} denies all other traffic")
    default = (text(props, "ipSecurityRestrictionsDefaultAction") or "").lower()
    if default == "deny" or (not default and any(_action(r) == "allow" for r in rules)):
        return _denied(rules, "access restrictions deny unmatched traffic")
    return None


def _denied(rules: list[Mapping[str, Any]], why: str) -> str:
    allowed = [text(r, "name") or text(r, "ipAddress") or text(r, "tag") or "?" for r in rules
               if _action(r) == "allow" and not _is_everywhere(r)]
    return why + (f"; only {', '.join(allowed)} allowed" if allowed else "")


def _is_everywhere(rule: Mapping[str, Any]) -> bool:
    address = (text(rule, "ipAddress") or "").strip().lower()
    return address in _EVERYWHERE and not text(rule, "vnetSubnetResourceId") and \
        (text(rule, "tag") or "Default").lower() == "default" and not obj(rule, "headers")


def _action(rule: Mapping[str, Any]) -> str:
    return (text(rule, "action") or "Allow").lower()


def _priority(rule: Mapping[str, Any]) -> int:
    value = rule.get("priority")
    return value if isinstance(value, int) and not isinstance(value, bool) else 2147483647
