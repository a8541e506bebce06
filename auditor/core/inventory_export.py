"""`auditor inventory`: the normalised inventory as JSON, CSV or a terminal table."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Any

from auditor.model import Inventory
from auditor.model.report import gap_json, iso
from auditor.report.escape import spreadsheet_cell, terminal

INVENTORY_SCHEMA = "auditor-inventory/1"
_SECTIONS = ("resources", "certificates", "custom_domains", "bindings", "dns_records", "dns", "tls",
             "references")


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return iso(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def inventory_json(inv: Inventory) -> dict[str, Any]:
    body: dict[str, Any] = {
        "schema": INVENTORY_SCHEMA,
        "tenant_id": inv.tenant_id,
        "collected_at": iso(inv.collected_at),
        "scope": {"subscriptions": list(inv.subscriptions)},
        "coverage": {"complete": inv.complete, "gaps": [gap_json(g) for g in inv.gaps]},
        "counts": inv.counts(),
    }
    for section in _SECTIONS:
        body[section] = [_plain(item) for item in getattr(inv, section)]
    return body


def render_inventory(inv: Inventory, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(inventory_json(inv), indent=2, sort_keys=False) + "\n"   # ASCII: inert
    if fmt == "csv":
        return _csv(inv)
    if fmt == "table":
        return _table(inv)
    raise ValueError(f"inventory supports json, csv and table, not {fmt}")


def _row_key(section: str, item: dict[str, Any]) -> tuple[str, str, str]:
    """(name, resource id, summary) for one record, whatever its section."""
    name = str(item.get("hostname") or item.get("key") or item.get("fqdn") or item.get("name") or "")
    resource = str(item.get("resource_id") or item.get("id") or "")
    if section == "certificates":
        summary = f"{item.get('store')} not_after={item.get('not_after')} renewal={item.get('renewal')}"
    elif section == "tls":
        summary = f"sni={item.get('sni')} {item.get('status')} {item.get('verdict')}"
    elif section == "dns":
        summary = f"{item.get('status')} chain={len(item.get('chain') or [])}"
    elif section == "references":
        summary = f"{item.get('kind')} {item.get('where')}"
    elif section == "dns_records":
        summary = f"{item.get('type')} {' '.join(item.get('values') or [])}"
    else:
        summary = str(item.get("service") or item.get("type") or "")
    return name, resource, summary


def _csv(inv: Inventory) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["record", "name", "resource_id", "summary"])
    data = inventory_json(inv)
    for section in _SECTIONS:
        for item in data[section]:
            writer.writerow([spreadsheet_cell(v) for v in (section, *_row_key(section, item))])
    for gap in data["coverage"]["gaps"]:
        writer.writerow([spreadsheet_cell(v) for v in
                         ("gap", gap["target"], "", f"{gap['source']} {gap['reason']}: {gap['detail']}")])
    return out.getvalue()


def _table(inv: Inventory) -> str:
    data = inventory_json(inv)
    lines = [terminal(f"Inventory of tenant {inv.tenant_id} ({len(inv.subscriptions)} subscriptions)")]
    for section in _SECTIONS:
        lines.append(f"\n{section.replace('_', ' ')} ({len(data[section])})")
        for item in data[section]:
            name, resource, summary = _row_key(section, item)
            lines.append(f"  {terminal(name):<45} {terminal(summary)}")
    lines.append(f"\ncoverage: {'complete' if inv.complete else 'INCOMPLETE'}")
    for gap in data["coverage"]["gaps"]:
        lines.append(terminal(f"  gap {gap['source']}/{gap['target']}: {gap['reason']} {gap['detail']}"))
    return "\n".join(lines) + "\n"
