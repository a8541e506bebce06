"""An App Service certificate that can no longer read its Key Vault secret is not renewed."""

from __future__ import annotations

from auditor.normalise.appservice import app_service_certificate

CERT_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/certificates/www"
VAULT_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-web"


def row(status: str | None) -> dict:
    props = {"thumbprint": "AB" * 20, "expirationDate": "2026-01-01T00:00:00+00:00", "hostNames": ["www.x.com"],
             "keyVaultId": VAULT_ID, "keyVaultSecretName": "www"}
    if status is not None:
        props["keyVaultSecretStatus"] = status
    return {"id": CERT_ID, "name": "www", "type": "Microsoft.Web/certificates", "properties": props}


def test_sync_status_is_read() -> None:
    assert app_service_certificate(row("Succeeded")).sync_problem is None
    assert app_service_certificate(row(None)).sync_problem is None
    broken = app_service_certificate(row("AzureServiceUnauthorizedToAccessKeyVault"))
    assert broken.sync_problem == "keyVaultSecretStatus AzureServiceUnauthorizedToAccessKeyVault"
