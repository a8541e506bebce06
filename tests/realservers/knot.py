"""Knot DNS (knotd) serving zone files on 127.0.0.1."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from realservers.ports import free_port
from realservers.process import binary, check, running
from realservers.zones import ZoneFile, serves_all, zone_files


@contextmanager
def start_knot(paths: list[Path], tmpdir: Path, transfers: Mapping[str, str] | None = None,
               tsig: tuple[str, str, str] | None = None) -> Iterator[int]:
    """Knot authoritative for `paths` (RFC 1035 files with $ORIGIN); yields its UDP+TCP port.

    `transfers` maps a zone (no trailing dot) to "open" (AXFR from loopback) or "tsig" (AXFR only
    with the key `tsig` = (name, algorithm, base64 secret)); other zones refuse transfers, Knot's
    default (https://www.knot-dns.cz/docs/3.2/html/configuration.html#access-control-list-acl).
    """
    knotd = binary("knotd")
    zones = zone_files(paths)
    port = free_port()
    home = Path(tmpdir) / "knot"
    (home / "db").mkdir(parents=True, exist_ok=True)
    # the control socket path must stay under the 108-byte limit of AF_UNIX
    with tempfile.TemporaryDirectory(prefix="knot-") as rundir:
        conf = home / "knot.conf"
        conf.write_text(_config(port, Path(rundir), home / "db", zones, dict(transfers or {}), tsig))
        check([binary("knotc"), "-c", str(conf), "conf-check"])
        with running([knotd, "-c", str(conf)], home / "knotd.log", lambda: serves_all(port, zones)):
            yield port


def _config(port: int, rundir: Path, storage: Path, zones: list[ZoneFile],
            transfers: dict[str, str] | None = None, tsig: tuple[str, str, str] | None = None) -> str:
    transfers = transfers or {}
    lines = [
        "server:",
        f'    rundir: "{rundir}"',
        f"    listen: 127.0.0.1@{port}",
        "database:",
        f'    storage: "{storage}"',
        "log:",
        "  - target: stderr",
        "    any: info",
        "template:",
        "  - id: default",
        f'    storage: "{storage}"',
        "    zonefile-sync: -1",
        "    zonefile-load: whole",
        "    journal-content: none",
    ]
    if tsig is not None:
        name, algorithm, secret = tsig
        lines += ["key:", f"  - id: {name}", f"    algorithm: {algorithm}", f"    secret: {secret}"]
    if transfers:
        lines += ["acl:", "  - id: open_xfr", "    address: 127.0.0.0/8", "    action: transfer"]
        if tsig is not None:
            lines += ["  - id: tsig_xfr", f"    key: {tsig[0]}", "    action: transfer"]
    lines.append("zone:")
    for zone in zones:
        lines += [f"  - domain: {zone.origin}", f'    file: "{zone.path}"']
        mode = transfers.get(zone.origin.rstrip(".").lower())
        if mode is not None:
            lines.append(f"    acl: {mode}_xfr")
    return "\n".join(lines) + "\n"
