"""NSD serving zone files on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from realservers.ports import free_port
from realservers.process import binary, check, running
from realservers.zones import ZoneFile, serves_all, zone_files


@contextmanager
def start_nsd(paths: list[Path], tmpdir: Path) -> Iterator[int]:
    """NSD authoritative for `paths` (RFC 1035 files with $ORIGIN); yields its UDP+TCP port."""
    nsd = binary("nsd")
    zones = zone_files(paths)
    port = free_port()
    home = Path(tmpdir) / "nsd"
    home.mkdir(parents=True, exist_ok=True)
    conf = home / "nsd.conf"
    conf.write_text(_config(port, home, zones))
    check([binary("nsd-checkconf"), str(conf)])
    with running([nsd, "-d", "-c", str(conf)], home / "nsd.log", lambda: serves_all(port, zones)):
        yield port


def _config(port: int, home: Path, zones: list[ZoneFile]) -> str:
    lines = [
        "server:",
        "    ip-address: 127.0.0.1",
        f"    port: {port}",
        '    username: ""',
        '    chroot: ""',
        f'    zonesdir: "{home}"',
        '    database: ""',
        f'    zonelistfile: "{home / "zone.list"}"',
        f'    xfrdfile: "{home / "xfrd.state"}"',
        f'    xfrdir: "{home}"',
        f'    pidfile: "{home / "nsd.pid"}"',
        "    server-count: 1",
        "    verbosity: 1",
        # like Knot and the emulator: no NS RRset in the authority section of positive answers
        "    minimal-responses: yes",
        "remote-control:",
        "    control-enable: no",
    ]
    for zone in zones:
        lines += ["zone:", f"    name: {zone.origin}", f'    zonefile: "{zone.path}"']
    return "\n".join(lines) + "\n"
