"""Estate strings made inert for each output, one function per output kind.

Every string that came from the estate (names, tags, setting names, host names, certificate
subjects, details) passes through the function for the output it is written to:

- `terminal`: the table views. Control characters become visible `\\xNN` escapes.
- `md`, `md_cell`, `mermaid_label`: Markdown and Mermaid.
- `spreadsheet_cell`: CSV cells, also defused as formulas.
- `log_text`: one log or error line; line breaks are escaped too, so no entry can be forged.
- `json_text`: a JSON document already dumped with `ensure_ascii=False`.
- `xml_text`: JUnit XML text, control characters dropped.
- HTML uses `html.escape` through Jinja's autoescape.

"Control characters" are C0 (but tab and line feed where a format keeps lines), DEL, C1 (which
holds the 8-bit CSI and OSC), the bidirectional embeddings, overrides, isolates and marks that
reorder what a reader sees, the Unicode line and paragraph separators and the byte-order mark.
ESC and CR are C0, so ANSI colours, OSC hyperlinks, "clear screen" and overwriting a line by
returning the carriage all become text.
"""

from __future__ import annotations

import re

_MD_PUNCT = re.compile(r"([\\`*_\[\]|#!~])")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
_BIDI_AND_SEPARATORS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff"
_UNSAFE_KEEP_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}]")
_UNSAFE = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}]")
# In a dumped JSON document: what json.dumps(ensure_ascii=False) leaves raw (C0 it always escapes).
_UNSAFE_IN_JSON = re.compile(f"[\x7f-\x9f{_BIDI_AND_SEPARATORS}]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def neutralise(text: object, *, keep_lines: bool = True) -> str:
    """Every control character as a visible escape; tab and line feed kept when `keep_lines`."""
    return (_UNSAFE_KEEP_LINES if keep_lines else _UNSAFE).sub(_visible, str(text))


def md(text: object) -> str:
    """Inline Markdown text: markup characters escaped, HTML turned into entities so it renders inert."""
    value = _LINE_BREAKS.sub(" ", str(text))
    value = neutralise(value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_PUNCT.sub(r"\\\1", value)


def md_cell(text: object) -> str:
    """A Markdown table cell: as `md`, with line breaks kept as <br> so the row stays one line."""
    return "<br>".join(md(line) for line in _LINE_BREAKS.split(str(text)))


def mermaid_label(text: object) -> str:
    """A Mermaid node label inside double quotes: quotes, markup and fences become entity codes."""
    value = neutralise(_LINE_BREAKS.sub(" ", str(text)), keep_lines=False)
    replacements = {"#": "#35;", "&": "#38;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "`": "#96;",
                    "[": "#91;", "]": "#93;", "{": "#123;", "}": "#125;", "(": "#40;", ")": "#41;",
                    "|": "#124;", ";": "#59;", "\\": "#92;"}
    return "".join(replacements.get(ch, ch) for ch in value)


def terminal(text: object) -> str:
    """Terminal text in which no estate string can move the cursor, recolour, link or reorder."""
    return neutralise(text)


def log_text(text: object) -> str:
    """One log or error line: as `terminal`, and line breaks escaped so no entry can be forged."""
    return neutralise(text, keep_lines=False)


def json_text(dumped: str) -> str:
    """A JSON document with DEL, C1 and bidirectional characters as \\uXXXX: the same data, inert on a terminal."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group(0)):04x}", dumped)


def xml_text(text: object) -> str:
    """JUnit XML text: control characters dropped (XML 1.0 cannot carry most C0 at all), non-characters too."""
    return _UNSAFE_KEEP_LINES.sub("", str(text)).replace("\ufffe", "").replace("\uffff", "")


def spreadsheet_cell(text: object) -> str:
    """A CSV cell with no control characters that a spreadsheet will not run as a formula."""
    value = neutralise(text)
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
