"""What every rule declares beside its code, and the shape of a rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime

from auditor.config import Config
from auditor.graph import Graph
from auditor.model import Finding, Severity


@dataclass(frozen=True)
class RuleMetadata:
    id: str
    severity: Severity            # the default; a rule may raise or lower it per finding
    title: str
    checks: str                   # what it checks, in one or two sentences
    rationale: str                # why it matters
    remediation: str              # how to fix it: portal path or `az` command
    references: tuple[str, ...]   # Azure documentation URLs


Check = Callable[[Graph, Config, datetime], list[Finding]]


@dataclass(frozen=True)
class Rule:
    metadata: RuleMetadata
    check: Check

    @property
    def id(self) -> str:
        return self.metadata.id


def metadata_problems(meta: RuleMetadata) -> list[str]:
    """Everything wrong with one rule's metadata; empty when it is complete."""
    problems: list[str] = []
    for f in fields(meta):
        value = getattr(meta, f.name)
        if value is None or (isinstance(value, str | tuple) and not value):
            problems.append(f"{meta.id or '?'}: {f.name} is empty")
    if not isinstance(meta.severity, Severity):
        problems.append(f"{meta.id}: severity must be a Severity")
    for url in meta.references:
        if not url.startswith("https://"):
            problems.append(f"{meta.id}: reference {url!r} is not an https URL")
    if "az " not in meta.remediation and "Portal" not in meta.remediation:
        problems.append(f"{meta.id}: remediation names neither a portal path nor an az command")
    return problems
