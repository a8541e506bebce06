"""The inventory CSV has one column per field, so a spreadsheet sorts certificates by expiry, and the
JSON carries the same fields with the same values."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

from rules.factories import AS_OF, app_cert, binding, days, healthy, kv_cert, probe, with_

from auditor.core.inventory_export import render_inventory
from auditor.model import Renewal

HEADER = ["kind", "name", "store", "subject", "sans", "issuer", "not_after", "days_left", "managed",
          "bound_where", "served_where", "resource_id", "detail"]


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_one_column_per_field() -> None:
    text = render_inventory(healthy(), "csv", AS_OF)
    assert next(csv.reader(io.StringIO(text))) == HEADER
    certs = {r["name"]: r for r in _rows(text) if r["kind"] == "certificate"}
    kv = certs["kv/web"]
    assert kv["store"] == "key-vault" and kv["subject"] == "CN=www.contoso.com"
    assert kv["sans"] == "www.contoso.com" and kv["issuer"] == "DigiCert Global G2"
    assert kv["not_after"] == "2026-07-12T00:00:00Z" and kv["days_left"] == "305"
    assert kv["managed"] == "yes"
    # the App Service copy is what the binding presents; both are served (same thumbprint)
    copy = certs["web-app"]
    assert copy["bound_where"] == "app-service www.contoso.com"
    assert kv["bound_where"] == ""
    assert copy["served_where"] == kv["served_where"] == "www.contoso.com"
    assert {r["kind"] for r in _rows(text)} >= {"certificate", "custom-domain", "binding", "dns-record",
                                                 "tls-endpoint", "resource"}


def test_certificates_sort_by_expiry_as_text_and_days_left_counts_from_the_audit_clock() -> None:
    soon = kv_cert("soon", names=("a.contoso.com",), not_after=AS_OF + days(3), renewal=Renewal.MANUAL)
    gone = kv_cert("gone", names=("b.contoso.com",), not_after=AS_OF - days(2))
    inv = with_(healthy(), certificates=(*healthy().certificates, soon, gone))
    rows = [r for r in _rows(render_inventory(inv, "csv", AS_OF)) if r["kind"] == "certificate"]
    by_expiry = sorted(rows, key=lambda r: r["not_after"])
    assert [r["name"] for r in by_expiry][:2] == ["kv/gone", "kv/soon"]
    days_left = {r["name"]: int(r["days_left"]) for r in rows}
    assert days_left["kv/gone"] == -2 and days_left["kv/soon"] == 3
    assert next(r for r in rows if r["name"] == "kv/soon")["managed"] == "no"


def test_json_carries_the_same_fields_with_the_same_values() -> None:
    inv = with_(healthy(), bindings=(*healthy().bindings, binding("api.contoso.com", cert_key=app_cert().key)),
                tls=(*healthy().tls, probe("api.contoso.com")))
    csv_rows = {r["name"]: r for r in _rows(render_inventory(inv, "csv", AS_OF)) if r["kind"] == "certificate"}
    body = json.loads(render_inventory(inv, "json", AS_OF))
    for cert in body["certificates"]:
        row = csv_rows[cert["key"] if cert["store"] == "key-vault" else cert["name"]]
        for field in ("store", "subject", "issuer", "not_after", "managed"):
            assert str(cert[field]) == row[field], field
        assert str(cert["days_left"]) == row["days_left"]
        for field in ("sans", "bound_where", "served_where"):
            assert "; ".join(cert[field]) == row[field], field
    copy = next(c for c in body["certificates"] if c["name"] == "web-app")
    assert copy["bound_where"] == ["app-service api.contoso.com", "app-service www.contoso.com"]


def test_csv_cells_cannot_run_as_formulas() -> None:
    evil = replace(kv_cert("evil", names=("c.contoso.com",)), subject="=HYPERLINK(\"http://x\")")
    rows = _rows(render_inventory(with_(healthy(), certificates=(evil,)), "csv", AS_OF))
    assert next(r for r in rows if r["name"] == "kv/evil")["subject"].startswith("'=")
