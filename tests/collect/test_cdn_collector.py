from pathlib import Path

from service_harness import arm, run_collector, write_estate

from auditor.collect.cdn import COLLECTOR
from auditor.model import CertificateKind, GapReason, ReferenceKind


def objects() -> list[dict]:
    profile = arm("Microsoft.Cdn/profiles", "cdn1", {}, location="global", sku={"name": "Standard_Microsoft"})
    endpoint = arm("Microsoft.Cdn/profiles/endpoints", "cdn1/static", {
        "hostName": "static-contoso.azureedge.net", "originHostHeader": "assets.contoso-legacy.net",
        "origins": [{"name": "blob", "properties": {"hostName": "assets.blob.core.windows.net"}}]}, location="global")
    domain = arm("Microsoft.Cdn/profiles/endpoints/customDomains", "cdn1/static/static-contoso-com", {
        "hostName": "static.contoso.com", "customHttpsProvisioningState": "Enabled",
        "customHttpsParameters": {"certificateSource": "Cdn", "minimumTlsVersion": "TLS12",
                                  "certificateSourceParameters": {"typeName": "CdnCertificateSourceParameters",
                                                                  "certificateType": "Dedicated"}}})
    return [profile, endpoint, domain]


async def test_endpoint_custom_domains(tmp_path: Path) -> None:
    partial = await run_collector(write_estate(tmp_path, objects()), COLLECTOR)
    assert partial.gaps == []
    [domain] = partial.custom_domains
    assert domain.hostname == "static.contoso.com" and domain.certificate_kind is CertificateKind.MANAGED
    assert domain.expected_targets == ("static-contoso.azureedge.net",)
    assert {(r.kind, r.hostname) for r in partial.references} == {
        (ReferenceKind.FRONTDOOR_ORIGIN, "assets.contoso-legacy.net"),
        (ReferenceKind.FRONTDOOR_ORIGIN, "assets.blob.core.windows.net")}


async def test_custom_domains_throttled(tmp_path: Path) -> None:
    faults = [{"service": "arm", "match": "/endpoints/static/customDomains", "status": 429, "retry_after": 0}]
    partial = await run_collector(write_estate(tmp_path, objects(), faults), COLLECTOR)
    [gap] = partial.gaps
    assert gap.reason is GapReason.THROTTLED and gap.detail.startswith("custom domains not read")
    assert partial.custom_domains == [] and len(partial.references) == 2
