"""Who may reach a vault, decided as Key Vault decides it, and the secret metadata ARM lists.

Data plane (https://learn.microsoft.com/en-us/azure/key-vault/general/network-security): a vault
whose `publicNetworkAccess` is Disabled takes only private-endpoint connections and answers 403
with inner code ForbiddenByConnection; one whose `networkAcls.defaultAction` is Deny answers a
client address its `ipRules` do not allow 403 ForbiddenByFirewall ("Client address is not
authorized and caller is not a trusted service",
https://github.com/hashicorp/terraform-provider-azurerm/issues/20742). The audit reaches the
emulator from 127.0.0.1. A vault in a subscription the identity holds no role on answers 403
ForbiddenByRbac.

Management plane: `GET {vault id}/secrets` lists Microsoft.KeyVault/vaults/secrets (metadata, no
value) to Reader; a Key Vault certificate's backing secret has the certificate's name, its
content type and its dates.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from auditor.estate.load import Estate

VAULT_TYPE = "microsoft.keyvault/vaults"
SECRET_TYPE = "Microsoft.KeyVault/vaults/secrets"
_CLIENT = ipaddress.ip_address("127.0.0.1")
PKCS12 = "application/x-pkcs12"


def vault_name(obj: dict[str, Any]) -> str:
    uri = str((obj.get("properties") or {}).get("vaultUri") or "")
    host = urlsplit(uri).hostname or ""
    return (host.split(".")[0] if host else str(obj.get("name", ""))).lower()


def _allows_client(rules: Any) -> bool:
    for rule in rules if isinstance(rules, list) else []:
        value = rule.get("value") if isinstance(rule, dict) else None
        try:
            if isinstance(value, str) and _CLIENT in ipaddress.ip_network(value.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def refusal(obj: dict[str, Any], hidden_subscriptions: frozenset[str]) -> str | None:
    """The inner error code the vault's data plane answers the audit with, or None."""
    parts = str(obj.get("id", "")).split("/")
    if len(parts) > 2 and parts[2].lower() in hidden_subscriptions:
        return "ForbiddenByRbac"
    props = obj.get("properties") or {}
    if str(props.get("publicNetworkAccess") or "").lower() == "disabled":
        return "ForbiddenByConnection"
    acls = props.get("networkAcls") or {}
    if str(acls.get("defaultAction") or "").lower() == "deny" and not _allows_client(acls.get("ipRules")):
        return "ForbiddenByFirewall"
    return None


def refusal_message(code: str, vault: str) -> str:
    if code == "ForbiddenByConnection":
        return ("Connection is not an approved private link and caller was ignored because bypass is not set "
                f"to 'AzureServices' and PublicNetworkAccess is set to 'Disabled'.\r\nVault: {vault}")
    if code == "ForbiddenByFirewall":
        return (f"Client address is not authorized and caller is not a trusted service.\r\n"
                f"Client address: {_CLIENT}\r\nVault: {vault}")
    return f"Caller is not authorized to perform action on resource.\r\nVault: {vault}"


def _created(bundle: dict[str, Any]) -> float:
    value = (bundle.get("attributes") or {}).get("created")
    return float(value) if isinstance(value, int | float) else 0.0


def _cert_name(bundle: dict[str, Any], fallback: str) -> str:
    parts = [p for p in urlsplit(str(bundle.get("id", ""))).path.split("/") if p]
    return parts[1] if len(parts) > 1 else fallback


def derived_secrets(estate: Estate) -> list[dict[str, Any]]:
    """The backing secret of every certificate under keyvault/ whose vault arm/ holds and
    whose secret arm/ does not already list, from the certificate's current version."""
    listed = {str(o["id"]).lower() for o in estate.arm if str(o.get("type", "")).lower() == SECRET_TYPE.lower()}
    out: list[dict[str, Any]] = []
    for vault in (o for o in estate.arm if str(o.get("type", "")).lower() == VAULT_TYPE):
        vault_id = str(vault["id"]).rstrip("/")
        uri = str((vault.get("properties") or {}).get("vaultUri") or "").rstrip("/")
        for key, bundles in sorted(estate.keyvault.get(vault_name(vault), {}).items()):
            current = max(bundles, key=_created)
            name = _cert_name(current, key)
            secret_id = f"{vault_id}/secrets/{name}"
            if secret_id.lower() in listed:
                continue
            policy = current.get("policy")
            secret_props = policy.get("secret_props") if isinstance(policy, dict) else None
            content_type = (secret_props.get("contentType") if isinstance(secret_props, dict) else None) or PKCS12
            attributes = {k: v for k, v in (current.get("attributes") or {}).items()
                          if k in ("enabled", "nbf", "exp", "created", "updated")}
            version = urlsplit(str(current.get("sid") or current.get("id") or "")).path.rstrip("/").split("/")[-1]
            out.append({
                "id": secret_id, "name": name, "type": SECRET_TYPE, "location": vault.get("location"),
                "tags": current.get("tags") or {},
                "properties": {"attributes": attributes, "contentType": content_type,
                               "secretUri": f"{uri}/secrets/{name}",
                               "secretUriWithVersion": f"{uri}/secrets/{name}/{version}"},
            })
    return out
