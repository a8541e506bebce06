"""The in-flight bound: a call waiting on ARM's bucket hands its slot to others, takes it back
before it is sent, and only the task that took a slot can hand it back."""

import asyncio

import pytest

from auditor.collect.in_flight import InFlight, step_aside


async def test_stepping_aside_lets_another_call_in_and_the_bound_holds() -> None:
    slots = InFlight(1)
    order: list[str] = []
    waiting = asyncio.Event()

    async def paced() -> None:
        async with slots:
            async with step_aside():
                waiting.set()
                await asyncio.sleep(0.05)       # waiting for a token: not in flight
                order.append("paced woke")
            order.append("paced sent")

    async def other() -> None:
        await waiting.wait()
        async with slots:
            order.append("other sent")

    await asyncio.gather(paced(), other())
    assert order == ["other sent", "paced woke", "paced sent"]
    assert not slots.locked()                       # every slot given back exactly once
    assert slots._value == 1


async def test_a_task_that_did_not_take_the_slot_cannot_hand_it_back() -> None:
    slots = InFlight(1)
    async with slots:
        async def child() -> None:              # inherits the context, not the slot
            async with step_aside():
                pass

        await asyncio.create_task(child())
        assert slots.locked()
    assert slots._value == 1


async def test_cancelled_while_taking_the_slot_back_never_gives_it_twice() -> None:
    slots = InFlight(1)
    stepped, taken = asyncio.Event(), asyncio.Event()
    release_hog = asyncio.Event()

    async def paced() -> None:
        async with slots, step_aside():
            stepped.set()
            await taken.wait()              # the token came; now it waits for its slot

    async def hog() -> None:
        await stepped.wait()
        async with slots:
            taken.set()
            await release_hog.wait()

    task, holder = asyncio.create_task(paced()), asyncio.create_task(hog())
    await taken.wait()
    await asyncio.sleep(0.01)                   # paced is now blocked taking its slot back
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    release_hog.set()
    await holder
    assert slots._value == 1


async def test_outside_a_slot_stepping_aside_does_nothing() -> None:
    async with step_aside():
        pass
