"""The audit's copy of ARM's read bucket (ARM: 250 at once, then 25 a second; ours a little
under), lowered by what ARM says is left (request-limits-and-throttling)."""

import asyncio

from auditor.collect.arm_pacing import ReadBuckets, subscription_of


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_full_bucket_then_the_refill_rate() -> None:
    time = FakeTime()
    buckets = ReadBuckets(clock=time.clock, sleep=time.sleep)

    async def take(n: int) -> None:
        for _ in range(n):
            await buckets.take("sub-a")

    asyncio.run(take(240))
    assert time.now == 0.0                    # the burst (a little under ARM's 250) costs nothing
    asyncio.run(take(48))
    assert abs(time.now - 2.0) < 1e-6         # 48 more at 24 a second (ARM: 25)
    asyncio.run(take(1))
    assert buckets.waited > 2.0


def test_subscriptions_have_buckets_of_their_own_and_arm_s_count_wins_when_lower() -> None:
    time = FakeTime()
    buckets = ReadBuckets(clock=time.clock, sleep=time.sleep)
    buckets.observe("sub-a", 0)               # another client of the identity emptied it
    asyncio.run(buckets.take("sub-b"))
    assert time.now == 0.0
    asyncio.run(buckets.take("sub-a"))
    assert abs(time.now - 1 / 24) < 1e-6      # one token's refill
    buckets.observe("sub-b", 10_000)          # a higher count never adds tokens
    assert buckets._level("sub-b") <= 240


def test_the_subscription_comes_from_the_request_path() -> None:
    assert subscription_of("https://management.azure.com/subscriptions/ABC/resourceGroups/x?api-version=1") == "abc"
    assert subscription_of("https://management.azure.com/providers/Microsoft.ResourceGraph/resources") is None
    assert subscription_of("https://management.azure.com/subscriptions?api-version=2022-12-01") is None
