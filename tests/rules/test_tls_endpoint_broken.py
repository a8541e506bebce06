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
