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

from auditor.core.certificate_rows import COLUMNS, CertificateRow, certificate_rows
from auditor.graph import build_graph
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


# A record's kind in the CSV's `kind` column, by inventory section.
_KINDS = {"resources": "resource", "certificates": "certificate", "custom_domains": "custom-domain",
          "bindings": "binding", "dns_records": "dns-record", "dns": "dns-answer", "tls": "tls-endpoint",
          "references": "reference"}
CSV_COLUMNS = (*COLUMNS, "resource_id", "detail")


def inventory_json(inv: Inventory, as_of: datetime | None = None) -> dict[str, Any]:
    """The inventory; each certificate also carries its flat row (sans, days_left, managed,
    bound_where, served_where) so JSON and CSV hold the same fields."""
    return _export(inv, as_of)[0]


def _export(inv: Inventory, as_of: datetime | None) -> tuple[dict[str, Any], list[CertificateRow]]:
    by_key = certificate_rows(build_graph(inv), as_of or inv.collected_at)
    rows = [by_key[c.key] for c in inv.certificates]
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
    # The model's own fields win (its `name` is the certificate's name; the row's is its key).
    body["certificates"] = [{**row.to_json(), **item}
                            for item, row in zip(body["certificates"], rows, strict=True)]
    return body, rows


def render_inventory(inv: Inventory, fmt: str, as_of: datetime | None = None) -> str:
    """`as_of`: the audit's clock, for days_left (default: when the inventory was collected)."""
    if fmt == "json":
        return json.dumps(inventory_json(inv, as_of), indent=2, sort_keys=False) + "\n"   # ASCII: inert
    if fmt == "csv":
        return _csv(inv, as_of)
    if fmt == "table":
        return _table(inv, as_of)
    raise ValueError(f"inventory supports json, csv and table, not {fmt}")


def _row_key(section: str, item: dict[str, Any]) -> tuple[str, str, str]:
    """(name, resource id, summary) for one record, whatever its section."""
    name = str(item.get("hostname") or item.get("key") or item.get("fqdn") or item.get("name") or "")
    resource = str(item.get("resource_id") or item.get("id") or "")
    if section == "certificates":
        summary = (f"{item.get('store')} not_after={item.get('not_after')} days_left={item.get('days_left')} "
                   f"managed={item.get('managed')}")
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


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int):   # days_left: a number a spreadsheet sorts, never a formula
        return str(value)
    if isinstance(value, list | tuple):
        return spreadsheet_cell("; ".join(str(v) for v in value))
    return spreadsheet_cell(str(value))


def _csv(inv: Inventory, as_of: datetime | None) -> str:
    """One row per record and one column per field: a certificate fills every column; other records
    fill kind, name, resource_id and detail."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    data, rows = _export(inv, as_of)
    for row, cert in zip(rows, inv.certificates, strict=True):
        writer.writerow([_cell(getattr(row, c)) for c in COLUMNS] + [_cell(cert.resource_id), ""])
    for section in _SECTIONS:
        if section == "certificates":
            continue
        for item in data[section]:
            name, resource, summary = _row_key(section, item)
            values = [_KINDS[section], name, *[""] * (len(COLUMNS) - 2), resource, summary]
            writer.writerow([_cell(v) for v in values])
    for gap in data["coverage"]["gaps"]:
        writer.writerow([_cell(v) for v in ["gap", gap["target"], *[""] * (len(COLUMNS) - 2), "",
                                            f"{gap['source']} {gap['reason']}: {gap['detail']}"]])
    return out.getvalue()


def _table(inv: Inventory, as_of: datetime | None) -> str:
    data = inventory_json(inv, as_of)
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
