"""Site-scoped certificates (Microsoft.Web/sites/certificates) are collected beside
Microsoft.Web/certificates, from the same CertificateProperties (REST example GetSiteCertificate)."""

import json
from pathlib import Path

from rest_examples import REST_EXAMPLES
from service_harness import SUB, run_collector, write_estate

from auditor.collect.appservice import COLLECTOR
from auditor.model import CertificateStore, Renewal

EXAMPLE = REST_EXAMPLES / "web/2026-03-15/GetSiteCertificate.json"


async def test_a_site_certificate_is_in_the_inventory(tmp_path: Path) -> None:
    body = json.loads(EXAMPLE.read_text())["responses"]["200"]["body"]
    sub = body["id"].split("/")[2]
    body["id"] = body["id"].replace(sub, SUB)
    partial = await run_collector(write_estate(tmp_path, [body]), COLLECTOR)
    assert partial.gaps == []
    [cert] = partial.certificates
    assert cert.resource_id == body["id"] and cert.store is CertificateStore.APP_SERVICE
    assert cert.thumbprint == "FE703D7411A44163B6D32B3AD9B03E175886EBFE"
    assert cert.renewal is Renewal.MANUAL and cert.not_after is not None and cert.not_after.year == 2039
