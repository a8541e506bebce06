import json
from pathlib import Path

from rest_examples import REST_EXAMPLES
from service_harness import arm, run_collector, write_estate

from auditor.collect.trafficmanager import COLLECTOR

EXAMPLE = (REST_EXAMPLES / "trafficmanager/2022-04-01/Profile-GET-WithTrafficViewEnabled.json")


async def test_profile_row(tmp_path: Path) -> None:
    body = json.loads(EXAMPLE.read_text())["responses"]["200"]["body"]
    profile = arm("Microsoft.Network/trafficManagerProfiles", "tm1", body["properties"], location="global")
    partial = await run_collector(write_estate(tmp_path, [profile]), COLLECTOR)
    assert partial.gaps == []
    assert [r.hostname for r in partial.references] == ["foobar.contoso.com"]
    assert partial.resources[0].default_hostnames == (
        "azuresdkfornetautoresttrafficmanager3880.tmpreview.watmtest.azure-test.net",)
