from auditor.graph.shell_command import printed_command
from auditor.model import CoverageGap, DnsStatus, GapReason, Severity, Source

from .factories import healthy, record, resolved, with_
from .helpers import run


def test_cname_to_deleted_app_that_does_not_resolve() -> None:
    inv = with_(healthy(),
                dns_records=(*healthy().dns_records, record("old.contoso.com", "CNAME", "gone.azurewebsites.net.")),
                dns=(*healthy().dns, resolved("gone.azurewebsites.net", status=DnsStatus.NXDOMAIN)))
    [finding] = run("dangling-dns", inv)
    assert (finding.subject, finding.severity) == ("old.contoso.com", Severity.CRITICAL)
    assert finding.evidence["target"] == "gone.azurewebsites.net"
    argv = printed_command(finding.remediation)      # the exact record set, not `-g <rg> -z <zone>`
    assert argv is not None and argv[:6] == ["az", "network", "dns", "record-set", "cname", "delete"]
    assert argv[argv.index("-z") + 1] == "contoso.com" and argv[argv.index("-n") + 1] == "old"


def test_resolving_azure_name_no_resource_owns() -> None:
    inv = with_(healthy(), dns_records=(*healthy().dns_records,
                                        record("Blob.Contoso.com", "CNAME", "acct.blob.core.windows.net")))
    [finding] = run("dangling-dns", inv)
    assert (finding.subject, finding.severity) == ("blob.contoso.com", Severity.HIGH)
    gapped = with_(inv, gaps=(CoverageGap(Source.ARG, "sub-2", GapReason.FORBIDDEN),))
    assert run("dangling-dns", gapped)[0].severity is Severity.MEDIUM
    hidden = with_(inv, gaps=(CoverageGap(Source.SUBSCRIPTION, "sub-3", GapReason.FORBIDDEN),))
    assert run("dangling-dns", hidden)[0].severity is Severity.MEDIUM    # the owner may be in sub-3


def test_observed_chain_outside_azure_dns() -> None:
    inv = with_(healthy(), dns=(*healthy().dns, resolved("shop.contoso.org", "shop-fd.azurefd.net",
                                                         status=DnsStatus.NXDOMAIN)))
    [finding] = run("dangling-dns", inv)
    assert finding.subject == "shop.contoso.org"
    assert finding.evidence["via"] == "observed"
    assert printed_command(finding.remediation) is None      # not in Azure DNS: the generic template only


def test_alias_to_missing_resource() -> None:
    alias = record("contoso.com", "A", target_resource_id="/subscriptions/s/resourceGroups/rg/providers/"
                   "Microsoft.Network/publicIPAddresses/gone")
    [finding] = run("dangling-dns", with_(healthy(), dns_records=(alias,)))
    assert finding.evidence["via"] == "alias"


def test_azure_internal_hops_and_non_azure_targets_are_ignored() -> None:
    inv = with_(healthy(), dns=(resolved("www.contoso.com", "app.azurewebsites.net",
                                         "waws-prod-am2-1.sip.azurewebsites.windows.net",
                                         "waws-prod-am2-1.westeurope.cloudapp.azure.com"),),
                dns_records=(record("mail.contoso.com", "CNAME", "mail.example.net"),))
    assert run("dangling-dns", inv) == []
