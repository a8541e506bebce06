from pathlib import Path

from service_harness import arm, run_collector, write_estate

from auditor.collect.containerapps import COLLECTOR
from auditor.model import CertificateKind, Renewal


async def test_ingress_domains_and_environment_certificates(tmp_path: Path) -> None:
    env = arm("Microsoft.App/managedEnvironments", "env1", {"defaultDomain": "happyhill.eastus.azurecontainerapps.io"},
              location="eastus")
    cert = arm("Microsoft.App/managedEnvironments/certificates", "env1/api-cert", {
        "subjectName": "CN=api.contoso.com", "expirationDate": "2025-09-20T00:00:00+00:00",
        "thumbprint": "C" * 40, "valid": True}, location="eastus")
    managed = arm("Microsoft.App/managedEnvironments/managedCertificates", "env1/www-mc", {
        "subjectName": "www.contoso.com", "domainControlValidation": "CNAME"}, location="eastus")
    app = arm("Microsoft.App/containerApps", "api", {"managedEnvironmentId": env["id"], "configuration": {"ingress": {
        "fqdn": "api.happyhill.eastus.azurecontainerapps.io", "customDomains": [
            {"name": "api.contoso.com", "bindingType": "SniEnabled", "certificateId": cert["id"]},
            {"name": "www.contoso.com", "bindingType": "SniEnabled", "certificateId": managed["id"]}]}}},
        location="eastus")
    partial = await run_collector(write_estate(tmp_path, [env, cert, managed, app]), COLLECTOR)
    assert partial.gaps == []
    assert {c.name: c.renewal for c in partial.certificates} == {"api-cert": Renewal.MANUAL, "www-mc": Renewal.PLATFORM}
    assert {d.hostname: d.certificate_kind for d in partial.custom_domains} == {
        "api.contoso.com": CertificateKind.CUSTOMER, "www.contoso.com": CertificateKind.MANAGED}
    binding = next(b for b in partial.bindings if b.hostname == "api.contoso.com")
    assert binding.thumbprint == "C" * 40 and binding.certificate_key == cert["id"].lower()
