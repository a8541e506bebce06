"""The certificate-expiry timeline as inline SVG: one row per certificate over the next days."""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape

from auditor.model.report import iso
from auditor.report.retired_view import short_name
from auditor.report.timeline import Expiry

COLOURS = {"critical": "#b00020", "high": "#d9480f", "medium": "#e8a400", "low": "#1971c2", "info": "#868e96"}
ROW = 22
LABEL_WIDTH = 330
PLOT_WIDTH = 620
MAX_ROWS = 60


def timeline_svg(items: list[Expiry], as_of: datetime, days: int = 90) -> str:
    shown = items[:MAX_ROWS]
    height = 40 + ROW * max(1, len(shown))
    width = LABEL_WIDTH + PLOT_WIDTH + 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" aria-label="certificate expiries over the next {days} days">']
    for day in range(0, days + 1, 15):
        x = LABEL_WIDTH + PLOT_WIDTH * day / days
        date = (as_of + timedelta(days=day)).strftime("%d %b")
        parts.append(f'<line x1="{x:.1f}" y1="18" x2="{x:.1f}" y2="{height - 4}" stroke="#dde1e6"/>')
        parts.append(f'<text x="{x:.1f}" y="12" font-size="11" text-anchor="middle" fill="#5c6670">'
                     f'{escape(date)} (+{day} d)</text>')
    if not shown:
        parts.append(f'<text x="{LABEL_WIDTH}" y="36" font-size="12" fill="#2b8a3e">'
                     f'No certificate expires in the next {days} days.</text>')
    for row, item in enumerate(shown):
        y = 32 + ROW * row
        x = LABEL_WIDTH + PLOT_WIDTH * min(max(item.days_left, 0.0), days) / days
        colour = COLOURS.get(item.severity.value if item.severity else "", "#5c6670")
        label = short_name(item.label) if item.label.startswith("/") else item.label
        label = label if len(label) <= 48 else label[:45] + "..."
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 4}" font-size="12" text-anchor="end">'
                     f'{escape(label)}</text>')
        parts.append(f'<line x1="{LABEL_WIDTH}" y1="{y}" x2="{x:.1f}" y2="{y}" stroke="{colour}" stroke-width="2"/>')
        parts.append(f'<circle cx="{x:.1f}" cy="{y}" r="5" fill="{colour}"><title>'
                     f'{escape(item.label)}: {escape(iso(item.not_after))} ({item.days_left:.0f} days)</title></circle>')
    parts.append("</svg>")
    return "".join(parts)
