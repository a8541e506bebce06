"""ARM's name-availability actions, answered by the emulator and asked through the production
SDK clients (the same calls collect/name_availability.py makes). "Taken" when a resource of the
estate, in any subscription, or names_taken_elsewhere holds the name (CONTRACT section 2).

Shapes, per the REST references:
https://learn.microsoft.com/en-us/rest/api/appservice/check-name-availability ("nameAvailable"),
https://learn.microsoft.com/en-us/rest/api/storagerp/storage-accounts/check-name-availability,
https://learn.microsoft.com/en-us/rest/api/trafficmanager/profiles/check-traffic-manager-relative-dns-name-availability,
https://learn.microsoft.com/en-us/rest/api/frontdoorservice/frontdoor/check-front-door-name-availability-with-subscription
("nameAvailability": "Available" | "Unavailable"),
https://learn.microsoft.com/en-us/rest/api/cdn/check-name-availability-with-subscription,
https://learn.microsoft.com/en-us/rest/api/virtualnetwork/network-management-client/check-dns-name-availability
(GET with ?domainNameLabel=, answering {"available": bool}).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from auditor.collect.name_availability import Check, _ask, check_for
from auditor.emulator import Emulator, EmulatorEndpoints
from tests.emulator.https_support import SUB1, SUB2, azure, bearer, fetch, resource, write_estate

ELSEWHERE = ["fab-shop.azurewebsites.net", "elsewhere.trafficmanager.net"]


@pytest.fixture(scope="module")
def endpoints(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorEndpoints]:
    objects = [
        resource(SUB1, "rg-web", "Microsoft.Web/sites", "taken-web", properties={"defaultHostName": "taken-web.azurewebsites.net"}),
        resource(SUB2, "rg-data", "Microsoft.Storage/storageAccounts", "takenstore", properties={}),
        resource(SUB1, "rg-tm", "Microsoft.Network/trafficManagerProfiles", "tm",
                 properties={"dnsConfig": {"relativeName": "taken-tm", "fqdn": "taken-tm.trafficmanager.net"}}),
        resource(SUB1, "rg-fd", "Microsoft.Network/frontDoors", "taken-fd", properties={}),
        resource(SUB1, "rg-cdn", "Microsoft.Cdn/profiles/endpoints", "cdn/taken-cdn",
                 properties={"hostName": "taken-cdn.azureedge.net"}),
        resource(SUB1, "rg-net", "Microsoft.Network/publicIPAddresses", "pip",
                 properties={"dnsSettings": {"domainNameLabel": "taken-vm",
                                             "fqdn": "taken-vm.westeurope.cloudapp.azure.com"}}),
    ]
    root = write_estate(tmp_path_factory.mktemp("availability"), arm=objects, subscriptions=(SUB1, SUB2))
    meta = json.loads((root / "estate.json").read_text())
    (root / "estate.json").write_text(json.dumps({**meta, "names_taken_elsewhere": ELSEWHERE}))
    with Emulator(root) as ep:
        yield ep


CASES = [
    ("taken-web.azurewebsites.net", False), ("fab-shop.azurewebsites.net", False), ("free-web.azurewebsites.net", True),
    ("takenstore.blob.core.windows.net", False), ("freestore.blob.core.windows.net", True),
    ("takenstore.z6.web.core.windows.net", False),
    ("taken-tm.trafficmanager.net", False), ("elsewhere.trafficmanager.net", False), ("free-tm.trafficmanager.net", True),
    ("taken-fd.azurefd.net", False), ("free-fd.azurefd.net", True),
    ("taken-cdn.azureedge.net", False), ("free-cdn.azureedge.net", True),
    ("taken-vm.westeurope.cloudapp.azure.com", False), ("free-vm.westeurope.cloudapp.azure.com", True),
]


@pytest.mark.parametrize(("host", "available"), CASES)
async def test_each_action_through_its_sdk_client(endpoints: EmulatorEndpoints, host: str, available: bool) -> None:
    check = check_for(host)
    assert check is not None
    async with azure(endpoints) as clients:
        verdict, detail = await _ask(clients, SUB1, check)
    assert verdict is available
    assert ("AlreadyExists" in detail) is (not available and "cloudapp" not in host)


def test_names_no_action_answers_for() -> None:
    assert check_for("fab-jobs.azurecontainerapps.io") is None
    assert check_for("fab-web-abc123.z01.azurefd.net") is None     # Front Door Standard/Premium: hashed
    assert check_for("slot.app.azurewebsites.net") is None
    assert check_for("vm.westeurope.cloudapp.azure.com") == Check(
        "Microsoft.Network/locations/CheckDnsNameAvailability", "vm", "westeurope")


async def test_a_request_without_a_name_is_a_400_in_arm_shape(endpoints: EmulatorEndpoints) -> None:
    async with azure(endpoints) as clients:
        headers = await bearer(clients, clients.cloud.arm_scope)
        url = (f"https://management.azure.com/subscriptions/{SUB1}/providers/Microsoft.Web/checknameavailability"
               "?api-version=2024-04-01")
        status, _, body = await fetch(clients.session, "POST", url, headers=headers, json_body={})
    assert status == 400 and json.loads(body)["error"]["code"] == "InvalidRequestContent"
