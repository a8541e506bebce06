"""estate.json's `limits` and per-subscription `access` (CONTRACT section 2): Azure's limits by
default, any subset overridden, anything else one clear error."""

import json
from pathlib import Path

import pytest

from auditor.errors import EstateError
from auditor.estate.limits import Limits
from auditor.estate.load import load_estate


def _estate(root: Path, **meta: object) -> Path:
    root.mkdir()
    body = {"format": "auditor-estate/1", "tenant_id": "t", "as_of": "2025-09-10T00:00:00Z",
            "subscriptions": [{"subscriptionId": "s1"}, {"subscriptionId": "S2", "access": "none"}], **meta}
    (root / "estate.json").write_text(json.dumps(body))
    return root


def test_azures_limits_by_default_and_hidden_subscriptions_named(tmp_path: Path) -> None:
    estate = load_estate(_estate(tmp_path / "e"))
    assert estate.limits == Limits(15, 16 * 1024 * 1024, 250, 25)
    assert estate.hidden_subscription_ids == frozenset({"s2"})


def test_an_estate_may_set_some_limits(tmp_path: Path) -> None:
    estate = load_estate(_estate(tmp_path / "e", limits={"arg_queries_per_5s": 3}))
    assert estate.limits == Limits(arg_queries_per_5s=3)


@pytest.mark.parametrize(("meta", "needle"), [
    ({"limits": {"arg_queries": 3}}, "unknown limits ['arg_queries']"),
    ({"limits": {"arm_reads_bucket": 0}}, "limits.arm_reads_bucket must be a whole number above 0"),
    ({"limits": {"arm_reads_bucket": True}}, "must be a whole number"),
    ({"limits": [15]}, "limits must be an object"),
    ({"subscriptions": [{"subscriptionId": "s1", "access": "read"}]}, "access must be one of ['none']"),
])
def test_bad_limits_or_access_are_one_clear_error(tmp_path: Path, meta: dict, needle: str) -> None:
    with pytest.raises(EstateError, match=None) as caught:
        load_estate(_estate(tmp_path / "e", **meta))
    assert needle in str(caught.value)
