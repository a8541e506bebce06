import pytest

from auditor.model import Severity, TlsStatus, TlsVerdict

from .factories import healthy, probe, with_
from .helpers import run


@pytest.mark.parametrize(("status", "verdict", "severity"), [
    (TlsStatus.REFUSED, TlsVerdict.NOT_CHECKED, Severity.HIGH),
    (TlsStatus.TIMEOUT, TlsVerdict.NOT_CHECKED, Severity.HIGH),
    (TlsStatus.OK, TlsVerdict.EXPIRED, Severity.CRITICAL),
    (TlsStatus.OK, TlsVerdict.NAME_MISMATCH, Severity.CRITICAL),
    (TlsStatus.OK, TlsVerdict.INCOMPLETE_CHAIN, Severity.HIGH),
    (TlsStatus.OK, TlsVerdict.UNTRUSTED, Severity.HIGH),
])
def test_broken_bound_endpoint(status: TlsStatus, verdict: TlsVerdict, severity: Severity) -> None:
    [finding] = run("tls-endpoint-broken", with_(healthy(), tls=(probe(status=status, verdict=verdict),)))
    assert (finding.subject, finding.severity) == ("www.contoso.com", severity)


def test_unbound_host_is_not_judged() -> None:
    inv = with_(healthy(), tls=(*healthy().tls, probe("other.contoso.com", status=TlsStatus.REFUSED)))
    assert run("tls-endpoint-broken", inv) == []


@pytest.mark.parametrize(("status", "title"), [
    (TlsStatus.REFUSED, "connection refused"),
    (TlsStatus.RESET, "connection reset during the handshake"),
    (TlsStatus.TIMEOUT, "no answer in time"),
    (TlsStatus.HANDSHAKE_FAILED, "TLS handshake failed"),
    (TlsStatus.NOT_RESOLVED, "the name does not resolve"),
])
def test_one_clear_title_per_failure(status: TlsStatus, title: str) -> None:
    [finding] = run("tls-endpoint-broken", with_(healthy(), tls=(probe(status=status, verdict=TlsVerdict.NOT_CHECKED),)))
    assert finding.title == f"https://www.contoso.com is broken: {title}"


def test_a_check_that_breaks_clients_is_a_finding_on_a_valid_chain_and_is_named() -> None:
    from auditor.model.tls import TlsCheck, TlsCheckName, TlsImpact

    eku = TlsCheck(TlsCheckName.SERVER_AUTH_EKU, TlsImpact.BREAKS_CLIENTS, "no serverAuth")
    weak = TlsCheck(TlsCheckName.WEAK_KEY, TlsImpact.WEAK, "RSA 1024")
    [finding] = run("tls-endpoint-broken", with_(healthy(), tls=(probe(checks=(eku, weak)),)))
    assert finding.title == "https://www.contoso.com is broken: no serverAuth key usage"
    assert finding.evidence["checks"] == [{"check": "server-auth-eku", "detail": "no serverAuth"}]
    assert finding.severity is Severity.HIGH
    assert run("tls-endpoint-broken", with_(healthy(), tls=(probe(checks=(weak,)),))) == []
