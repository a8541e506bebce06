"""A rule's verdict about one subject."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from auditor.model.common import Severity


def finding_id(rule: str, subject: str, resource_id: str) -> str:
    """Stable across runs: the same rule, subject and owning resource give the same id.

    The resource is keyed by its owner (`owning_resource`), not the child that happened to
    be read: a host name's finding keeps its id whether its binding or only its site could
    be read this run, so suppressions, history diffs and notifications do not churn."""
    key = "\n".join((rule, subject.lower(), owning_resource(resource_id)))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


# Child types that are resources of their own in the inventory (Resource Graph lists them).
_OWNING_CHILD_TYPES = frozenset({"slots"})


def owning_resource(resource_id: str) -> str:
    """`/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app/hostNameBindings/x`
    -> the site's id, lower-case; a slot stays a slot. Ids that are not ARM ids are kept whole."""
    lowered = resource_id.lower().rstrip("/")
    parts = lowered.split("/")
    if "providers" not in parts:
        return lowered
    at = len(parts) - 1 - parts[::-1].index("providers")
    keep = at + 4                         # providers/<namespace>/<type>/<name>
    while keep + 1 < len(parts) and parts[keep] in _OWNING_CHILD_TYPES:
        keep += 2
    return "/".join(parts[:keep])


@dataclass(frozen=True, slots=True)
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
