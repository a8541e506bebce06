"""The emulator answers real payload shapes the way Azure does."""

from __future__ import annotations

import json
from typing import Any

from rest_examples import REST_EXAMPLES

from auditor.emulator.http.arm_index import ArmIndex
from auditor.emulator.http.resource_graph import is_indexed, type_of


def _body(relative: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((REST_EXAMPLES / relative).read_text(encoding="utf-8"))["responses"]["200"]["body"]
    return body


def test_resource_graph_type_follows_the_id_not_the_body() -> None:
    # FrontdoorGet's body says "Microsoft.Network/frontDoor"; Resource Graph reports the id's type.
    front_door = _body("frontdoor-classic/2026-04-01/FrontdoorGet.json")
    assert front_door["type"] == "Microsoft.Network/frontDoor"
    assert type_of(front_door) == "microsoft.network/frontdoors"


def test_auth_settings_typed_as_their_own_kind_are_still_config_and_not_indexed() -> None:
    auth = _body("web/2026-03-15/GetAuthSettingsV2WithoutSecrets.json")
    assert auth["type"] == "Microsoft.Web/sites/authsettingsv2"
    assert type_of(auth) == "microsoft.web/sites/config"
    assert not is_indexed(auth)


def test_record_sets_and_spaces_in_names() -> None:
    record = _body("dns/2018-05-01/GetCNAMERecordset.json")
    endpoint = _body("trafficmanager/2022-04-01/Endpoint-GET-External-WithSubnetMapping.json")
    assert type_of(record) == "microsoft.network/dnszones/cname" and not is_indexed(record)
    assert type_of(endpoint) == "microsoft.network/trafficmanagerprofiles/externalendpoints"


def test_a_site_config_never_set_is_empty_not_missing() -> None:
    site = _body("web/2025-05-01/GetWebApp.json")
    index = ArmIndex([site], [{"subscriptionId": "34adfa4f-cedf-4dc0-ba29-b6d1a69ab345"}], "t")
    site_id = site["id"]
    strings = index.default_config(site_id.upper() + "/config/ConnectionStrings")
    auth = index.default_config(site_id + "/config/authsettingsV2")
    assert strings is not None and strings["id"] == f"{site_id}/config/connectionstrings"
    assert strings["properties"] == {} and strings["type"] == "Microsoft.Web/sites/config"
    assert auth is not None and auth["name"] == "authsettingsV2"
    assert index.default_config(site_id.replace("sitef6141", "gone") + "/config/appsettings") is None
    assert index.default_config(site_id + "/config/backup") is None
