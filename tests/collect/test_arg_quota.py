"""Resource Graph quota pacing, on a fake clock: the headers every answer carries decide
when the next query may go (guidance-for-throttled-requests:
https://learn.microsoft.com/en-us/azure/governance/resource-graph/concepts/guidance-for-throttled-requests)."""

import pytest

from auditor.collect.arg_quota import QuotaPacer, parse_timespan


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_timespans_as_resource_graph_writes_them() -> None:
    assert parse_timespan("00:00:03") == 3.0
    assert parse_timespan("1.02:03:04.5") == 86400 + 7384.5
    assert parse_timespan("7") == 7.0
    assert parse_timespan("") is None and parse_timespan("soon") is None and parse_timespan("1:2") is None


async def test_quota_left_means_no_wait_and_used_up_means_waiting_for_the_reset() -> None:
    clock = Clock()
    pacer = QuotaPacer(60, clock.sleep, clock)
    await pacer.before_query()
    pacer.answered({"x-ms-user-quota-remaining": "1", "x-ms-user-quota-resets-after": "00:00:04"})
    await pacer.before_query()
    assert clock.slept == []
    clock.now += 1
    pacer.answered({"x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": "00:00:03"})
    clock.now += 1                                     # one second of work before the next query
    await pacer.before_query()
    assert clock.slept == [2.0] and pacer.queries == 3


async def test_a_429_waits_for_the_reset_bounded_by_the_config() -> None:
    clock = Clock()
    pacer = QuotaPacer(2, clock.sleep, clock)
    await pacer.after_throttle({"x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": "00:00:05"})
    await pacer.after_throttle({})                     # nothing said: Resource Graph's window, bounded
    assert clock.slept == [2, 2] and pacer.throttled == 2


async def test_answers_without_quota_headers_change_nothing() -> None:
    clock = Clock()
    pacer = QuotaPacer(60, clock.sleep, clock)
    pacer.answered({})
    await pacer.before_query()
    assert clock.slept == []


async def test_the_whole_second_the_header_rounds_up_is_not_waited_when_the_window_says_less() -> None:
    # 15 queries from t=100: the window (5 s) ends at 105 at the latest. At 103.8 the header says
    # "00:00:02" (1.2 s, rounded up); waiting it would lose 0.8 s of every window.
    clock = Clock()
    pacer = QuotaPacer(60, clock.sleep, clock)
    for remaining in range(14, -1, -1):
        await pacer.before_query()
        pacer.answered({"x-ms-user-quota-remaining": str(remaining),
                        "x-ms-user-quota-resets-after": "00:00:05" if remaining == 14 else "00:00:02"})
        clock.now = min(clock.now + 0.27, 103.8)
    await pacer.before_query()
    assert clock.slept == [pytest.approx(1.2)]
    # Never earlier than the header allows: a header of 00:00:04 at 103.8 means after 106.8.
    pacer.answered({"x-ms-user-quota-remaining": "0", "x-ms-user-quota-resets-after": "00:00:04"})
    await pacer.before_query()
    assert clock.slept[-1] >= 3.0 - 1e-9
