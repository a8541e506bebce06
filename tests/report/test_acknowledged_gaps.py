"""A zone acknowledged as unlisted (dns.unlisted_zones_acknowledged) stays in every report's
coverage section, marked acknowledged, while the audit counts as complete."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from auditor.model import CoverageGap, GapReason, Report, Source
from auditor.report.render import render

NOW = datetime(2025, 9, 10, tzinfo=UTC)
GAP = CoverageGap(Source.DNS_ZONE, "fabrikam.io", GapReason.NOT_LISTABLE, "zone fabrikam.io holds shop.fabrikam.io",
                  acknowledged=True)


def report(*gaps: CoverageGap) -> Report:
    return Report(as_of=NOW, started=NOW, finished=NOW, tenant_id="t", subscriptions=("s",), gaps=gaps,
                  counts={}, findings=())


def test_acknowledged_gaps_are_listed_and_the_report_is_complete() -> None:
    body = json.loads(render(report(GAP), "json"))
    assert body["coverage"]["complete"] is True
    assert body["coverage"]["gaps"] == [{"source": "dns-zone", "target": "fabrikam.io", "reason": "not-listable",
                                         "detail": GAP.detail, "acknowledged": True}]
    markdown = render(report(GAP), "markdown")
    assert "| dns-zone | fabrikam.io | not-listable (acknowledged) |" in markdown
    assert "not-listable (acknowledged)" in render(report(GAP), "html")


def test_an_unacknowledged_gap_still_makes_it_incomplete() -> None:
    other = CoverageGap(Source.DNS_ZONE, "fabrikam.org", GapReason.NOT_LISTABLE, "")
    body = json.loads(render(report(GAP, other), "json"))
    assert body["coverage"]["complete"] is False
    assert "acknowledged" not in body["coverage"]["gaps"][1]
