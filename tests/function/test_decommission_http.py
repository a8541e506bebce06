"""The HTTP trigger answers `decommission check` with CONTRACT section 4's JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import azure.functions as func
import pytest

from .conftest import bindings, needs_azurite

pytestmark = [pytest.mark.integration, needs_azurite]

URL = "https://auditor.example/api/decommission/check"
KINDS = {"custom-domain", "certificate", "dns-record", "app-setting", "connection-string", "cors-origin",
         "auth-redirect", "frontdoor-origin", "frontdoor-rule", "gateway-backend", "gateway-listener",
         "traffic-manager-endpoint", "apim-backend", "entra-redirect-uri", "resource-property",
         "live-traffic"}


@pytest.fixture
def check(functions: dict[str, Any], demo_estate: Path, storage_connection_string: str,
          app_settings: pytest.MonkeyPatch) -> Any:
    app_settings.setenv("AUDITOR_ESTATE_DIR", str(demo_estate))
    app_settings.setenv("AUDITOR_STORAGE_CONNECTION_STRING", storage_connection_string)
    return functions["decommission_check"].get_user_function()


def _json(response: func.HttpResponse) -> Any:
    assert response.mimetype == "application/json"
    return json.loads(response.get_body())


def _assert_legacy_answer(body: dict[str, Any]) -> None:
    assert set(body) == {"schema", "target", "safe", "complete", "gaps", "dependents"}
    assert (body["schema"], body["target"], body["safe"]) == ("auditor-decommission/1", "contoso-legacy.net", False)
    # kv-secops cannot be read, so the answer cannot be complete.
    assert body["complete"] is False and [g["target"] for g in body["gaps"]] == ["kv-secops"]
    for dependent in body["dependents"]:
        # `traffic` appears where the access logs said whether the name is live
        assert set(dependent) - {"traffic"} == {"kind", "hostname", "resource_id", "where", "detail", "remove"}
        assert dependent["kind"] in KINDS
    found = {(d["kind"], d["hostname"]) for d in body["dependents"]}
    assert {("app-setting", "login.contoso-legacy.net"), ("custom-domain", "shop.contoso-legacy.net"),
            ("dns-record", "api.contoso-legacy.net")} <= found
    setting = next(d for d in body["dependents"] if d["kind"] == "app-setting")
    assert setting["where"] == "appsettings.AUTH_CALLBACK_URL"
    assert "/callback" not in json.dumps(body)   # the setting's value is never returned


def test_the_route_takes_get_and_post_with_a_function_key(functions: dict[str, Any]) -> None:
    trigger = next(b for b in bindings(functions["decommission_check"]) if b["type"] == "httpTrigger")
    assert (trigger["route"], sorted(trigger["methods"]), trigger["authLevel"]) == (
        "decommission/check", ["GET", "POST"], "FUNCTION")


def test_get_with_a_target(check: Any) -> None:
    response = check(func.HttpRequest("GET", URL, params={"target": "contoso-legacy.net"}, body=b""))
    assert response.status_code == 200
    _assert_legacy_answer(_json(response))


def test_post_with_a_json_body(check: Any) -> None:
    response = check(func.HttpRequest("POST", URL, headers={"Content-Type": "application/json"},
                                      body=json.dumps({"target": " contoso-legacy.net "}).encode()))
    assert response.status_code == 200
    _assert_legacy_answer(_json(response))


@pytest.mark.parametrize(("method", "params", "body"), [
    ("GET", {}, b""),
    ("GET", {"target": "  "}, b""),
    ("POST", {}, json.dumps({"domain": "contoso-legacy.net"}).encode()),
    ("POST", {}, json.dumps(["contoso-legacy.net"]).encode()),
])
def test_a_missing_target_is_400_with_one_message(check: Any, method: str, params: dict[str, str],
                                                   body: bytes) -> None:
    response = check(func.HttpRequest(method, URL, params=params, body=body))
    assert response.status_code == 400
    assert _json(response) == {"error": "name the domain, host name or certificate to check: "
                                        "?target=contoso-legacy.net"}


def test_a_body_that_is_not_json_is_400(check: Any) -> None:
    response = check(func.HttpRequest("POST", URL, body=b"target=contoso-legacy.net"))
    assert response.status_code == 400
    assert list(_json(response)) == ["error"] and "JSON" in _json(response)["error"]


def test_a_target_that_is_no_name_is_400(check: Any) -> None:
    response = check(func.HttpRequest("GET", URL, params={"target": "not a name!"}, body=b""))
    assert response.status_code == 400
    error = _json(response)["error"]
    assert "neither a domain, a host name nor a certificate" in error and "\n" not in error


def test_missing_storage_setting_is_a_500_that_says_what_to_set(
        functions: dict[str, Any], demo_estate: Path, app_settings: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    app_settings.setenv("AUDITOR_ESTATE_DIR", str(demo_estate))
    check = functions["decommission_check"].get_user_function()
    response = check(func.HttpRequest("GET", URL, params={"target": "contoso-legacy.net"}, body=b""))
    assert response.status_code == 500
    assert "set AUDITOR_STORAGE_ACCOUNT_URL" in _json(response)["error"]
    assert "decommission check not run: set AUDITOR_STORAGE_ACCOUNT_URL" in caplog.text
