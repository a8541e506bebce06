"""The audit's copy of ARM's read bucket (ARM: 250 at once, then 25 a second; ours a little
under), lowered by what ARM says is left (request-limits-and-throttling)."""

import asyncio
import time as _time

from auditor.collect.arm_pacing import ReadBuckets, _use_prepaid, prepaid, subscription_of


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
            buckets.answered("sub-a", await buckets.take("sub-a"), None)   # answered at once

    asyncio.run(take(240))
    assert time.now == 0.0                    # the burst (a little under ARM's 250) costs nothing
    asyncio.run(take(48))
    assert abs(time.now - 2.0) < 1e-6         # 48 more at 24 a second (ARM: 25)
    asyncio.run(take(1))
    assert buckets.waited > 2.0


def test_subscriptions_have_buckets_of_their_own_and_arm_s_count_wins_when_lower() -> None:
    time = FakeTime()
    buckets = ReadBuckets(clock=time.clock, sleep=time.sleep)
    buckets.answered("sub-a", asyncio.run(buckets.take("sub-a")), 0)   # another client emptied it
    asyncio.run(buckets.take("sub-b"))
    assert time.now == 0.0
    asyncio.run(buckets.take("sub-a"))
    assert abs(time.now - 1 / 24) < 1e-6      # one token's refill
    buckets.answered("sub-b", 2, 10_000)      # a higher count never adds tokens
    assert buckets._level("sub-b") <= 240


def test_an_answer_s_count_is_lowered_by_the_requests_sent_after_it_still_on_their_way() -> None:
    time = FakeTime()
    buckets = ReadBuckets(clock=time.clock, sleep=time.sleep)
    tickets = asyncio.run(_take(buckets, 50))
    buckets.answered("sub-a", tickets[9], 200)    # counted with the 9 before it, maybe not the 40 after
    assert buckets.in_flight("sub-a") == 49
    assert buckets._level("sub-a") == 160
    buckets.answered("sub-a", tickets[0], 300)    # an older count lowers nothing
    assert buckets._level("sub-a") == 160


def test_the_bucket_never_holds_more_than_its_size_less_the_requests_on_their_way() -> None:
    time = FakeTime()
    buckets = ReadBuckets(clock=time.clock, sleep=time.sleep)
    tickets = asyncio.run(_take(buckets, 240))
    time.now += 100.0                         # none answered: they may all arrive at once
    assert buckets._level("sub-a") == 0.0
    for ticket in tickets[:10]:
        buckets.answered("sub-a", ticket, None)   # no header (a timeout): the tokens stay spent
    assert buckets._level("sub-a") == 10.0


def test_requests_held_on_the_way_and_let_through_together_meet_no_429() -> None:
    # ARM counts a request when it arrives. Here every request waits at a gate that opens
    # every 0.2 s, so what was sent in between arrives at once; 64 callers keep asking.
    # ARM's bucket: 25, refilled at 250 a second; ours: 24 at 240 (the same ratio as 250/25
    # against 240/24). Counting only tokens, the audit would send 72 in a closed gate's time.
    arm = _ExactBucket(size=25, rate=250.0)
    buckets = ReadBuckets(size=24, per_second=240.0)
    refused = asyncio.run(_gated_run(arm, buckets, seconds=1.0))
    assert arm.admitted > 100                 # the audit kept asking: a silent bucket proves nothing
    assert refused == 0


