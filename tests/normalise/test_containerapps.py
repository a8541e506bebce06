from datetime import UTC, datetime

from auditor.model import CertificateKind, CertificateStore, Renewal
from auditor.normalise.containerapps import container_app, environment_certificate

ENV = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/managedEnvironments/env1"
CERT = {"id": ENV + "/certificates/api-cert", "name": "api-cert", "type": "Microsoft.App/managedEnvironments/certificates",
        "location": "East US",
        "properties": {"provisioningState": "Succeeded", "subjectName": "CN=api.contoso.com",
                       "subjectAlternativeNames": ["api.contoso.com", "API2.contoso.com"], "issuer": "CN=Contoso CA",
                       "issueDate": "2025-01-01T00:00:00+00:00", "expirationDate": "2025-10-01T00:00:00+00:00",
                       "thumbprint": "a" * 40, "valid": True,
                       "certificateKeyVaultProperties": {"identity": "system",
                                                         "keyVaultUrl": "https://kv2.vault.azure.net/secrets/api-cert"}}}
MANAGED = {"id": ENV + "/managedCertificates/www-mc", "name": "www-mc",
           "type": "Microsoft.App/managedEnvironments/managedCertificates",
           "properties": {"subjectName": "www.contoso.com", "domainControlValidation": "CNAME",
                          "provisioningState": "Succeeded"}}
APP = {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/containerApps/api", "name": "api",
       "type": "Microsoft.App/containerApps",
       "properties": {"managedEnvironmentId": ENV, "configuration": {"ingress": {
           "fqdn": "api.happyhill-70162bb9.eastus.azurecontainerapps.io",
           "customDomains": [
               {"name": "api.contoso.com", "bindingType": "SniEnabled", "certificateId": CERT["id"]},
               {"name": "www.contoso.com", "bindingType": "SniEnabled", "certificateId": MANAGED["id"]},
               {"name": "old.contoso.com", "bindingType": "Disabled"}]}}}}


def test_environment_certificates() -> None:
    cert = environment_certificate(CERT)
    assert cert.store is CertificateStore.CONTAINER_APPS and cert.renewal is Renewal.FOLLOWS_KEY_VAULT
    assert cert.key_vault_id == "kv2/api-cert" and cert.thumbprint == "A" * 40
    assert cert.names == ("api.contoso.com", "api2.contoso.com")
    assert cert.not_after == datetime(2025, 10, 1, tzinfo=UTC)
    managed = environment_certificate(MANAGED)
    assert managed.renewal is Renewal.PLATFORM and managed.names == ("www.contoso.com",)


def test_ingress_custom_domains() -> None:
    certs = {c.key: c for c in map(environment_certificate, (CERT, MANAGED))}
    extract = container_app(APP, certs)
    kinds = {d.hostname: d.certificate_kind for d in extract.custom_domains}
    assert kinds == {"api.contoso.com": CertificateKind.CUSTOMER, "www.contoso.com": CertificateKind.MANAGED,
                     "old.contoso.com": CertificateKind.NONE}
    assert extract.custom_domains[0].expected_targets == ("api.happyhill-70162bb9.eastus.azurecontainerapps.io",)
    bindings = {b.hostname: b for b in extract.bindings}
    assert set(bindings) == {"api.contoso.com", "www.contoso.com"}
    assert bindings["api.contoso.com"].certificate_key == CERT["id"].lower()
    assert bindings["api.contoso.com"].thumbprint == "A" * 40
