"""The contract's exit codes, decided in one place (CONTRACT section 1)."""

from __future__ import annotations

from collections.abc import Iterable

from auditor.model import Finding, Severity

OK = 0
FINDINGS = 1
USAGE = 2
INCOMPLETE = 3


COVERAGE_GAP_RULE = "coverage-gap"


def audit_exit_code(findings: Iterable[Finding], complete: bool, fail_on: Severity) -> int:
    # Gaps answer 3, not 1: their own findings are high, so counting them against --fail-on
    # would hide "could not see everything" behind "findings" at the default threshold.
    if any(f.rule != COVERAGE_GAP_RULE and f.severity.at_least(fail_on) for f in findings):
        return FINDINGS
    return OK if complete else INCOMPLETE


def decommission_exit_code(has_dependents: bool, complete: bool) -> int:
    # Never 0 when coverage is incomplete: "safe" needs a complete view.
    if has_dependents:
        return FINDINGS
    return OK if complete else INCOMPLETE
