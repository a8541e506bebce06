"""What each TLS host of the estate serves: tls/<host>.pem and tls/<host>.json, as SSLContexts."""

from __future__ import annotations

import base64
import binascii
import enum
import json
import ssl
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

from auditor.errors import EstateError

DEFAULT_HOST = "_default"
# The emulator serves whatever the estate holds (weak keys, SHA-1 chains, TLS 1.0):
# judging it is the audit's job, so OpenSSL's security level must not refuse it first.
CIPHERS = "DEFAULT:@SECLEVEL=0"
DEFAULT_MIN = ssl.TLSVersion.TLSv1_2
DEFAULT_MAX = ssl.TLSVersion.TLSv1_3
_VERSIONS = {
    "tlsv1": ssl.TLSVersion.TLSv1, "tlsv1.0": ssl.TLSVersion.TLSv1,
    "tlsv1.1": ssl.TLSVersion.TLSv1_1, "tlsv1.2": ssl.TLSVersion.TLSv1_2,
    "tlsv1.3": ssl.TLSVersion.TLSv1_3,
}


class FailMode(enum.Enum):
    REFUSED = "refused"     # TCP reset as soon as the ClientHello is read: the client gets nothing
    RESET = "reset"         # the ServerHello goes out, then a TCP reset mid-handshake
    TIMEOUT = "timeout"     # the ClientHello is read and never answered


@dataclass(frozen=True)
class TlsHost:
    name: str                            # lower-case host name, or "_default"
    pem: Path | None
    min_version: ssl.TLSVersion = DEFAULT_MIN
    max_version: ssl.TLSVersion = DEFAULT_MAX
    fail: FailMode | None = None
    ocsp_response: bytes | None = None   # DER, stapled when the client asks (status_request)

    def context(self) -> ssl.SSLContext | None:
        """A server context holding this host's chain exactly as the PEM lists it."""
        if self.pem is None:
            return None
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.set_ciphers(CIPHERS)
        with warnings.catch_warnings():  # TLS 1.0/1.1 are deprecated; serving them is the point
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.minimum_version = self.min_version
            ctx.maximum_version = self.max_version
        try:
            ctx.load_cert_chain(self.pem)
        except ssl.SSLError as exc:
            raise EstateError(f"{self.pem}: not a private key with its certificate chain: {exc.reason}") from None
        return ctx


def load_tls_hosts(tls_dir: Path | None) -> dict[str, TlsHost]:
    """Every host named by a tls/<host>.pem or tls/<host>.json, keyed by lower-case name."""
    if tls_dir is None:
        return {}
    if not tls_dir.is_dir():
        raise EstateError(f"TLS directory not found: {tls_dir}")
    # One listing of the folder, indexed by (name, suffix): a large estate has tens of
    # thousands of hosts, and a listing per host made start-up quadratic.
    files: dict[tuple[str, str], Path] = {}
    for path in sorted(tls_dir.iterdir()):
        if path.suffix in (".pem", ".json") and path.is_file():
            files.setdefault((path.name[:-len(path.suffix)].lower(), path.suffix), path)
    hosts = {}
    for name in sorted({name for name, _ in files}):
        hosts[name] = _settings(TlsHost(name=name, pem=files.get((name, ".pem"))), files.get((name, ".json")))
    return hosts


def _settings(host: TlsHost, path: Path | None) -> TlsHost:
    """The host with its tls/<host>.json applied."""
    if path is None:
        return host
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise EstateError(f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise EstateError(f"{path} is not valid JSON: line {exc.lineno}: {exc.msg}") from None
    if not isinstance(data, dict):
        raise EstateError(f"{path}: must be a JSON object")
    unknown = set(data) - {"min_version", "max_version", "fail", "ocsp_response"}
    if unknown:
        raise EstateError(f"{path}: unknown settings {sorted(unknown)}")
    versions = {}
    for key in ("min_version", "max_version"):
        if key in data:
            version = _VERSIONS.get(str(data[key]).lower())
            if version is None:
                raise EstateError(f"{path}: {key} must be one of TLSv1, TLSv1.1, TLSv1.2, TLSv1.3")
            versions[key] = version
    fail = None
    if data.get("fail") is not None:
        try:
            fail = FailMode(data["fail"])
        except ValueError:
            raise EstateError(f"{path}: fail must be one of refused, reset, timeout") from None
    maximum = versions.get("max_version", host.max_version)
    # a host that only caps the version (say at TLS 1.1) serves everything up to that cap
    minimum = versions.get("min_version", min(host.min_version, maximum))
    host = replace(host, min_version=minimum, max_version=maximum, fail=fail,
                   ocsp_response=_ocsp(path, data.get("ocsp_response")))
    if host.min_version > host.max_version:
        raise EstateError(f"{path}: min_version is above max_version")
    return host


def _ocsp(path: Path, value: object) -> bytes | None:
    """"ocsp_response": the base64 DER OCSP response the endpoint staples."""
    if value is None:
        return None
    try:
        if not isinstance(value, str) or not value:
            raise ValueError
        return base64.b64decode(value, validate=True)
    except (ValueError, binascii.Error):
        raise EstateError(f"{path}: ocsp_response must be a base64 DER OCSP response") from None
