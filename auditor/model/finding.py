"""A rule's verdict about one subject."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from auditor.model.common import Severity


def finding_id(rule: str, subject: str, resource_id: str) -> str:
    """Stable across runs: the same rule, subject and resource give the same id."""
    key = "\n".join((rule, subject.lower(), resource_id.lower()))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    subject: str          # lower-case host name, or `vault/name`, or a resource id
    resource_id: str
    title: str
    remediation: str
    evidence: Mapping[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return finding_id(self.rule, self.subject, self.resource_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rule": self.rule,
            "severity": self.severity.value,
            "subject": self.subject,
            "resource_id": self.resource_id,
            "title": self.title,
            "evidence": dict(self.evidence),
            "remediation": self.remediation,
        }
