import json
from datetime import UTC, datetime
from typing import Any

from rest_examples import REST_EXAMPLES

from auditor.model import CertificateKind, CertificateStore, ReferenceKind, Renewal
from auditor.normalise.apim import apim_service

EXAMPLE = (REST_EXAMPLES / "apimanagement/2024-05-01/ApiManagementServiceGetServiceHavingMsi.json")


def service() -> Any:
    return json.loads(EXAMPLE.read_text())["responses"]["200"]["body"]


def test_real_payload() -> None:
    svc = service()
    backends = [{"id": svc["id"] + "/backends/legacy", "name": "legacy",
                 "properties": {"url": "https://api.contoso-legacy.net/v1", "protocol": "http"}}]
    extract = apim_service(svc, backends)
    [domain] = extract.custom_domains                     # BuiltIn is the default host, not custom
    assert domain.hostname == "proxy.msitesting.net"
    assert domain.expected_targets == ("apimservice1.azure-api.net",)
    assert domain.certificate_kind is CertificateKind.CUSTOMER
    assert domain.min_tls_version == "1.0"                # customProperties Tls10 "True"
    [cert] = extract.certificates
    assert cert.store is CertificateStore.API_MANAGEMENT
    assert cert.key_vault_id == "samir-msi-keyvault/msicertificate" and cert.pinned_version is None
    assert cert.renewal is Renewal.FOLLOWS_KEY_VAULT
    assert cert.not_after == datetime(2020, 12, 18, 11, 11, 47, tzinfo=UTC)
    assert cert.thumbprint is None                        # masked in the payload
    assert cert.names == ("*.msitesting.net",)
    [binding] = extract.bindings
    assert binding.certificate_key == cert.key and binding.use_latest_version is True
    assert binding.certificate_ref == "https://samir-msi-keyvault.vault.azure.net/secrets/msicertificate"
    [resource] = extract.resources
    assert "apimservice1.azure-api.net" in resource.default_hostnames
    assert "apimservice1.developer.azure-api.net" in resource.default_hostnames
    [ref] = extract.references
    assert (ref.kind, ref.hostname, ref.where) == (ReferenceKind.APIM_BACKEND, "api.contoso-legacy.net", "properties.url")


def test_versioned_key_vault_id_is_pinned_and_managed_renews() -> None:
    svc = service()
    configs = svc["properties"]["hostnameConfigurations"]
    configs[1]["keyVaultId"] += "/9f8e7d"
    configs.append({"type": "DeveloperPortal", "hostName": "Portal.Contoso.com", "certificateSource": "Managed"})
    svc["properties"]["customProperties"] = {}
    extract = apim_service(svc, [])
    certs = {c.name: c for c in extract.certificates}
    assert certs["proxy.msitesting.net"].pinned_version == "9f8e7d"
    assert certs["portal.contoso.com"].renewal is Renewal.PLATFORM
    portal = next(d for d in extract.custom_domains if d.hostname == "portal.contoso.com")
    assert portal.expected_targets == ("apimservice1.developer.azure-api.net",)
    assert portal.certificate_kind is CertificateKind.MANAGED
    assert extract.resources[0].min_tls_version is None
