import json
from pathlib import Path

from rest_examples import REST_EXAMPLES
from service_harness import arm, run_collector, write_estate

from auditor.collect.appgateway import COLLECTOR
from auditor.model import ReferenceKind

EXAMPLE = (REST_EXAMPLES / "network/2025-07-01/ApplicationGatewayGet.json")


async def test_gateway_row(tmp_path: Path) -> None:
    props = json.loads(EXAMPLE.read_text())["responses"]["200"]["body"]["properties"]
    props["httpListeners"][0]["properties"]["hostNames"] = ["portal.contoso-legacy.net"]
    props["backendAddressPools"][1]["properties"]["backendAddresses"].append({"fqdn": "app1.azurewebsites.net"})
    gw = arm("Microsoft.Network/applicationGateways", "appgw", props, location="westeurope")
    partial = await run_collector(write_estate(tmp_path, [gw]), COLLECTOR)
    assert partial.gaps == []
    assert [d.hostname for d in partial.custom_domains] == ["portal.contoso-legacy.net"]
    assert {(r.kind, r.hostname) for r in partial.references} == {
        (ReferenceKind.GATEWAY_LISTENER, "portal.contoso-legacy.net"),
        (ReferenceKind.GATEWAY_BACKEND, "app1.azurewebsites.net")}
    assert len(partial.certificates) == 1 and partial.bindings[0].certificate_key == partial.certificates[0].key
