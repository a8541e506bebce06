from auditor.model import CertificateKind, ReferenceKind, ServiceKind
from auditor.normalise.cdn import cdn_endpoint

ENDPOINT = {
    "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Cdn/profiles/cdn1/endpoints/ep1",
    "name": "ep1", "type": "Microsoft.Cdn/profiles/endpoints", "location": "Global", "tags": {"auditor:retired": "true"},
    "properties": {"hostName": "ep1.azureedge.net", "originHostHeader": "assets.contoso.com",
                   "origins": [{"name": "o1", "properties": {"hostName": "assets.blob.core.windows.net"}},
                               {"name": "o2", "properties": {"hostName": "10.0.0.4"}}]},
}


def custom(name: str, host: str, https: dict | None, state: str) -> dict:
    return {"id": ENDPOINT["id"] + f"/customdomains/{name}", "name": name,
            "type": "Microsoft.Cdn/profiles/endpoints/customdomains",
            "properties": {"hostName": host, "customHttpsProvisioningState": state, "customHttpsParameters": https,
                           "validationData": None}}


def test_endpoint_domains_bindings_and_origins() -> None:
    kv = {"certificateSource": "AzureKeyVault", "minimumTlsVersion": "TLS10", "protocolType": "ServerNameIndication",
          "certificateSourceParameters": {"typeName": "KeyVaultCertificateSourceParameters", "subscriptionId": "s",
                                          "resourceGroupName": "rg", "vaultName": "KV1", "secretName": "cdn-cert",
                                          "secretVersion": "", "updateRule": "NoAction", "deleteRule": "NoAction"}}
    managed = {"certificateSource": "Cdn", "minimumTlsVersion": "TLS12",
               "certificateSourceParameters": {"typeName": "CdnCertificateSourceParameters", "certificateType": "Dedicated"}}
    extract = cdn_endpoint(ENDPOINT, [custom("a", "Static.Contoso.com", kv, "Enabled"),
                                      custom("b", "img.contoso.com", managed, "Enabled"),
                                      custom("c", "old.contoso.com", None, "Disabled")])
    domains = {d.hostname: d for d in extract.custom_domains}
    assert {d.service for d in domains.values()} == {ServiceKind.CDN}
    assert domains["static.contoso.com"].certificate_kind is CertificateKind.CUSTOMER
    assert domains["static.contoso.com"].min_tls_version == "1.0"
    assert domains["static.contoso.com"].expected_targets == ("ep1.azureedge.net",)
    assert domains["img.contoso.com"].certificate_kind is CertificateKind.MANAGED
    assert domains["old.contoso.com"].certificate_kind is CertificateKind.NONE
    bindings = {b.hostname: b for b in extract.bindings}
    assert set(bindings) == {"static.contoso.com", "img.contoso.com"}
    assert bindings["static.contoso.com"].certificate_key == "kv1/cdn-cert"
    assert bindings["static.contoso.com"].use_latest_version is True
    assert {(r.kind, r.hostname) for r in extract.references} == {
        (ReferenceKind.FRONTDOOR_ORIGIN, "assets.contoso.com"),
        (ReferenceKind.FRONTDOOR_ORIGIN, "assets.blob.core.windows.net")}
    [resource] = extract.resources
    assert resource.default_hostnames == ("ep1.azureedge.net",) and resource.tags == {"auditor:retired": "true"}
