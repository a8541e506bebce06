"""Turns a description into an estate directory (format auditor-estate/1)."""

from __future__ import annotations

import json
import shutil
import tomllib
from dataclasses import asdict
from pathlib import Path

from auditor.config import parse_config
from auditor.errors import ConfigError, EstateError
from auditor.estate.builder.context import BuildContext
from auditor.estate.builder.dns import DnsBook
from auditor.estate.builder.frontdoor import build_front_doors
from auditor.estate.builder.keyvault import build_vaults
from auditor.estate.builder.spec import EstateSpec
from auditor.estate.builder.storage import build_storage_accounts
from auditor.estate.builder.tls import apply_endpoint_overrides, write_tls
from auditor.estate.builder.web import build_sites, build_web_certificates
from auditor.estate.builder.when import zulu
from auditor.estate.load import ESTATE_FORMAT, load_estate


def build_estate(spec: EstateSpec, out_dir: Path) -> Path:
    """Write the estate `spec` describes into `out_dir` and return it.

    `out_dir` must be empty, missing, or an earlier estate (it is then replaced).
    Everything but key material is the same on every build.
    """
    ctx = BuildContext(spec)
    dns = DnsBook(ctx)
    build_vaults(ctx)
    build_web_certificates(ctx)
    build_sites(ctx, dns)
    build_front_doors(ctx, dns)
    build_storage_accounts(ctx, dns)
    apply_endpoint_overrides(ctx)
    dns.write(ctx)
    write_tls(ctx)
    _estate_files(ctx)
    out = _fresh_dir(Path(out_dir))
    for rel, objects in ctx.arm.items():
        ctx.add_json(f"arm/{rel}", objects)
    for rel, text in sorted(ctx.files.items()):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    load_estate(out)     # what was written must read back
    return out


def _estate_files(ctx: BuildContext) -> None:
    spec = ctx.spec
    meta: dict[str, object] = {
        "format": ESTATE_FORMAT,
        "tenant_id": spec.tenant_id,
        "as_of": zulu(ctx.as_of).replace(".0000000", ""),
        "subscriptions": [{"subscriptionId": s.id, "displayName": s.name, "state": "Enabled",
                           "tenantId": spec.tenant_id, **({"access": s.access} if s.access else {})}
                          for s in spec.subscriptions],
    }
    if spec.limits is not None:
        meta["limits"] = dict(spec.limits)
    if spec.names_taken_elsewhere:
        meta["names_taken_elsewhere"] = list(spec.names_taken_elsewhere)
    if spec.management_groups:
        meta["management_groups"] = [dict(g) for g in spec.management_groups]
    ctx.add_json("estate.json", meta)
    faults = [{k: v for k, v in asdict(f).items() if v is not None} for f in spec.faults]
    faults += [{"service": "keyvault", "match": v.name.lower(), "status": 403}
               for v in spec.vaults if not v.readable]
    if faults:
        ctx.add_json("faults.json", faults)
    if spec.config:
        try:
            parse_config(tomllib.loads(spec.config))
        except tomllib.TOMLDecodeError as exc:
            raise EstateError(f"the estate's config is not valid TOML: {exc}") from None
        except ConfigError as exc:
            raise EstateError(f"the estate's config: {exc}") from None
        ctx.files["auditor.toml"] = spec.config if spec.config.endswith("\n") else spec.config + "\n"
    if spec.arm:
        ctx.files["arm/raw.json"] = json.dumps([dict(o) for o in spec.arm], indent=2) + "\n"
    for table in spec.logs:
        ctx.files[f"logs/{table.workspace}/{table.table}.jsonl"] = "".join(
            json.dumps(dict(row)) + "\n" for row in table.rows)


def _fresh_dir(out: Path) -> Path:
    if out.exists():
        if not out.is_dir():
            raise EstateError(f"{out} exists and is not a directory")
        if any(out.iterdir()):
            if not (out / "estate.json").is_file():
                raise EstateError(f"{out} is not empty and holds no estate: refusing to overwrite it")
            shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    return out
