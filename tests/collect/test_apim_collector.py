import json
from pathlib import Path

from rest_examples import REST_EXAMPLES
from service_harness import arm, run_collector, write_estate

from auditor.collect.apim import COLLECTOR
from auditor.model import GapReason, ReferenceKind

EXAMPLE = (REST_EXAMPLES / "apimanagement/2024-05-01/ApiManagementServiceGetServiceHavingMsi.json")


def objects() -> list[dict]:
    body = json.loads(EXAMPLE.read_text())["responses"]["200"]["body"]
    service = arm("Microsoft.ApiManagement/service", "apim1", body["properties"], location="West Europe",
                  sku=body["sku"], tags={})
    backend = arm("Microsoft.ApiManagement/service/backends", "apim1/legacy",
                  {"url": "https://orders.contoso-legacy.net/api", "protocol": "http"})
    return [service, backend]


async def test_service_and_backends(tmp_path: Path) -> None:
    partial = await run_collector(write_estate(tmp_path, objects()), COLLECTOR)
    assert partial.gaps == []
    assert [d.hostname for d in partial.custom_domains] == ["proxy.msitesting.net"]
    assert partial.certificates[0].key_vault_id == "samir-msi-keyvault/msicertificate"
    [ref] = partial.references
    assert (ref.kind, ref.hostname) == (ReferenceKind.APIM_BACKEND, "orders.contoso-legacy.net")
    assert ref.resource_id.endswith("/backends/legacy")


async def test_backends_forbidden(tmp_path: Path) -> None:
    partial = await run_collector(write_estate(tmp_path, objects(), [
        {"service": "arm", "match": "/service/apim1/backends", "status": 403}]), COLLECTOR)
    [gap] = partial.gaps
    assert gap.reason is GapReason.FORBIDDEN and gap.target.endswith("/service/apim1")
    assert partial.references == [] and len(partial.custom_domains) == 1
