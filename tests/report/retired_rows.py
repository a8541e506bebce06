"""The retired-domain view read back out of a rendered HTML or Markdown report, to compare with
what `auditor decommission check` lists for the same domain."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from auditor.model.report import DecommissionResult

Row = tuple[str, str, str]   # (kind, host name, full resource id)


@dataclass
class Section:
    heading: str = ""
    rows: list[Row] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)       # the table's headings
    cells: list[list[str]] = field(default_factory=list)   # every cell's text, row by row

    @property
    def count(self) -> int:
        match = re.search(r"still used by (\d+) dependent", self.heading)
        assert match, self.heading
        return int(match.group(1))


class _RetiredParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, Section] = {}
        self._section: Section | None = None
        self._in: str | None = None        # "h2", "td", "rid"
        self._cells: list[str] | None = None
        self._rid = ""
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and "retired" in (a.get("class") or "").split():
            self._section = self.sections.setdefault(str(a.get("id")), Section())
        elif self._section is None:
            return
        elif tag == "h2":
            self._in, self._text = "h2", ""
        elif tag == "th":
            self._in, self._text = "th", ""
        elif tag == "tr" and a.get("class") == "dependent":
            self._cells, self._rid = [], ""
        elif tag == "td" and self._cells is not None:
            self._in, self._text = "td", ""
        elif tag == "code" and a.get("class") == "rid":
            self._in, self._rid = "rid", ""

    def handle_endtag(self, tag: str) -> None:
        if self._section is None:
            return
        if tag == "section":
            self._section = None
        elif tag == "h2" and self._in == "h2":
            self._section.heading, self._in = self._text, None
        elif tag == "th" and self._in == "th":
            self._section.columns.append(self._text.strip())
            self._in = None
        elif tag == "code" and self._in == "rid":
            self._in = "td"
        elif tag == "td" and self._cells is not None:
            self._cells.append(self._text.strip())
            self._in = None
        elif tag == "tr" and self._cells is not None:
            self._section.rows.append((self._cells[0], self._cells[1], self._rid))
            self._section.cells.append(self._cells)
            self._cells = None

    def handle_data(self, data: str) -> None:
        if self._in == "rid":
            self._rid += data
        elif self._in in ("h2", "th", "td"):
            self._text += data


def html_sections(page: str) -> dict[str, Section]:
    """Each retired section of an HTML report, by its in-page id."""
    parser = _RetiredParser()
    parser.feed(page)
    return parser.sections


def markdown_sections(text: str) -> dict[str, Section]:
    """Each `## Retired X` section of a Markdown report, by X, with its table rows."""
    out: dict[str, Section] = {}
    for block in re.split(r"^## ", text, flags=re.M)[1:]:
        heading, _, body = block.partition("\n")
        if not heading.startswith("Retired "):
            continue
        name = _unescape(heading.removeprefix("Retired ").split(":", 1)[0])
        rows = [[_unescape(c.strip()) for c in line.strip().strip("|").split(" | ")]
                for line in body.splitlines() if line.startswith("| ") and not line.startswith("| dependent |")]
        out[name] = Section(heading=heading, rows=[(r[0], r[1], r[2]) for r in rows])
    return out


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def expected_rows(result: DecommissionResult) -> list[Row]:
    return [(d.kind, d.hostname, d.resource_id) for d in result.dependents]
