"""The estate reader: ARM's own quirks load, a broken estate is one clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.errors import EstateError
from auditor.estate.load import load_estate, parse_timestamp, type_from_id

ENDPOINT = ("/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network/frontDoors/fd1/"
            "frontendEndpoints/www")


def write(root: Path, arm: object, faults: object = None) -> Path:
    (root / "arm").mkdir(parents=True)
    (root / "estate.json").write_text(json.dumps({
        "format": "auditor-estate/1", "tenant_id": "t", "as_of": "2025-09-10T00:00:00Z",
        "subscriptions": [{"subscriptionId": "s1", "displayName": "one"}]}))
    (root / "arm" / "objects.json").write_text(json.dumps(arm))
    if faults is not None:
        (root / "faults.json").write_text(json.dumps(faults))
    return root


def test_an_item_without_type_takes_it_from_its_id(tmp_path: Path) -> None:
    # FrontendEndpoints_ListByFrontDoor returns items with no `type`.
    estate = load_estate(write(tmp_path, [{"id": ENDPOINT, "name": "www", "properties": {"hostName": "www.x.com"}}]))
    assert estate.arm[0]["type"] == "Microsoft.Network/frontDoors/frontendEndpoints"


def test_type_from_id() -> None:
    assert type_from_id(ENDPOINT) == "Microsoft.Network/frontDoors/frontendEndpoints"
    assert type_from_id("/subscriptions/s1/resourceGroups/rg") is None


@pytest.mark.parametrize(("arm", "message"), [
    ([{"id": "", "type": "x"}], "non-empty string id"),
    ([{"id": "/subscriptions/s1/resourceGroups/rg"}], "has no type and its id names none"),
])
def test_bad_objects_are_one_error(tmp_path: Path, arm: object, message: str) -> None:
    with pytest.raises(EstateError, match=message):
        load_estate(write(tmp_path, arm))


@pytest.mark.parametrize(("faults", "message"), [
    ({"service": "arm"}, "JSON array"),
    ([{"service": "smtp", "status": 500}], "service must be one of"),
    ([{"service": "arm", "status": 418}], "unsupported status"),
    ([{"service": "arm", "status": 429, "times": -1}], "times must be a whole number"),
])
def test_bad_faults_are_one_error(tmp_path: Path, faults: object, message: str) -> None:
    with pytest.raises(EstateError, match=message):
        load_estate(write(tmp_path, [], faults))


@pytest.mark.parametrize("text", ["2025-01-01T00:00:00Z", "2025-01-01T00:00:00-00:00", "2025-01-01T00:00:00+00:00",
                                  "2025-01-01T00:00:00.0000000Z"])
def test_azure_timestamp_spellings(text: str) -> None:
    assert parse_timestamp(text).isoformat() == "2025-01-01T00:00:00+00:00"
