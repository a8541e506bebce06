"""Findings in reading order: worst first, then by rule and subject."""

from __future__ import annotations

from collections.abc import Iterable

from auditor.model.common import Severity
from auditor.model.finding import Finding

SEVERITIES: tuple[Severity, ...] = tuple(sorted(Severity, key=lambda s: -s.rank))


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-f.severity.rank, f.rule, f.subject, f.resource_id))


def by_severity(findings: Iterable[Finding]) -> list[tuple[Severity, list[Finding]]]:
    """Each severity that has findings, worst first."""
    groups: dict[Severity, list[Finding]] = {}
    for finding in ordered(findings):
        groups.setdefault(finding.severity, []).append(finding)
    return [(s, groups[s]) for s in SEVERITIES if s in groups]


def severity_counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts
