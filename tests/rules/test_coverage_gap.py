from auditor.model import CoverageGap, GapReason, Severity, Source

from .factories import healthy, with_
from .helpers import run


def test_one_finding_per_gap_target() -> None:
    gaps = (CoverageGap(Source.KEYVAULT, "kv-secret", GapReason.FORBIDDEN, "403"),
            CoverageGap(Source.DNS, "www.contoso.com", GapReason.TIMEOUT),
            CoverageGap(Source.TLS, "WWW.contoso.com", GapReason.TIMEOUT))
    findings = run("coverage-gap", with_(healthy(), gaps=gaps))
    assert sorted(f.subject for f in findings) == ["kv-secret", "www.contoso.com"]
    assert all(f.severity is Severity.HIGH for f in findings)
    www = next(f for f in findings if f.subject == "www.contoso.com")
    assert [g["source"] for g in www.evidence["gaps"]] == ["dns", "tls"]


def test_complete_inventory_has_no_gap_findings() -> None:
    assert run("coverage-gap", healthy()) == []


def test_a_zone_acknowledged_as_unlisted_is_information_only() -> None:
    gaps = (CoverageGap(Source.DNS_ZONE, "fabrikam.io", GapReason.NOT_LISTABLE, "", acknowledged=True),
            CoverageGap(Source.DNS_ZONE, "fabrikam.org", GapReason.NOT_LISTABLE, ""))
    findings = {f.subject: f for f in run("coverage-gap", with_(healthy(), gaps=gaps))}
    assert findings["fabrikam.io"].severity is Severity.INFO and findings["fabrikam.io"].evidence["acknowledged"]
    assert findings["fabrikam.org"].severity is Severity.HIGH
