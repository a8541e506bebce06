"""Accepted risks: an active suppression moves a finding aside; an expired one brings it back, saying so."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from auditor.config import Suppression
from auditor.errors import ConfigError
from auditor.model import Finding
from auditor.normalise.hostnames import normalise
from auditor.rules.registry import CONTRACT_RULE_IDS


@dataclass(frozen=True)
class SuppressedFinding:
    finding: Finding
    suppression: Suppression


def check_suppressions(suppressions: Sequence[Suppression]) -> None:
    """A suppression naming no known rule would silently do nothing: refuse it."""
    for s in suppressions:
        if s.rule not in CONTRACT_RULE_IDS:
            raise ConfigError(f"suppression for {s.subject!r} names unknown rule {s.rule!r}")
        if not s.reason.strip():
            raise ConfigError(f"suppression of {s.rule} for {s.subject!r} needs a reason")


def apply_suppressions(findings: Iterable[Finding], suppressions: Sequence[Suppression],
                       as_of: datetime) -> tuple[list[Finding], list[SuppressedFinding]]:
    """(active findings, suppressed findings). A suppression is active up to and including its
    `expires` date (at the audit's clock)."""
    today = as_of.date()
    active: list[Finding] = []
    suppressed: list[SuppressedFinding] = []
    for finding in findings:
        match = _matching(finding, suppressions)
        live = [s for s in match if s.expires >= today]
        if live:
            suppressed.append(SuppressedFinding(finding, max(live, key=lambda s: s.expires)))
        elif match:
            lapsed = max(match, key=lambda s: s.expires)
            evidence = {**finding.evidence, "suppression_expired": {
                "expires": lapsed.expires.isoformat(), "reason": lapsed.reason}}
            active.append(replace(finding, evidence=evidence))
        else:
            active.append(finding)
    return active, suppressed


def _matching(finding: Finding, suppressions: Sequence[Suppression]) -> list[Suppression]:
    subject = _key(finding.subject)
    return [s for s in suppressions if s.rule == finding.rule and _key(s.subject) == subject]


def _key(subject: str) -> str:
    return subject.strip().lower() if subject.strip().startswith("/") else normalise(subject)
