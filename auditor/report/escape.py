"""Estate strings made inert for each output: Markdown, Mermaid, spreadsheets."""

from __future__ import annotations

import re

_MD_PUNCT = re.compile(r"([\\`*_\[\]|#!~])")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")


def md(text: object) -> str:
    """Inline Markdown text: markup characters escaped, HTML turned into entities so it renders inert."""
    value = _CONTROL.sub("", str(text))
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _MD_PUNCT.sub(r"\\\1", value)
    return _LINE_BREAKS.sub(" ", value)


def md_cell(text: object) -> str:
    """A Markdown table cell: as `md`, with line breaks kept as <br> so the row stays one line."""
    value = _CONTROL.sub("", str(text))
    lines = _LINE_BREAKS.split(value)
    return "<br>".join(md(line) for line in lines)


def mermaid_label(text: object) -> str:
    """A Mermaid node label inside double quotes: quotes, markup and fences become entity codes."""
    value = _LINE_BREAKS.sub(" ", _CONTROL.sub("", str(text)))
    replacements = {"#": "#35;", "&": "#38;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "`": "#96;",
                    "[": "#91;", "]": "#93;", "{": "#123;", "}": "#125;", "(": "#40;", ")": "#41;",
                    "|": "#124;", ";": "#59;"}
    return "".join(replacements.get(ch, ch) for ch in value)


def terminal(text: object) -> str:
    """Terminal text without control characters, so no estate string can move the cursor or recolour."""
    return _CONTROL.sub("", str(text).replace("\x1b", ""))


def spreadsheet_cell(text: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    value = str(text)
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
