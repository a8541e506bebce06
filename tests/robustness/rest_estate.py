"""An estate made of every ARM object and Key Vault bundle in the REST examples, as they are."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rest_examples import REST_EXAMPLES

ARM_FOLDERS = ("web", "cdn", "dns", "frontdoor-classic", "keyvault-mgmt", "network", "trafficmanager",
               "apimanagement")
KEYVAULT_FOLDER = "keyvault-dataplane"
AS_OF = "2025-09-10T00:00:00Z"


def example_bodies(folder: str) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every response body (any status) of every example file under one service folder."""
    for path in sorted((REST_EXAMPLES / folder).rglob("*.json")):
        responses = json.loads(path.read_text(encoding="utf-8")).get("responses") or {}
        for response in responses.values():
            body = response.get("body") if isinstance(response, dict) else None
            if isinstance(body, dict):
                yield path, body


# FrontdoorFrontendEndpointList's items carry no `type` (ARM always sends one, and the estate
# format requires it); they get the type ARM gives frontend endpoints.
_MISSING_TYPES = {"/frontendendpoints/": "Microsoft.Network/frontdoors/frontendendpoints"}


def arm_objects() -> list[dict[str, Any]]:
    """Every ARM object the examples return, lists unrolled, last sighting of an id wins."""
    found: dict[str, dict[str, Any]] = {}
    for folder in ARM_FOLDERS:
        for _, body in example_bodies(folder):
            items = body["value"] if isinstance(body.get("value"), list) else [body]
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"].startswith("/"):
                    found[item["id"].lower()] = _typed(item)
    return list(found.values())


def _typed(item: dict[str, Any]) -> dict[str, Any]:
    if "type" in item:
        return item
    kind = next(t for marker, t in _MISSING_TYPES.items() if marker in item["id"].lower())
    return {**item, "type": kind}


def certificate_bundles() -> list[dict[str, Any]]:
    """Data-plane bodies that are CertificateBundles: a versioned certificate id and attributes."""
    bundles = []
    for _, body in example_bodies(KEYVAULT_FOLDER):
        segments = [s for s in urlsplit(str(body.get("id", ""))).path.split("/") if s]
        if len(segments) == 3 and segments[0] == "certificates" and segments[1] != "issuers" \
                and segments[2] not in ("pending", "policy") and isinstance(body.get("attributes"), dict):
            bundles.append(body)
    return bundles


def subscription_ids(objects: list[dict[str, Any]]) -> list[str]:
    ids = {str(o["id"]).split("/")[2] for o in objects}   # "/subscriptions/<id>/..."
    return sorted(ids)


def write_estate(root: Path, extra_arm: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Writes the estate; returns what was written (ARM objects, bundles, subscriptions)."""
    objects = arm_objects()
    bundles = certificate_bundles()
    vault_host = {urlsplit(b["id"]).hostname for b in bundles}
    extra = list(extra_arm or [])
    objects_all = objects + extra
    subs = subscription_ids(objects_all)
    (root / "arm").mkdir(parents=True)
    for i, obj in enumerate(objects_all):
        (root / "arm" / f"{i:03d}.json").write_text(json.dumps(obj), encoding="utf-8")
    for bundle in bundles:
        host = urlsplit(bundle["id"]).hostname or ""
        _, name, version = urlsplit(bundle["id"]).path.strip("/").split("/")
        target = root / "keyvault" / host.split(".")[0] / name / f"{version}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(bundle), encoding="utf-8")
    (root / "estate.json").write_text(json.dumps({
        "format": "auditor-estate/1", "tenant_id": "00000000-0000-0000-0000-000000000000", "as_of": AS_OF,
        "subscriptions": [{"subscriptionId": s, "displayName": s} for s in subs]}), encoding="utf-8")
    return {"arm": objects_all, "bundles": bundles, "subscriptions": subs, "vault_hosts": vault_host}
