"""Container Apps managed certificates carry no expirationDate or thumbprint in ARM
(learn.microsoft.com/en-us/rest/api/containerapps/managed-certificates/get): their expiry is read
from the live endpoint of the host bound to them, and the finding says so. A managed certificate
served with months left raises nothing; one 5 days from its end is cert-expiring, once, as the
managed certificate (not a second time as an unknown served certificate).

https://learn.microsoft.com/en-us/azure/container-apps/custom-domains-managed-certificates
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import trustme

from auditor.core.analyse import analyse
from auditor.core.environment import open_environment
from auditor.core.pipeline import run_audit
from auditor.estate.builder import EstateSpec, Record, Zone, build_estate
from auditor.estate.builder.spec import DEFAULT_SUBSCRIPTION
from auditor.rules.registry import CONTRACT_RULE_IDS

from .nameless import assert_nothing_nameless
from .pipeline import AuditedEstate

RG = f"/subscriptions/{DEFAULT_SUBSCRIPTION}/resourceGroups/rg-apps/providers/Microsoft.App"
ENV = f"{RG}/managedEnvironments/cae-fabrikam"
MANAGED = f"{ENV}/managedCertificates/mc-api-fabrikam-com"
APP = f"{RG}/containerApps/api"
HOST = "api.fabrikam.com"
AS_OF = datetime(2025, 9, 10, tzinfo=UTC)

ARM: tuple[dict[str, Any], ...] = (
    {"id": ENV, "name": "cae-fabrikam", "type": "Microsoft.App/managedEnvironments", "location": "westeurope",
     "tags": {}, "properties": {"provisioningState": "Succeeded", "defaultDomain": "blue-sea-1a2b3c.westeurope.azurecontainerapps.io",
                                "staticIp": "20.31.1.10"}},
    # As ARM returns one: subject and validation, no expirationDate, no thumbprint.
    {"id": MANAGED, "name": "mc-api-fabrikam-com", "type": "Microsoft.App/managedEnvironments/managedCertificates",
     "location": "westeurope", "tags": {},
     "properties": {"provisioningState": "Succeeded", "subjectName": HOST, "domainControlValidation": "CNAME",
                    "validationToken": None}},
    {"id": APP, "name": "api", "type": "Microsoft.App/containerApps", "location": "westeurope", "tags": {},
     "properties": {"provisioningState": "Succeeded", "managedEnvironmentId": ENV, "configuration": {"ingress": {
         "external": True, "targetPort": 8080, "transport": "Auto",
         "fqdn": "api.blue-sea-1a2b3c.westeurope.azurecontainerapps.io",
         "customDomains": [{"name": HOST, "certificateId": MANAGED, "bindingType": "SniEnabled"}]}}}},
)
SPEC = EstateSpec(
    zones=(Zone("fabrikam.com", records=(Record("api", "CNAME", ("api.blue-sea-1a2b3c.westeurope.azurecontainerapps.io",)),
                                          Record("@", "CAA", ('0 issue "digicert.com"',)))),
           Zone("azurecontainerapps.io", azure=False,
                records=(Record("api.blue-sea-1a2b3c.westeurope", "A", ("20.31.1.10",)),))),
    arm=ARM,
)


def _audit(days_left: int, out: Path) -> AuditedEstate:
    """The estate, with the live endpoint serving a certificate that ends `days_left` after as_of."""
    path = build_estate(SPEC, out)
    ca = trustme.CA()
    leaf = ca.issue_cert(HOST, not_before=AS_OF - timedelta(days=80), not_after=AS_OF + timedelta(days=days_left))
    (path / "tls").mkdir(exist_ok=True)
    (path / "tls" / "_trust").mkdir(exist_ok=True)
    ca.cert_pem.write_to_path(str(path / "tls" / "_trust" / "issuer.pem"))
    (path / "tls" / f"{HOST}.pem").write_bytes(leaf.private_key_pem.bytes() +
                                               b"".join(b.bytes() for b in leaf.cert_chain_pems))
    with open_environment(estate=path, config_path=None, as_of=None) as env:
        outcome = run_audit(env)
        per_rule = {rule: analyse(outcome.inventory, env.config, env.as_of, rules=[rule]) for rule in CONTRACT_RULE_IDS}
        assert_nothing_nameless(outcome.report, outcome.inventory, env.config, env.as_of)
        return AuditedEstate(path=path, report=outcome.report, inventory=outcome.inventory, config=env.config,
                             per_rule=per_rule)


@pytest.fixture(scope="module")
def months_left(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return _audit(100, tmp_path_factory.mktemp("aca-ok") / "estate")


@pytest.fixture(scope="module")
def days_left(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return _audit(5, tmp_path_factory.mktemp("aca-soon") / "estate")


def test_a_managed_certificate_with_months_left_raises_nothing(months_left: AuditedEstate) -> None:
    [cert] = [c for c in months_left.inventory.certificates if c.key == MANAGED.lower()]
    assert cert.not_after is None and cert.thumbprint is None          # ARM says neither
    assert {o.hostname for o in months_left.inventory.tls if o.leaf is not None} == {HOST}
    assert months_left.subjects("cert-expiring") == set() and months_left.subjects("cert-expired") == set()


def test_its_expiry_comes_from_the_live_endpoint_and_the_evidence_says_so(days_left: AuditedEstate) -> None:
    assert days_left.subjects("cert-expiring") == {MANAGED}
    [finding] = days_left.per_rule["cert-expiring"].findings
    assert finding.severity.value == "critical"
    assert finding.evidence["not_after_source"].startswith("live endpoint")
    assert finding.evidence["served_by_host"] == HOST
    assert finding.evidence["not_after"].startswith((AS_OF + timedelta(days=5)).date().isoformat())
