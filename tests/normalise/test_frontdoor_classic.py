import json
from typing import Any

from rest_examples import REST_EXAMPLES

from auditor.model import CertificateKind, ReferenceKind, ServiceKind
from auditor.normalise.frontdoor_classic import front_door_classic, frontend_endpoints_of

EXAMPLES = (REST_EXAMPLES / "frontdoor-classic")


def example(name: str) -> Any:
    return json.loads(next(EXAMPLES.glob(f"*/{name}.json")).read_text())


def test_get_payload() -> None:
    fd = example("FrontdoorGet")["responses"]["200"]["body"]
    endpoints = frontend_endpoints_of(fd)
    assert endpoints is not None and len(endpoints) == 2
    extract = front_door_classic(fd, endpoints)
    [domain] = extract.custom_domains              # the default azurefd.net endpoint is not custom
    assert domain.hostname == "www.contoso.com"
    assert domain.service is ServiceKind.FRONT_DOOR_CLASSIC
    assert domain.expected_targets == ("frontdoor1.azurefd.net",)
    assert domain.certificate_kind is CertificateKind.NONE and extract.bindings == ()
    [resource] = extract.resources
    assert resource.type == "microsoft.network/frontdoor" and resource.tags == {"tag1": "value1", "tag2": "value2"}
    origins = {r.hostname for r in extract.references if r.kind is ReferenceKind.FRONTDOOR_ORIGIN}
    assert origins == {"w3.contoso.com", "contoso.com.website-us-west-2.othercloud.net"}   # not 10.0.1.5
    [rule] = [r for r in extract.references if r.kind is ReferenceKind.FRONTDOOR_RULE]
    assert rule.hostname == "www.bing.com" and "rulesEngines/rulesEngine1" in rule.resource_id


def test_row_without_endpoints_needs_arm() -> None:
    assert frontend_endpoints_of({"properties": {}}) is None
    assert frontend_endpoints_of({"properties": None}) is None


def test_key_vault_https_configuration() -> None:
    listed = example("FrontdoorFrontendEndpointList")["responses"]["200"]["body"]["value"]
    https = example("FrontdoorEnableHttps")["parameters"]["customHttpsConfiguration"]
    listed[0]["properties"].update(customHttpsConfiguration=https, customHttpsProvisioningState="Enabled")
    fd = {"id": "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/frontDoors/frontDoor1",
          "type": "Microsoft.Network/frontDoors", "name": "frontDoor1", "properties": {"cname": "frontDoor1.azurefd.net"}}
    extract = front_door_classic(fd, listed)
    [domain] = extract.custom_domains
    assert domain.certificate_kind is CertificateKind.CUSTOMER and domain.min_tls_version == "1.0"
    [binding] = extract.bindings
    assert binding.certificate_key == "vault1/secret1"
    assert binding.pinned_version == "00000000-0000-0000-0000-000000000000"
    assert binding.use_latest_version is False


def test_front_door_managed_https() -> None:
    endpoint = {"id": "/x/frontendEndpoints/a", "properties": {
        "hostName": "a.contoso.com", "customHttpsProvisioningState": "Enabled",
        "customHttpsConfiguration": {"certificateSource": "FrontDoor", "minimumTlsVersion": "1.2"}}}
    extract = front_door_classic({"id": "/x", "type": "Microsoft.Network/frontDoors", "name": "x"}, [endpoint])
    assert extract.custom_domains[0].certificate_kind is CertificateKind.MANAGED
    assert extract.bindings[0].certificate_key is None
