from auditor.graph.shell_command import printed_command
from auditor.model import DnsStatus

from .factories import healthy, resolved, with_
from .helpers import run


def test_cname_moved_elsewhere() -> None:
    inv = with_(healthy(), dns=(resolved("www.contoso.com", "new-site.netlify.app"),))
    [finding] = run("stale-custom-domain", inv)
    assert finding.subject == "www.contoso.com"
    assert finding.evidence["chain"] == ["new-site.netlify.app"]
    argv = printed_command(finding.remediation)      # this binding, every value quoted
    assert argv is not None and argv[0] == "az" and "<rg>" not in argv
    assert "www.contoso.com" in argv or "--ids" in argv


def test_name_gone() -> None:
    inv = with_(healthy(), dns=(resolved("WWW.contoso.com.", status=DnsStatus.NXDOMAIN),))
    assert [f.subject for f in run("stale-custom-domain", inv)] == ["www.contoso.com"]


def test_timeouts_and_a_records_are_not_verdicts() -> None:
    assert run("stale-custom-domain", with_(healthy(), dns=(resolved("www.contoso.com", status=DnsStatus.TIMEOUT),))) == []
    assert run("stale-custom-domain", with_(healthy(), dns=(resolved("www.contoso.com"),))) == []
