"""Slack incoming webhook: a fallback `text` and Block Kit blocks."""

from __future__ import annotations

from typing import Any

from auditor.notify.selection import Notification
from auditor.report.escape import neutralise

ICONS = {"critical": ":red_circle:", "high": ":large_orange_circle:", "medium": ":large_yellow_circle:",
         "low": ":large_blue_circle:", "info": ":white_circle:"}


def _escape(text: str) -> str:
    """Slack's mrkdwn control characters; keeps estate text from forming links or mentions."""
    return neutralise(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_payload(note: Notification) -> dict[str, Any]:
    heading = "New findings" if note.only_new else "Findings"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Certificate and domain audit"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _clip(_escape(note.summary), 3000)}},
        {"type": "divider"},
    ]
    for finding in note.listed:
        text = (f"{ICONS[finding.severity.value]} *{finding.severity.value.upper()}* {_escape(finding.title)}\n"
                f"`{_escape(finding.rule)}` {_escape(finding.subject)}\n{_escape(finding.remediation)}")
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _clip(text, 3000)}})
    if note.unlisted:
        blocks.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": f"and {note.unlisted} more in the full report"}]})
    return {"text": _clip(f"{heading}: {note.summary}", 3000), "blocks": blocks}
