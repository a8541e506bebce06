from datetime import UTC, datetime

import pytest

from auditor.normalise.timestamps import parse_time, parse_time_or_none


@pytest.mark.parametrize(("text", "expected"), [
    ("2039-12-31T23:59:59+00:00", datetime(2039, 12, 31, 23, 59, 59, tzinfo=UTC)),
    ("2025-01-01T00:00:00-00:00", datetime(2025, 1, 1, tzinfo=UTC)),
    ("2020-01-01T12:00:00.0000000Z", datetime(2020, 1, 1, 12, tzinfo=UTC)),
    ("2009-06-15T13:45:43.1234567Z", datetime(2009, 6, 15, 13, 45, 43, 123456, tzinfo=UTC)),
    ("2020-03-04T17:33:11.641Z", datetime(2020, 3, 4, 17, 33, 11, 641000, tzinfo=UTC)),
    ("2020-03-04T19:33:11+02:00", datetime(2020, 3, 4, 17, 33, 11, tzinfo=UTC)),
    ("2020-03-04T17:33:11", datetime(2020, 3, 4, 17, 33, 11, tzinfo=UTC)),
])
def test_iso_forms_azure_writes(text: str, expected: datetime) -> None:
    assert parse_time(text) == expected


def test_key_vault_epoch_seconds() -> None:
    assert parse_time(1430344421) == datetime(2015, 4, 29, 21, 53, 41, tzinfo=UTC)
    assert parse_time("2208988799") == datetime(2039, 12, 31, 23, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize("absent", [None, "", "   "])
def test_absent_values(absent: object) -> None:
    assert parse_time(absent) is None


def test_garbage_is_an_error_or_absent_when_asked() -> None:
    with pytest.raises(ValueError):
        parse_time("2022:09-01T00:00Z")
    with pytest.raises(ValueError):
        parse_time(True)
    assert parse_time_or_none("2022:09-01T00:00Z") is None
