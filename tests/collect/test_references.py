import json

from rest_examples import REST_EXAMPLES

from auditor.collect.references import property_references
from auditor.model.reference import ReferenceKind

EXAMPLES = REST_EXAMPLES


def body(relative: str) -> dict:
    return json.loads((EXAMPLES / relative).read_text())["responses"]["200"]["body"]


def test_front_door_origin_host_name_is_found_with_its_path() -> None:
    origin = body("cdn/2026-07-01/AFDOrigins_Get.json")
    refs = property_references(origin)
    wheres = {(r.hostname, r.where) for r in refs}
    host = origin["properties"]["hostName"].lower()
    assert (host, "properties.hostName") in wheres
    assert all(r.kind is ReferenceKind.RESOURCE_PROPERTY and r.resource_id == origin["id"] for r in refs)


def test_list_paths_and_no_arm_ids_or_types() -> None:
    row = {
        "id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/trafficManagerProfiles/tm",
        "properties": {
            "endpoints": [{"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Web/sites/x",
                           "type": "Microsoft.Network/trafficManagerProfiles/externalEndpoints",
                           "properties": {"target": "legacy.contoso-legacy.net"}}],
            "note": "callback https://login.contoso-legacy.net/cb and api.contoso.com:443",
            "count": 3, "none": None,
        },
    }
    refs = property_references(row)
    # Free text is not scanned for dotted words: only the URLs written in it are read.
    assert {(r.hostname, r.where) for r in refs} == {
        ("legacy.contoso-legacy.net", "properties.endpoints[0].properties.target"),
        ("login.contoso-legacy.net", "properties.note"),
    }


def test_nothing_under_a_secret_bearing_key_is_read() -> None:
    row = {
        "id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.App/containerApps/ca",
        "properties": {
            "configuration": {"secrets": [{"name": "db", "value": "secretpass0004.contoso-legacy.net"}]},
            "template": {"containers": [{"env": [
                {"name": "DB_PASSWORD", "value": "pw0001.contoso-legacy.net"},
                {"name": "UPSTREAM_HDR", "value": "X-Api-Key: secretapikey0005.contoso-legacy.net"},
                {"name": "API_URL", "value": "https://api.contoso-legacy.net/v1"},
            ]}]},
            "adminPassword": "pw0002.contoso-legacy.net",
        },
    }
    refs = property_references(row)
    assert {(r.hostname, r.where) for r in refs} == {
        ("api.contoso-legacy.net", "properties.template.containers[0].env[2].value")}


def test_rows_without_properties_give_nothing() -> None:
    assert property_references({"id": "/subscriptions/s", "properties": None}) == []
