"""One escaping layer per output kind: no control character of an estate string reaches a reader raw."""

from __future__ import annotations

import json

import pytest

from auditor.report.escape import (
    json_text,
    log_text,
    md,
    md_cell,
    mermaid_label,
    spreadsheet_cell,
    terminal,
    xml_text,
)

# C0 (NUL, BEL, BS, CR), ESC with CSI and OSC 8 hyperlink, DEL, 8-bit CSI (C1), bidi override and isolate,
# line separator, byte-order mark.
HOSTILE = ("a\x00b\x07c\x08d\re\x1b[2J\x1b[31mred\x1b]8;;https://evil.example\x07link\x1b]8;;\x07"
           "\x7f\x9b31m\u202egnp.exe\u2066x\u2069\u2028\ufeff")
RAW = ["\x00", "\x07", "\x08", "\r", "\x1b", "\x7f", "\x9b", "\u202e", "\u2066", "\u2069", "\u2028", "\ufeff"]


@pytest.mark.parametrize("escape", [terminal, log_text, md, md_cell, mermaid_label, spreadsheet_cell, xml_text])
def test_no_raw_control_character_survives(escape) -> None:  # type: ignore[no-untyped-def]
    out = escape(HOSTILE)
    assert not [ch for ch in RAW if ch in out]
    assert "2J" in out and "gnp.exe" in out          # shown, not silently dropped


def test_visible_escapes_and_kept_lines() -> None:
    assert terminal("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert terminal("x\u202ey") == "x\\u202ey"
    assert terminal("line1\nline2\tcol") == "line1\nline2\tcol"     # table cells keep their lines
    assert log_text("forged\nINFO all good\r") == "forged\\x0aINFO all good\\x0d"


def test_json_stays_the_same_data_but_inert() -> None:
    value = {"name": "a\x9b31m\u202eb\x1bc"}
    dumped = json_text(json.dumps(value, ensure_ascii=False))
    assert json.loads(dumped) == value
    assert not [ch for ch in ("\x9b", "\u202e", "\x1b") if ch in dumped]


def test_spreadsheet_formulas_still_defused() -> None:
    assert spreadsheet_cell("=HYPERLINK(\"https://evil.example\")").startswith("'=")
    assert spreadsheet_cell("@SUM(1)").startswith("'@") and spreadsheet_cell("\r=1") == "\\x0d=1"
