from datetime import UTC, datetime

from auditor.normalise.service_helpers import parse_time, subject_names, thumbprint, tls_version


def test_azure_timestamp_quirks() -> None:
    expected = datetime(2025, 1, 1, tzinfo=UTC)
    assert parse_time("2025-01-01T00:00:00-00:00") == expected
    assert parse_time("2025-01-01T00:00:00Z") == expected
    assert parse_time("2025-01-01T00:00:00.0000000Z") == expected
    assert parse_time("2020-12-18T11:11:47+00:00") == datetime(2020, 12, 18, 11, 11, 47, tzinfo=UTC)
    assert parse_time(1735689600) == expected
    assert parse_time("") is None and parse_time(None) is None and parse_time("soon") is None


def test_subject_names() -> None:
    assert subject_names("CN=*.msitesting.net") == ("*.msitesting.net",)
    assert subject_names("O=Contoso, CN=Api.Contoso.com") == ("api.contoso.com",)
    assert subject_names("*.contoso.com") == ("*.contoso.com",)
    assert subject_names("O=No Name") == ()


def test_thumbprint_and_tls_versions() -> None:
    assert thumbprint("abcdef1234567890abcdef1234567890abcdef12") == "ABCDEF1234567890ABCDEF1234567890ABCDEF12"
    assert thumbprint("9833D531D7A45XXXXXA85908BD3692E0BD3F") is None
    assert [tls_version(v) for v in ("TLS12", "TLSv1_0", "1.2", "Tls1_1", "None", None)] == \
        ["1.2", "1.0", "1.2", "1.1", None, None]
