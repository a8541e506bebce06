"""The emulator's throttles on a fake clock. Resource Graph: a fixed 5-second window per identity,
resets-after as hh:mm:ss (https://learn.microsoft.com/en-us/azure/governance/resource-graph/concepts/
guidance-for-throttled-requests). ARM: a token bucket refilled every second, Retry-After when empty
(https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/request-limits-and-throttling)."""

from auditor.emulator.http.throttle import QuotaWindow, TokenBuckets, hh_mm_ss


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_hh_mm_ss_rounds_up_so_a_client_never_comes_back_early() -> None:
    assert hh_mm_ss(4.2) == "00:00:05" and hh_mm_ss(0) == "00:00:00" and hh_mm_ss(3725) == "01:02:05"


def test_the_quota_window_refuses_past_the_quota_and_resets_after_5_seconds() -> None:
    clock = Clock()
    window = QuotaWindow(2, clock)
    assert window.take() == (True, {"x-ms-user-quota-remaining": "1", "x-ms-user-quota-resets-after": "00:00:05"})
    clock.now = 1.5
    assert window.take()[0] and window.take() == (
        False, {"x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": "00:00:04"})
    clock.now = 5.0
    assert window.take() == (True, {"x-ms-user-quota-remaining": "1", "x-ms-user-quota-resets-after": "00:00:05"})


def test_the_read_bucket_refills_per_second_and_is_per_subscription() -> None:
    clock = Clock()
    buckets = TokenBuckets(2, 4, clock)
    assert [buckets.take("a")[0] for _ in range(3)] == [True, True, False]
    refused = buckets.take("a")[1]
    assert refused["Retry-After"] == "1" and refused["x-ms-ratelimit-remaining-subscription-reads"] == "0"
    assert buckets.take("b")[0]                        # another subscription, another bucket
    clock.now = 0.25
    assert buckets.take("a")[0] and not buckets.take("a")[0]
    clock.now = 10
    assert buckets.take("a") == (True, {"x-ms-ratelimit-remaining-subscription-reads": "1"})
