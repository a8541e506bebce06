"""Knot DNS (knotd) serving zone files on 127.0.0.1."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from realservers.ports import free_port
from realservers.process import binary, check, running
from realservers.zones import ZoneFile, serves_all, zone_files


@contextmanager
def start_knot(paths: list[Path], tmpdir: Path) -> Iterator[int]:
    """Knot authoritative for `paths` (RFC 1035 files with $ORIGIN); yields its UDP+TCP port."""
    knotd = binary("knotd")
    zones = zone_files(paths)
    port = free_port()
    home = Path(tmpdir) / "knot"
    (home / "db").mkdir(parents=True, exist_ok=True)
    # the control socket path must stay under the 108-byte limit of AF_UNIX
    with tempfile.TemporaryDirectory(prefix="knot-") as rundir:
        conf = home / "knot.conf"
        conf.write_text(_config(port, Path(rundir), home / "db", zones))
        check([binary("knotc"), "-c", str(conf), "conf-check"])
        with running([knotd, "-c", str(conf)], home / "knotd.log", lambda: serves_all(port, zones)):
            yield port


def _config(port: int, rundir: Path, storage: Path, zones: list[ZoneFile]) -> str:
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
        "zone:",
    ]
    for zone in zones:
        lines += [f"  - domain: {zone.origin}", f'    file: "{zone.path}"']
    return "\n".join(lines) + "\n"
