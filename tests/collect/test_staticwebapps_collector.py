from pathlib import Path

from service_harness import arm, run_collector, write_estate

from auditor.collect.staticwebapps import COLLECTOR
from auditor.model import GapReason


def objects() -> list[dict]:
    site = arm("Microsoft.Web/staticSites", "docs", {"defaultHostname": "happy-sea-1.azurestaticapps.net",
                                                      "customDomains": ["docs.contoso.com"]},
               location="westeurope", sku={"name": "Standard", "tier": "Standard"})
    domain = arm("Microsoft.Web/staticSites/customDomains", "docs/docs.contoso.com",
                 {"domainName": "docs.contoso.com", "status": "Ready", "validationToken": "",
                  "createdOn": "2025-01-01T00:00:00Z"})
    return [site, domain]


async def test_custom_domains(tmp_path: Path) -> None:
    partial = await run_collector(write_estate(tmp_path, objects()), COLLECTOR)
    assert partial.gaps == []
    [domain] = partial.custom_domains
    assert domain.hostname == "docs.contoso.com" and domain.expected_targets == ("happy-sea-1.azurestaticapps.net",)
    assert domain.validation_state == "Ready"


async def test_unavailable(tmp_path: Path) -> None:
    partial = await run_collector(write_estate(tmp_path, objects(), [
        {"service": "arm", "match": "/staticSites/docs/customDomains", "status": 503}]), COLLECTOR)
    [gap] = partial.gaps
    assert gap.reason is GapReason.UNAVAILABLE and partial.custom_domains == []
    assert partial.resources[0].default_hostnames == ("happy-sea-1.azurestaticapps.net",)
