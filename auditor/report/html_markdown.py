"""The little Markdown that rule texts use (`code`, **bold**, [text](https://...)) rendered as HTML.
Everything is escaped first, so an estate string can never become markup; only the patterns below
are turned back into tags."""

from __future__ import annotations

import re
from html import escape

_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_LINK = re.compile(r"\[([^\]]+)\]\((https://[^)\s\"'<>]+)\)")


def inline_markdown(text: object) -> str:
    # Code spans first, kept aside, so nothing inside them is read as bold or a link.
    spans: list[str] = []

    def keep(match: re.Match[str]) -> str:
        spans.append(f"<code>{match.group(1)}</code>")
        return f"\x00{len(spans) - 1}\x00"

    value = _CODE.sub(keep, escape(str(text).replace("\x00", ""), quote=True))
    value = _BOLD.sub(r"<b>\1</b>", value)
    value = _LINK.sub(r'<a href="\2" rel="noreferrer">\1</a>', value)
    return re.sub("\x00(\\d+)\x00", lambda m: spans[int(m.group(1))], value)
