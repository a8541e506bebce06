from auditor.model import Severity

from .factories import AS_OF, app_cert, days, healthy, kv_cert, leaf, probe, with_
from .helpers import run


def test_expired_bound_certificate_is_critical() -> None:
    inv = with_(healthy(), certificates=(kv_cert(not_after=AS_OF - days(2)), app_cert()))
    [finding] = run("cert-expired", inv)
    assert finding.subject == "kv/web"
    assert finding.severity is Severity.CRITICAL
    assert finding.evidence["not_after"] == "2025-09-08T00:00:00Z"
    assert finding.evidence["bound_to"] == ["www.contoso.com"]


def test_expired_unused_certificate_is_high() -> None:
    inv = with_(healthy(), certificates=(*healthy().certificates,
                                         kv_cert("old", names=("old.contoso.com",), thumbprint="C" * 40,
                                                 not_after=AS_OF - days(1))))
    [finding] = run("cert-expired", inv)
    assert (finding.subject, finding.severity) == ("kv/old", Severity.HIGH)


def test_served_expired_certificate_not_in_inventory() -> None:
    inv = with_(healthy(), tls=(probe(served=leaf(thumbprint="D" * 40, not_after=AS_OF - days(1))),))
    [finding] = run("cert-expired", inv)
    assert finding.subject == "www.contoso.com"
    assert finding.evidence["in_inventory"] is False


def test_not_yet_expired_is_not_a_finding() -> None:
    assert run("cert-expired", with_(healthy(), certificates=(kv_cert(not_after=AS_OF + days(1)),))) == []
