import json
from pathlib import Path

from rest_examples import REST_EXAMPLES
from service_harness import arm, run_collector, write_estate

from auditor.collect.frontdoor_classic import COLLECTOR
from auditor.model import CertificateKind, ReferenceKind

EXAMPLE = (REST_EXAMPLES / "frontdoor-classic/2026-04-01/FrontdoorGet.json")


def front_door() -> dict:
    body = json.loads(EXAMPLE.read_text())["responses"]["200"]["body"]
    fd = arm("Microsoft.Network/frontDoors", "legacy-fd", body["properties"], location="global", tags={"auditor:retired": "true"})
    https = {"certificateSource": "AzureKeyVault", "minimumTlsVersion": "1.0", "protocolType": "ServerNameIndication",
             "keyVaultCertificateSourceParameters": {"secretName": "www-cert", "secretVersion": "",
                                                     "vault": {"id": "/subscriptions/x/resourceGroups/r/providers/Microsoft.KeyVault/vaults/kv-fd"}}}
    fd["properties"]["frontendEndpoints"][0]["properties"].update(customHttpsConfiguration=https,
                                                                   customHttpsProvisioningState="Enabled")
    return fd


async def test_classic_front_door_from_its_row(tmp_path: Path) -> None:
    partial = await run_collector(write_estate(tmp_path, [front_door()]), COLLECTOR)
    assert partial.gaps == []
    [domain] = partial.custom_domains
    assert domain.hostname == "www.contoso.com" and domain.certificate_kind is CertificateKind.CUSTOMER
    assert domain.min_tls_version == "1.0" and domain.expected_targets == ("frontdoor1.azurefd.net",)
    [binding] = partial.bindings
    assert binding.certificate_key == "kv-fd/www-cert" and binding.use_latest_version is True
    assert {r.hostname for r in partial.references if r.kind is ReferenceKind.FRONTDOOR_ORIGIN} == {
        "w3.contoso.com", "contoso.com.website-us-west-2.othercloud.net"}
    assert partial.resources[0].tags == {"auditor:retired": "true"}


async def test_row_without_endpoints_reads_arm_and_names_a_failure(tmp_path: Path) -> None:
    fd = front_door()
    bare = arm("Microsoft.Network/frontDoors", "bare-fd", None, location="global")
    partial = await run_collector(write_estate(tmp_path, [fd, bare], [
        {"service": "arm", "match": "/frontDoors/bare-fd", "status": 404}]), COLLECTOR)
    [gap] = partial.gaps
    assert gap.target.endswith("/frontDoors/bare-fd") and gap.reason.value == "not-found"
    assert [d.hostname for d in partial.custom_domains] == ["www.contoso.com"]
