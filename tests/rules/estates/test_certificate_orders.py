"""App Service Certificate orders (Microsoft.CertificateRegistration/certificateOrders): the
order carries the certificate's expiry and `autoRenew`; its PFX is a Key Vault *secret*, and the
Microsoft.Web/certificates imported from that secret renews only when the order does.
Order on autoRenew: nothing unmanaged. autoRenew off: the order and its Web certificate are
cert-unmanaged, each naming the order and the secret. An order 10 days from its expiry is
cert-expiring by the order's expirationTime.

https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-app-service-certificate
https://learn.microsoft.com/en-us/rest/api/appservice/app-service-certificate-orders/get
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from auditor.core.decommission import decommission
from auditor.estate.builder import EstateSpec, Vault
from auditor.estate.builder.spec import DEFAULT_SUBSCRIPTION

from .pipeline import AuditedEstate, audit_estate

SUB = f"/subscriptions/{DEFAULT_SUBSCRIPTION}"
ORDER = f"{SUB}/resourceGroups/rg-web/providers/Microsoft.CertificateRegistration/certificateOrders/shop-cert"
VAULT = f"{SUB}/resourceGroups/rg-security/providers/Microsoft.KeyVault/vaults/kv-orders"
WEB_CERT = f"{SUB}/resourceGroups/rg-web/providers/Microsoft.Web/certificates/shop-cert-web"
THUMB = "8E2A6C3F1B5D4E7A9C0B2D4F6A8C0E2B4D6F8A0C"


def _order(auto_renew: bool, expires: str) -> dict[str, Any]:
    """Shaped like the REST example AppServiceCertificateOrders_Get (2024-04-01)."""
    return {"id": ORDER, "name": "shop-cert", "type": "Microsoft.CertificateRegistration/certificateOrders",
            "location": "global", "tags": {},
            "properties": {
                "certificates": {"shop-cert": {"keyVaultId": VAULT, "keyVaultSecretName": "shop-cert",
                                               "provisioningState": "Succeeded"}},
                "distinguishedName": "CN=shop.fabrikam.com", "validityInYears": 1, "keySize": 2048,
                "productType": "StandardDomainValidatedSsl", "autoRenew": auto_renew, "status": "Issued",
                "provisioningState": "Succeeded", "expirationTime": expires,
                "lastCertificateIssuanceTime": "2024-10-01T00:00:00Z",
                "nextAutoRenewalTimeStamp": None if not auto_renew else "2025-08-20T00:00:00Z",
                "signedCertificate": {"thumbprint": THUMB, "subject": "CN=shop.fabrikam.com",
                                      "issuer": "Go Daddy Secure Certificate Authority - G2",
                                      "notBefore": "2024-10-01T00:00:00Z", "notAfter": expires},
                "appServiceCertificateNotRenewableReasons": []}}


SECRET = {"id": f"{VAULT}/secrets/shop-cert", "name": "shop-cert", "type": "Microsoft.KeyVault/vaults/secrets",
          "location": "westeurope",
          "properties": {"contentType": "application/x-pkcs12", "attributes": {
              "enabled": True, "nbf": 1727740800, "exp": 1760000000, "created": 1727740800}}}


def _web_certificate(expires: str) -> dict[str, Any]:
    """The Microsoft.Web/certificates App Service imported from the order's secret."""
    return {"id": WEB_CERT, "name": "shop-cert-web", "type": "Microsoft.Web/certificates", "location": "westeurope",
            "tags": {}, "properties": {"subjectName": "shop.fabrikam.com", "hostNames": ["shop.fabrikam.com"],
                                       "issuer": "Go Daddy Secure Certificate Authority - G2",
                                       "issueDate": "2024-10-01T00:00:00Z", "expirationDate": expires,
                                       "thumbprint": THUMB, "keyVaultId": VAULT, "keyVaultSecretName": "shop-cert",
                                       "keyVaultSecretStatus": "Succeeded"}}


LATER = "2026-09-30T00:00:00Z"
RENEWING = EstateSpec(vaults=(Vault("kv-orders"),),
                      arm=(_order(True, LATER), SECRET, _web_certificate(LATER)))
NOT_RENEWING = replace(RENEWING, arm=(_order(False, LATER), SECRET, _web_certificate(LATER)))
SOON = "2025-09-20T00:00:00Z"      # the estates' as_of is 2025-09-10
EXPIRING = replace(RENEWING, arm=(_order(False, SOON), SECRET, _web_certificate(LATER)))


@pytest.fixture(scope="module")
def renewing(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(RENEWING, tmp_path_factory.mktemp("orders-on") / "estate")


@pytest.fixture(scope="module")
def not_renewing(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(NOT_RENEWING, tmp_path_factory.mktemp("orders-off") / "estate")


@pytest.fixture(scope="module")
def expiring(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(EXPIRING, tmp_path_factory.mktemp("orders-soon") / "estate")


def test_an_order_on_auto_renew_and_its_web_certificate_are_managed(renewing: AuditedEstate) -> None:
    [order] = [c for c in renewing.inventory.certificates if c.store.value == "app-service-certificate-order"]
    assert (order.resource_id, order.key_vault_id, order.renewal.value) == (ORDER, "kv-orders/shop-cert", "auto")
    assert order.names == ("shop.fabrikam.com",) and order.thumbprint == THUMB
    assert renewing.subjects("cert-unmanaged") == set() and renewing.subjects("cert-expiring") == set()


def test_auto_renew_off_leaves_the_order_and_its_web_certificate_unmanaged(not_renewing: AuditedEstate) -> None:
    assert not_renewing.subjects("cert-unmanaged") == {ORDER, WEB_CERT}
    found = {f.subject: f for f in not_renewing.per_rule["cert-unmanaged"].findings}
    assert found[ORDER].evidence["reason"] == "the App Service Certificate order's autoRenew is off"
    assert "order shop-cert, whose autoRenew is off" in found[WEB_CERT].evidence["reason"]
    for finding in found.values():
        assert finding.evidence["certificate_order"] == ORDER
        assert finding.evidence["key_vault_secret"] == "kv-orders/shop-cert"


def test_an_order_near_its_expiry_is_expiring_by_the_order(expiring: AuditedEstate) -> None:
    assert ORDER in expiring.subjects("cert-expiring")
    [finding] = [f for f in expiring.per_rule["cert-expiring"].findings if f.subject == ORDER]
    assert finding.evidence["not_after"].startswith("2025-09-20")


def test_decommission_of_an_order_lists_the_web_certificate_imported_from_its_secret(
        not_renewing: AuditedEstate) -> None:
    result = decommission(not_renewing.inventory, not_renewing.config, ORDER, not_renewing.report.as_of)
    [copy] = [d for d in result.dependents if d.kind == "certificate"]
    assert copy.resource_id == WEB_CERT and copy.hostname == "shop.fabrikam.com"
    assert copy.detail == "imported from Key Vault secret kv-orders/shop-cert of App Service Certificate order shop-cert"