class _ExactBucket:
    def __init__(self, size: int, rate: float) -> None:
        self.size, self.rate = float(size), rate
        self.tokens, self.at = float(size), _time.monotonic()
        self.admitted = 0

    def take(self) -> int | None:
        now = _time.monotonic()
        self.tokens = min(self.size, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens < 1.0:
            return None
        self.tokens -= 1.0
        self.admitted += 1
        return int(self.tokens)


async def _gated_run(arm: _ExactBucket, buckets: ReadBuckets, seconds: float) -> int:
    gate = asyncio.Event()
    refused = 0
    end = _time.monotonic() + seconds

    async def caller() -> None:
        nonlocal refused
        while _time.monotonic() < end:
            ticket = await buckets.take("sub-a")
            await gate.wait()
            remaining = arm.take()
            refused += remaining is None
            buckets.answered("sub-a", ticket, 0 if remaining is None else remaining)
            await asyncio.sleep(0)

    async def gatekeeper() -> None:
        while _time.monotonic() < end + 0.3:
            gate.clear()
            await asyncio.sleep(0.2)
            gate.set()
            await asyncio.sleep(0.001)

    keeper = asyncio.ensure_future(gatekeeper())
    await asyncio.gather(*(caller() for _ in range(64)))
    keeper.cancel()
    return refused


async def _take(buckets: ReadBuckets, n: int) -> list[int]:
    return [await buckets.take("sub-a") for _ in range(n)]


def test_the_subscription_comes_from_the_request_path() -> None:
    assert subscription_of("https://management.azure.com/subscriptions/ABC/resourceGroups/x?api-version=1") == "abc"
    assert subscription_of("https://management.azure.com/providers/Microsoft.ResourceGraph/resources") is None
    assert subscription_of("https://management.azure.com/subscriptions?api-version=2022-12-01") is None


def test_a_prepaid_token_is_taken_before_the_call_and_used_by_its_first_request_only() -> None:
    time = FakeTime()
    buckets = ReadBuckets(size=2, per_second=1.0, clock=time.clock, sleep=time.sleep)
    site = "/subscriptions/SUB-A/resourceGroups/rg/providers/Microsoft.Web/sites/app"

    async def call() -> tuple[int | None, int | None]:
        async with prepaid(buckets, site):
            assert buckets.in_flight("sub-a") == 1        # on its way from the moment it is paid
            first, second = _use_prepaid("sub-a"), _use_prepaid("sub-a")
            if first is not None:
                buckets.answered("sub-a", first, None)
            return first, second

    first, second = asyncio.run(call())
    assert first is not None and second is None            # a second page takes a token of its own
    asyncio.run(call())
    assert time.now == 0.0                                  # two tokens, no wait
    asyncio.run(call())
    assert abs(time.now - 1.0) < 1e-6                       # the third waited for the refill, before the call
    assert buckets.in_flight("sub-a") == 0


def test_a_prepaid_token_no_request_used_stays_spent_and_is_not_on_its_way() -> None:
    time = FakeTime()
    buckets = ReadBuckets(size=2, per_second=1.0, clock=time.clock, sleep=time.sleep)

    async def unused() -> None:
        async with prepaid(buckets, "/subscriptions/sub-a/resourceGroups/rg"):
            pass

    asyncio.run(unused())
    assert buckets.in_flight("sub-a") == 0
    assert buckets._level("sub-a") == 1.0


def test_callers_wait_in_line_so_each_token_wakes_one_of_them() -> None:
    # At S=40 thousands of paced calls wait on one subscription's bucket; if every waiter
    # watched the clock, every token would wake all of them (quadratic in the waiters).
    sleeps = 0

    async def counted_sleep(seconds: float) -> None:
        nonlocal sleeps
        sleeps += 1
        await asyncio.sleep(seconds)

    buckets = ReadBuckets(size=1, per_second=2000.0, sleep=counted_sleep)

    async def one() -> int:
        ticket = await buckets.take("sub-a")
        buckets.answered("sub-a", ticket, None)      # answered at once
        return ticket

    async def run() -> list[int]:
        return list(await asyncio.gather(*(one() for _ in range(300))))

    tickets = asyncio.run(run())
    assert sorted(tickets) == list(range(1, 301))       # every caller got its own token
    assert sleeps <= 2 * 300                             # not one wake per waiter per token


def test_a_caller_that_finds_a_token_does_not_pass_the_ones_waiting_in_line() -> None:
    time = FakeTime()
    gate = None

    async def held_sleep(seconds: float) -> None:     # the one in line sleeps until let go
        await gate.wait()
        time.now += seconds

    buckets = ReadBuckets(size=1, per_second=10.0, clock=time.clock, sleep=held_sleep)

    async def run() -> tuple[int | None, int]:
        nonlocal gate
        gate = asyncio.Event()
        buckets.answered("sub-a", buckets.try_take("sub-a") or 0, None)   # the burst is spent
        waiting = asyncio.ensure_future(buckets.take("sub-a"))
        await asyncio.sleep(0)                       # it is in line, watching the clock
        time.now += 0.5                              # tokens are back before it wakes
        jumped = buckets.try_take("sub-a")
        if jumped is not None:
            buckets.answered("sub-a", jumped, None)
        gate.set()
        return jumped, await waiting

    jumped, ticket = asyncio.run(run())
    assert jumped is None and ticket == 2
