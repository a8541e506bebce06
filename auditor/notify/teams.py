"""Microsoft Teams through a Workflows webhook: a message carrying an Adaptive Card 1.4."""

from __future__ import annotations

from typing import Any

from auditor.notify.selection import Notification
from auditor.report.escape import neutralise

COLOURS = {"critical": "Attention", "high": "Attention", "medium": "Warning", "low": "Accent", "info": "Default"}


def _plain(text: str) -> str:
    """Adaptive Card TextBlocks render a Markdown subset: keep estate text from forming links or emphasis."""
    return "".join(f"\\{ch}" if ch in "*_[]()`#>" else ch for ch in neutralise(text))


def teams_payload(note: Notification) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": "Certificate and domain audit", "weight": "Bolder", "size": "Medium",
         "wrap": True},
        {"type": "TextBlock", "text": _plain(note.summary), "wrap": True},
    ]
    heading = "New findings" if note.only_new else "Findings"
    body.append({"type": "TextBlock", "text": f"{heading} ({len(note.findings)})", "weight": "Bolder",
                 "separator": True, "wrap": True})
    for finding in note.listed:
        body.append({"type": "Container", "separator": True, "items": [
            {"type": "TextBlock", "wrap": True, "weight": "Bolder", "color": COLOURS[finding.severity.value],
             "text": _plain(f"{finding.severity.value.upper()} · {finding.title}")},
            {"type": "FactSet", "facts": [
                {"title": "rule", "value": _plain(finding.rule)},
                {"title": "subject", "value": _plain(finding.subject)},
                {"title": "resource", "value": _plain(finding.resource_id)},
            ]},
            {"type": "TextBlock", "wrap": True, "isSubtle": True, "text": _plain(finding.remediation)},
        ]})
    if note.unlisted:
        body.append({"type": "TextBlock", "wrap": True, "isSubtle": True,
                     "text": f"and {note.unlisted} more in the full report"})
    card = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
            "version": "1.4", "body": body, "msteams": {"width": "Full"}}
    return {"type": "message",
            "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None,
                             "content": card}]}
