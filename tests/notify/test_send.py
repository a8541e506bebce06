from __future__ import annotations

import dataclasses
import logging
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from report.factories import AS_OF, HOSTILE, finding, report, sample_report

from auditor.config import Config, NotifyConfig, Webhook, default_config
from auditor.history import SqliteHistoryStore
from auditor.model.common import Severity
from auditor.notify import send

from .receiver import receiver, refused_url

TEXT_ELEMENTS = {"TextBlock", "FactSet", "Container"}


def _config(*hooks: Webhook, min_severity: Severity = Severity.HIGH, only_new: bool = True) -> Config:
    return dataclasses.replace(default_config(), notify=NotifyConfig(min_severity=min_severity, only_new=only_new,
                                                                     webhooks=hooks))


def _check_card_element(element: dict[str, Any]) -> None:
    assert element["type"] in TEXT_ELEMENTS
    if element["type"] == "TextBlock":
        assert isinstance(element["text"], str) and element["text"]
    elif element["type"] == "FactSet":
        assert all(isinstance(f["title"], str) and isinstance(f["value"], str) for f in element["facts"])
    else:
        for item in element["items"]:
            _check_card_element(item)


def _check_teams(payload: dict[str, Any]) -> dict[str, Any]:
    assert payload["type"] == "message"
    (attachment,) = payload["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    for element in card["body"]:
        _check_card_element(element)
    return card


def _check_slack(payload: dict[str, Any]) -> None:
    assert isinstance(payload["text"], str) and payload["text"]
    blocks = payload["blocks"]
    assert 0 < len(blocks) <= 50
    assert blocks[0]["type"] == "header" and blocks[0]["text"]["type"] == "plain_text"
    assert len(blocks[0]["text"]["text"]) <= 150
    for block in blocks[1:]:
        assert block["type"] in {"section", "divider", "context"}
        if block["type"] == "section":
            assert block["text"]["type"] == "mrkdwn" and 0 < len(block["text"]["text"]) <= 3000


async def test_each_service_gets_the_payload_it_expects() -> None:
    async with receiver() as hooks:
        config = _config(Webhook("teams", url=hooks.url("teams")), Webhook("slack", url=hooks.url("slack")),
                         Webhook("json", url_env="AUDIT_HOOK"))
        warnings = await send(sample_report(), None, config, env={"AUDIT_HOOK": hooks.url("generic")})
    assert warnings == []
    card = _check_teams(hooks.received["teams"][0])
    containers = [e for e in card["body"] if e["type"] == "Container"]
    assert len(containers) == 5        # 4 critical + 1 high; without history every finding at or above high
    assert containers[0]["items"][0]["color"] == "Attention"
    _check_slack(hooks.received["slack"][0])
    generic = hooks.received["generic"][0]
    assert generic["schema"] == "auditor-notification/1"
    assert generic["summary"]["by_severity"]["critical"] == 4 and generic["summary"]["coverage_complete"] is False
    assert [f["severity"] for f in generic["findings"]] == ["critical"] * 4 + ["high"]


async def test_only_new_findings_at_or_above_min_severity(tmp_path: Path) -> None:
    store = SqliteHistoryStore(tmp_path / "h.sqlite")
    old = finding(subject="old.contoso.com", severity=Severity.CRITICAL)
    store.record(report([old]))
    fresh_high = finding(subject="fresh.contoso.com", severity=Severity.HIGH)
    fresh_low = finding(subject="minor.contoso.com", severity=Severity.LOW)
    current = report([old, fresh_high, fresh_low], as_of=AS_OF + timedelta(days=7))
    diff = store.record(current)
    async with receiver() as hooks:
        await send(current, diff, _config(Webhook("json", url=hooks.url("generic"))))
        await send(current, diff, _config(Webhook("json", url=hooks.url("everything")),
                                          min_severity=Severity.LOW, only_new=False))
        # Nothing new at or above critical: nothing is sent.
        await send(current, diff, _config(Webhook("json", url=hooks.url("quiet")), min_severity=Severity.CRITICAL))
    (payload,) = hooks.received["generic"]
    assert [f["subject"] for f in payload["findings"]] == ["fresh.contoso.com"]
    assert payload["findings"][0]["new"] is True
    assert "2 new, 0 resolved since the previous run" in payload["summary"]["text"]
    assert len(hooks.received["everything"][0]["findings"]) == 3
    assert "quiet" not in hooks.hits


async def test_failing_webhooks_are_warnings_without_the_url(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    refused = refused_url()
    async with receiver() as hooks:
        config = _config(Webhook("teams", url=hooks.url("fail")), Webhook("slack", url=hooks.url("slow")),
                         Webhook("json", url=refused), Webhook("json", url=hooks.url("forbidden")),
                         Webhook("teams", url_env="MISSING_HOOK"), Webhook("json", url=hooks.url("ok")))
        started = time.monotonic()
        warnings = await send(sample_report(), None, config, timeout=0.3, env={}, max_wait=0.1)
        elapsed = time.monotonic() - started
    assert warnings == [
        "teams webhook #1 failed: HTTP 500",
        "slack webhook #2 failed: timed out after 0.3 s",
        "json webhook #3 failed: cannot connect",
        "json webhook #4 failed: HTTP 403",
        "teams webhook #5 not sent: environment variable MISSING_HOOK is not set",
    ]
    assert hooks.hits["fail"] == 3 and hooks.hits["forbidden"] == 1     # 5xx retried, 4xx not
    assert len(hooks.received["ok"]) == 1
    assert elapsed < 5
    for secret in (hooks.base, refused, "127.0.0.1"):
        assert all(secret not in w for w in warnings)
        assert secret not in caplog.text


async def test_retry_after_is_honoured() -> None:
    async with receiver() as hooks:
        started = time.monotonic()
        warnings = await send(sample_report(), None, _config(Webhook("slack", url=hooks.url("throttled"))))
        elapsed = time.monotonic() - started
    assert warnings == [] and hooks.hits["throttled"] == 2 and len(hooks.received["throttled"]) == 1
    assert 0.2 <= elapsed < 2


async def test_estate_text_cannot_form_links_or_mentions() -> None:
    evil = report([finding(severity=Severity.CRITICAL, title=f"{HOSTILE} <!channel> <https://evil|click>")])
    async with receiver() as hooks:
        await send(evil, None, _config(Webhook("slack", url=hooks.url("slack")),
                                       Webhook("teams", url=hooks.url("teams"))))
    slack_text = str(hooks.received["slack"][0]["blocks"])
    assert "<!channel>" not in slack_text and "<https://evil" not in slack_text and "&lt;!channel&gt;" in slack_text
    teams_text = str(hooks.received["teams"][0])
    assert "[x](javascript" not in teams_text and "\\\\[x\\\\]\\\\(javascript" in teams_text
