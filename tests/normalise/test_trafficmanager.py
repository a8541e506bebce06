import json

from rest_examples import REST_EXAMPLES

from auditor.model import ReferenceKind
from auditor.normalise.trafficmanager import traffic_manager

EXAMPLE = (REST_EXAMPLES / "trafficmanager/2022-04-01/Profile-GET-WithTrafficViewEnabled.json")


def test_real_payload_endpoint_names_with_spaces() -> None:
    profile = json.loads(EXAMPLE.read_text())["responses"]["200"]["body"]
    extract = traffic_manager(profile)
    [resource] = extract.resources
    assert resource.default_hostnames == ("azuresdkfornetautoresttrafficmanager3880.tmpreview.watmtest.azure-test.net",)
    [ref] = extract.references
    assert ref.kind is ReferenceKind.TRAFFIC_MANAGER_ENDPOINT and ref.hostname == "foobar.contoso.com"
    assert ref.resource_id.endswith("/externalEndpoints/My external endpoint")
    assert ref.where == "properties.endpoints[0].properties.target"
    assert "My external endpoint" in ref.detail


def test_ip_targets_and_missing_endpoints() -> None:
    profile = {"id": "/p", "type": "Microsoft.Network/trafficManagerProfiles", "name": "p",
               "properties": {"dnsConfig": None, "endpoints": [{"properties": {"target": "10.0.0.1"}}, None]}}
    extract = traffic_manager(profile)
    assert extract.references == () and extract.resources[0].default_hostnames == ()
