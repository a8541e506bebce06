"""nginx terminating TLS for an estate's tls/ directory on 127.0.0.1.

nginx, like OpenSSL, settles the protocol version before it looks at SNI, so
ssl_protocols in a name-based server block never applies. The real-world fix is
used instead: a stream front (ssl_preread) reads the ClientHello and passes the
connection to one loopback TLS server per host, each with its own certificate
chain and ssl_protocols. A name without a tls/<host>.pem goes to the
_default.pem server or, without one, to a server that rejects the handshake
(unrecognized_name). Hosts whose json sets "fail" are left out: nginx has no
way to refuse or reset on purpose.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from realservers.ports import free_port
from realservers.process import binary, check, running

STREAM_MODULE = Path("/usr/lib/nginx/modules/ngx_stream_module.so")
_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----.+?-----END \1-----\n?", re.S)
_ORDER = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]
_ALIASES = {"tlsv1": "TLSv1", "tlsv1.0": "TLSv1", "tlsv1.1": "TLSv1.1", "tlsv1.2": "TLSv1.2", "tlsv1.3": "TLSv1.3"}


@contextmanager
def start_nginx(tls_dir: Path, tmpdir: Path) -> Iterator[int]:
    """nginx serving every chain in `tls_dir` by SNI; yields its TLS port."""
    nginx = binary("nginx")
    if not STREAM_MODULE.exists():
        pytest.skip(f"nginx's stream module is not installed ({STREAM_MODULE}, Debian libnginx-mod-stream)")
    home = Path(tmpdir) / "nginx"
    (home / "certs").mkdir(parents=True, exist_ok=True)
    front = free_port()
    backends: dict[str, int] = {}
    servers = []
    for pem in sorted(Path(tls_dir).glob("*.pem")):
        host = pem.name[:-len(".pem")].lower()
        settings = _settings(pem.with_suffix(".json"))
        if settings.get("fail"):
            continue
        chain, key = _split(pem, home / "certs" / host)
        backends[host] = free_port()
        servers.append(_tls_server(backends[host], chain, key, _protocols(settings)))
    if "_default" not in backends:
        backends["_default"] = free_port()
        servers.append(f"    server {{\n        listen 127.0.0.1:{backends['_default']} ssl;\n"
                       "        ssl_reject_handshake on;\n    }\n")
    conf = home / "nginx.conf"
    conf.write_text(_config(home, front, backends, servers))
    errors = str(home / "error.log")
    check([nginx, "-t", "-q", "-e", errors, "-c", str(conf), "-p", str(home)])
    ports = [front, *backends.values()]
    with running([nginx, "-e", errors, "-c", str(conf), "-p", str(home)], home / "stderr.log",
                 lambda: all(_listening(p) for p in ports)):
        yield front


def _settings(path: Path) -> dict[str, str]:
    return dict(json.loads(path.read_text())) if path.exists() else {}


def _protocols(settings: dict[str, str]) -> list[str]:
    high = _ALIASES[settings.get("max_version", "TLSv1.3").lower()]
    if "min_version" in settings:
        low = _ALIASES[settings["min_version"].lower()]
    else:  # as the emulator does: a cap alone lowers the floor below TLS 1.2 if it must
        low = min("TLSv1.2", high, key=_ORDER.index)
    return _ORDER[_ORDER.index(low):_ORDER.index(high) + 1]


def _split(pem: Path, stem: Path) -> tuple[Path, Path]:
    """nginx wants the chain and the key in separate files; the chain keeps the PEM's order."""
    blocks = [(m.group(1), m.group(0)) for m in _PEM_BLOCK.finditer(pem.read_text())]
    certs = [text for label, text in blocks if label == "CERTIFICATE"]
    keys = [text for label, text in blocks if label.endswith("PRIVATE KEY")]
    if not certs or len(keys) != 1:
        raise ValueError(f"{pem}: needs one private key and at least one certificate")
    chain, key = Path(f"{stem}.chain.pem"), Path(f"{stem}.key.pem")
    chain.write_text("".join(c if c.endswith("\n") else c + "\n" for c in certs))
    key.write_text(keys[0])
    key.chmod(0o600)
    return chain, key


def _tls_server(port: int, chain: Path, key: Path, protocols: list[str]) -> str:
    return (
        "    server {\n"
        f"        listen 127.0.0.1:{port} ssl;\n"
        f"        ssl_certificate {chain};\n"
        f"        ssl_certificate_key {key};\n"
        f"        ssl_protocols {' '.join(protocols)};\n"
        # the emulator's security level, so weak keys and TLS 1.0/1.1 are servable
        "        ssl_ciphers DEFAULT:@SECLEVEL=0;\n"
        "        return 200 \"ok\\n\";\n"
        "    }\n"
    )


def _config(home: Path, front: int, backends: dict[str, int], servers: list[str]) -> str:
    temp = "".join(f"    {kind}_temp_path {home / kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    routes = "".join(f"        {host} 127.0.0.1:{port};\n" for host, port in backends.items()
                     if host != "_default")
    return (
        f"load_module {STREAM_MODULE};\n"
        "daemon off;\n"
        "master_process off;\n"
        "worker_processes 1;\n"
        f"pid {home / 'nginx.pid'};\n"
        f"error_log {home / 'error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        "stream {\n"
        "    map_hash_bucket_size 128;\n"
        "    map $ssl_preread_server_name $backend {\n"
        "        hostnames;\n"
        f"        default 127.0.0.1:{backends['_default']};\n"
        f"{routes}"
        "    }\n"
        "    server {\n"
        f"        listen 127.0.0.1:{front};\n"
        "        ssl_preread on;\n"
        "        proxy_pass $backend;\n"
        "    }\n"
        "}\n"
        "http {\n"
        "    access_log off;\n"
        f"{temp}"
        + "".join(servers)
        + "}\n"
    )


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3):
            return True
    except OSError:
        return False
