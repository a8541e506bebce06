from dataclasses import replace

import pytest

from auditor.config import ThresholdsConfig
from auditor.model import Severity

from .factories import AS_OF, config, days, healthy, kv_cert, leaf, probe, with_
from .helpers import run


@pytest.mark.parametrize(("left", "severity"), [
    (3, Severity.CRITICAL), (7, Severity.CRITICAL), (10, Severity.HIGH), (14, Severity.HIGH),
    (20, Severity.MEDIUM), (30, Severity.MEDIUM),
])
def test_day_windows(left: int, severity: Severity) -> None:
    cert = kv_cert(not_before=AS_OF - days(365 - left), not_after=AS_OF + days(left))
    [finding] = run("cert-expiring", with_(healthy(), certificates=(cert,)))
    assert finding.severity is severity
    assert finding.evidence["days_left"] == left


def test_one_year_certificate_with_half_its_life_left_is_fine() -> None:
    cert = kv_cert(not_before=AS_OF - days(200), not_after=AS_OF + days(165))
    assert run("cert-expiring", with_(healthy(), certificates=(cert,))) == []


def test_less_than_a_third_of_a_long_lifetime_left_is_medium() -> None:
    cert = kv_cert(not_before=AS_OF - days(298), not_after=AS_OF + days(100))
    [finding] = run("cert-expiring", with_(healthy(), certificates=(cert,)))
    assert finding.severity is Severity.MEDIUM
    assert "lifetime" in finding.evidence["reason"]


def test_47_day_certificate_by_lifetime_fraction() -> None:
    # Day windows narrowed to 7/10/12: only the lifetime fraction catches 15 of 47 days left.
    cfg = config(thresholds=ThresholdsConfig(critical_days=7, high_days=10, medium_days=12))
    short = kv_cert(not_before=AS_OF - days(32), not_after=AS_OF + days(15))
    [finding] = run("cert-expiring", with_(healthy(), certificates=(short,)), cfg)
    assert finding.severity is Severity.MEDIUM
    assert finding.evidence["reason"].startswith("less than 33%")
    fresh = kv_cert(not_before=AS_OF - days(20), not_after=AS_OF + days(27))
    assert run("cert-expiring", with_(healthy(), certificates=(fresh,)), cfg) == []


def test_served_untracked_certificate_expiring() -> None:
    served = replace(leaf(thumbprint="E" * 40, not_after=AS_OF + days(5)))
    [finding] = run("cert-expiring", with_(healthy(), tls=(probe(served=served),)))
    assert (finding.subject, finding.severity) == ("www.contoso.com", Severity.CRITICAL)


def test_expired_is_not_expiring() -> None:
    assert run("cert-expiring", with_(healthy(), certificates=(kv_cert(not_after=AS_OF - days(1)),))) == []
