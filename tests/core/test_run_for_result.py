"""The pipeline's event loop hands back the inventory without rendering it.

asyncio.run on CPython 3.11 and 3.12 calls repr() on a coroutine's result
(https://github.com/python/cpython/issues/112559); for a large Inventory that is seconds of
work and a second copy of the estate as text.
"""

from __future__ import annotations

import asyncio

import pytest

from auditor.core.pipeline import run_for_result


class _Loud:
    reprs = 0

    def __repr__(self) -> str:
        type(self).reprs += 1
        return "_Loud()"


async def _make() -> _Loud:
    await asyncio.sleep(0)
    return _Loud()


def test_the_result_comes_back_without_a_repr() -> None:
    _Loud.reprs = 0
    result = run_for_result(_make())
    assert isinstance(result, _Loud)
    assert _Loud.reprs == 0


def test_an_exception_propagates() -> None:
    async def fail() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        run_for_result(fail())
