"""Run one rule the way the audit does: through analyse(), filtered to that rule."""

from __future__ import annotations

from auditor.config import Config
from auditor.core.analyse import analyse
from auditor.model import Finding, Inventory

from .factories import AS_OF, config


def run(rule: str, inv: Inventory, cfg: Config | None = None, as_of=AS_OF) -> list[Finding]:  # type: ignore[no-untyped-def]
    return list(analyse(inv, cfg or config(), as_of, rules=[rule]).findings)
