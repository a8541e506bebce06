"""The scaling scenario's growth fit and the floors from Azure's limits can report a breach.

Floors: Resource Graph 15 queries per 5 s
(https://learn.microsoft.com/en-us/azure/governance/resource-graph/concepts/guidance-for-throttled-requests),
ARM 250-token bucket refilled 25 a second per subscription
(https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/request-limits-and-throttling).
"""

from __future__ import annotations

import pytest

from auditor.emulator.requestlog import LoggedRequest
from benchmarks.emulator_host import ServedLog
from benchmarks.estate import EstateSize
from benchmarks.floors import Bounds, arg_floor, audit_floor, ratios, stage_floors
from benchmarks.run import parse_args
from benchmarks.scaling import MAX_EXPONENT, growth, growth_check, ratio_growth

SUB_A = "/subscriptions/aaaa/resourceGroups/rg/providers/Microsoft.Web/sites/x"
SUB_B = "/subscriptions/bbbb/resourceGroups/rg/providers/Microsoft.Web/sites/y"


def test_linear_growth_fits_one_and_quadratic_fails_the_bound() -> None:
    sizes = [1.0, 2.0, 4.0, 8.0]
    assert growth(sizes, [3.0 * s for s in sizes]) == pytest.approx(1.0)
    quadratic = growth(sizes, [0.5 * s * s for s in sizes])
    assert quadratic == pytest.approx(2.0) and quadratic > MAX_EXPONENT
    assert growth(sizes, [10.0 + s for s in sizes]) < 1.0      # a fixed start-up cost flattens it


def test_stages_too_short_to_measure_are_not_fitted() -> None:
    assert growth([1.0, 2.0, 4.0], [0.001, 0.002, 0.004]) is None
    assert growth([1.0, 2.0, 4.0], [0.01, 0.2, 0.4]) == pytest.approx(1.0)  # only the measurable pair


def test_resource_graph_floor_is_the_paging_or_the_quota() -> None:
    assert arg_floor(0, 0.05) == 0.0
    assert arg_floor(10, 0.05) == pytest.approx(0.5)            # within the first window: latency
    assert arg_floor(100, 0.05) == pytest.approx(6 * 5.0)       # 100 pages need 7 windows of 15


def test_arm_floor_is_the_busiest_subscriptions_bucket() -> None:
    requests = [LoggedRequest("arm", f"GET {SUB_A}/config/{i}", "200") for i in range(750)]
    requests += [LoggedRequest("arm", f"GET {SUB_B}/config/{i}", "200") for i in range(100)]
    requests += [LoggedRequest("arg", "POST /providers/Microsoft.ResourceGraph/resources", "200")] * 3
    floors = stage_floors(ServedLog(tuple(requests), {}), {"arm": 0.01, "arg": 0.05},
                          Bounds(azure=10, dns=32, tls=16, vaults=1))
    assert floors["arm_collectors"] == pytest.approx((750 - 250) / 25)   # 20 s; latency alone: 0.85 s
    assert floors["resource_graph"] == pytest.approx(0.15)
    assert audit_floor(floors) == pytest.approx(20.0)    # the collectors overlap the pages: the longer counts
    assert ratios({"arm_collectors": 40.0, "dns": 1.0}, floors) == {"arm_collectors": 2.0, "dns": None}


def test_bulk_resources_scale_on_their_own() -> None:
    realistic, base = EstateSize.at_scale(1, bulk_scale=40), EstateSize.at_scale(1)
    assert realistic.bulk_resources == 100_000
    assert (realistic.vaults, realistic.sites, realistic.front_door_domains) == (base.vaults, base.sites,
                                                                                base.front_door_domains)
    assert EstateSize.at_scale(40).bulk_resources == 100_000


@pytest.mark.parametrize(("args", "message"), [
    (["--scale", "-1"], "--scale must be above 0"),
    (["--scenario", "throttled", "--bulk-scale", "2"], "--bulk-scale applies only to"),
])
def test_bad_scales_are_one_clear_usage_error(args: list[str], message: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        parse_args(args)
    assert exited.value.code == 2 and message in capsys.readouterr().err


def test_any_scale_and_a_bulk_scale_are_accepted() -> None:
    args = parse_args(["--scenario", "large-estate", "--scale", "40", "--bulk-scale", "40"])
    assert (args.scale, args.bulk_scale) == (40.0, 40.0)


def _point(seconds: float, floor: float) -> dict:
    return {"stages": {"arm_collectors": seconds}, "floors": {"arm_collectors": floor}}


def test_a_stage_held_at_arm_s_bucket_grows_as_the_bucket_does_and_passes() -> None:
    # 400 reads per unit of S on one subscription: the bucket's floor is (reads - 250) / 25.
    sizes = [1.0, 2.0, 4.0, 8.0]
    floors = [max(0.0, 400 * s - 250) / 25 + 0.5 for s in sizes]
    points = [_point(1.1 * f, f) for f in floors]
    k = growth(sizes, [p["stages"]["arm_collectors"] for p in points])
    assert k is not None and k > MAX_EXPONENT                 # faster than S: Azure's limit
    check = growth_check("arm_collectors", k, ratio_growth(sizes, points, "arm_collectors"))
    assert check.passed, check


def test_a_stage_that_outgrows_its_floor_fails() -> None:
    sizes = [1.0, 2.0, 4.0, 8.0]
    floors = [2.0 * s for s in sizes]
    points = [_point(f * s, f) for f, s in zip(floors, sizes, strict=True)]    # the audit's own cost: quadratic
    k = growth(sizes, [p["stages"]["arm_collectors"] for p in points])
    check = growth_check("arm_collectors", k, ratio_growth(sizes, points, "arm_collectors"))
    assert not check.passed and "over its floor 1.00" in check.detail
    no_floor = growth_check("dns", k, None)
    assert not no_floor.passed
