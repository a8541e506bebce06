"""Key Vaults: the ARM vault object and one data-plane CertificateBundle per version."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

from auditor.estate.builder.context import BuildContext, VaultVersion
from auditor.estate.builder.ids import resource_id, stable_hex
from auditor.estate.builder.spec import Validity, Vault, VaultCertificate
from auditor.estate.builder.when import epoch, span, zulu

VAULT_SUFFIX = "vault.azure.net"


def build_vaults(ctx: BuildContext) -> None:
    for vault in ctx.spec.vaults:
        where = f"vault {vault.name}"
        sub = ctx.subscription(vault.subscription, where)
        ctx.add_arm(f"{sub}/{vault.resource_group}/vault-{vault.name}.json", _vault_object(ctx, vault, sub))
        certs = ctx.vault_versions.setdefault(vault.name.lower(), {})
        for cert in vault.certificates:
            versions = _mint_versions(ctx, vault, cert)
            certs[cert.name.lower()] = versions
            for v in versions:
                ctx.add_json(f"keyvault/{vault.name}/{cert.name}/{v.version}.json", bundle(v))


def _mint_versions(ctx: BuildContext, vault: Vault, cert: VaultCertificate) -> list[VaultVersion]:
    where = f"vault {vault.name} certificate {cert.name}"
    validities = (Validity(cert.not_after, cert.lifetime), *cert.older)
    versions = []
    for i, validity in enumerate(validities):
        not_after = ctx.when(validity.not_after, where)
        not_before = not_after - span(validity.lifetime, where)
        issued = ctx.pki.issue(tuple(cert.names), not_before, not_after,
                               self_signed=cert.issuer.lower() == "self")
        versions.append(VaultVersion(
            vault=vault, spec=cert, version=stable_hex(vault.name, cert.name, str(len(validities) - i)),
            issued=issued, created=not_before + timedelta(minutes=5)))
    return versions


def vault_uri(name: str) -> str:
    return f"https://{name.lower()}.{VAULT_SUFFIX}/"


def _vault_object(ctx: BuildContext, vault: Vault, sub: str) -> dict[str, Any]:
    return {
        "id": resource_id(sub, vault.resource_group, "Microsoft.KeyVault/vaults", vault.name),
        "name": vault.name,
        "type": "Microsoft.KeyVault/vaults",
        "location": vault.location,
        "tags": dict(vault.tags),
        "systemData": {"createdBy": "platform@contoso.com", "createdByType": "User",
                       "createdAt": zulu(ctx.as_of - timedelta(days=900)),
                       "lastModifiedBy": "platform@contoso.com", "lastModifiedByType": "User",
                       "lastModifiedAt": zulu(ctx.as_of - timedelta(days=30))},
        "properties": {
            "sku": {"family": "A", "name": "standard"},
            "tenantId": ctx.spec.tenant_id,
            "accessPolicies": [],
            "enableRbacAuthorization": True,
            "enabledForDeployment": False,
            "enabledForDiskEncryption": False,
            "enabledForTemplateDeployment": False,
            "enableSoftDelete": True,
            "softDeleteRetentionInDays": 90,
            "vaultUri": vault_uri(vault.name),
            "provisioningState": "Succeeded",
            "publicNetworkAccess": "Disabled" if vault.network == "private" else "Enabled",
            **_network_acls(vault),
        },
    }


def _network_acls(vault: Vault) -> dict[str, Any]:
    """A firewalled vault: only its office range and trusted services, which the audit is not."""
    if vault.network != "firewall":
        return {}
    return {"networkAcls": {"bypass": "AzureServices", "defaultAction": "Deny",
                            "ipRules": [{"value": "203.0.113.0/24"}], "virtualNetworkRules": []}}


def auto_renews(cert: VaultCertificate) -> bool:
    return cert.auto_renew if cert.auto_renew is not None else cert.issuer.lower() != "unknown"


def bundle(v: VaultVersion) -> dict[str, Any]:
    """GET {vault}/certificates/{name}/{version}, policy included."""
    base = f"https://{v.vault.name.lower()}.{VAULT_SUFFIX}"
    cert = v.spec
    created, updated = epoch(v.created), epoch(v.created) + 2
    action = ({"trigger": {"lifetime_percentage": 80}, "action": {"action_type": "AutoRenew"}}
              if auto_renews(cert) else
              {"trigger": {"days_before_expiry": 30}, "action": {"action_type": "EmailContacts"}})
    months = max(1, round((v.issued.not_after - v.issued.not_before).days / 30.4))
    return {
        "id": f"{base}/certificates/{cert.name}/{v.version}",
        "kid": f"{base}/keys/{cert.name}/{v.version}",
        "sid": f"{base}/secrets/{cert.name}/{v.version}",
        "x5t": v.issued.x5t,
        "cer": base64.b64encode(v.issued.der).decode(),
        "attributes": {
            "enabled": True,
            "nbf": epoch(v.issued.not_before),
            "exp": epoch(v.issued.not_after),
            "created": created,
            "updated": updated,
            "recoveryLevel": "Recoverable+Purgeable",
        },
        "policy": {
            "id": f"{base}/certificates/{cert.name}/policy",
            "key_props": {"exportable": True, "kty": "EC", "crv": "P-256", "key_size": 256,
                          "reuse_key": False},
            "secret_props": {"contentType": "application/x-pkcs12"},
            "x509_props": {
                "subject": f"CN={cert.names[0]}",
                "sans": {"dns_names": list(cert.names)},
                "ekus": ["1.3.6.1.5.5.7.3.1"],
                "key_usage": ["digitalSignature"],
                "validity_months": months,
            },
            "lifetime_actions": [action],
            "issuer": {"name": cert.issuer},
            "attributes": {"enabled": True, "created": created, "updated": updated},
        },
        "tags": dict(cert.tags),
    }
