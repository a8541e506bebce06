"""tls/: what each live endpoint serves, its protocol limits or failure, the default
certificate and the estate's trust root."""

from __future__ import annotations

import base64

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from auditor.errors import EstateError
from auditor.estate.builder.context import BuildContext, Serve
from auditor.estate.builder.platform import platform_cert

VERSIONS = ("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")
FAILURES = ("refused", "timeout", "reset")
CHAINS = ("full", "leaf-only", "out-of-order", "with-root")
_ALIASES = {"tlsv1.0": "TLSv1", "1.0": "TLSv1", "1.1": "TLSv1.1", "1.2": "TLSv1.2", "1.3": "TLSv1.3"}


def _version(text: str, where: str) -> str:
    value = _ALIASES.get(text.lower(), text)
    matches = [v for v in VERSIONS if v.lower() == value.lower()]
    if not matches:
        raise EstateError(f"{where}: TLS version must be one of {', '.join(VERSIONS)}, not {text!r}")
    return matches[0]


def apply_endpoint_overrides(ctx: BuildContext) -> None:
    for ep in ctx.spec.endpoints:
        host = ep.host.lower().rstrip(".")
        where = f"endpoint {host}"
        if not ep.live:
            ctx.serve.pop(host, None)
            continue
        current = ctx.serve.get(host)
        issued = ctx.certificate(ep.serve, where) if ep.serve else (current.issued if current else None)
        if issued is None:
            raise EstateError(f"{where}: nothing is bound to this name; say which certificate to serve")
        if ep.chain not in CHAINS:
            raise EstateError(f"{where}: chain must be one of {', '.join(CHAINS)}")
        if ep.key or ep.eku or ep.sha1_intermediate or ep.must_staple:
            try:
                issued = ctx.pki.reissue(issued, key=ep.key or "ec256", eku=ep.eku or "serverAuth",
                                         must_staple=ep.must_staple, sha1_intermediate=ep.sha1_intermediate)
            except ValueError as exc:
                raise EstateError(f"{where}: {exc}") from None
        limits: dict[str, str] = {}
        if ep.min_version:
            limits["min_version"] = _version(ep.min_version, where)
        if ep.max_version:
            limits["max_version"] = _version(ep.max_version, where)
        if ep.fail:
            if ep.fail not in FAILURES:
                raise EstateError(f"{where}: fail must be one of {', '.join(FAILURES)}")
            limits["fail"] = ep.fail
        if ep.ocsp:
            try:
                staple = ctx.pki.ocsp_response(issued, ep.ocsp, ctx.as_of)
            except ValueError as exc:
                raise EstateError(f"{where}: {exc}") from None
            limits["ocsp_response"] = base64.b64encode(staple).decode()
        ctx.serve[host] = Serve(issued=issued, leaf_only=ep.chain == "leaf-only", limits=limits,
                                order=ep.chain if ep.chain in ("out-of-order", "with-root") else "full")


def write_tls(ctx: BuildContext) -> None:
    for host, serve in sorted(ctx.serve.items()):
        if "*" in host:       # a wildcard binding has no one name to connect to
            continue
        ctx.files[f"tls/{host}.pem"] = _served_pem(ctx, serve)
        if serve.limits:
            ctx.add_json(f"tls/{host}.json", serve.limits)
    ctx.files["tls/_default.pem"] = platform_cert(ctx, "azurewebsites.net").pem()
    ctx.files["tls/_trust/root.pem"] = ctx.pki.root_pem


def _served_pem(ctx: BuildContext, serve: Serve) -> str:
    """The PEM as the endpoint serves it: out-of-order puts the root before the intermediate,
    with-root appends the root (the trust anchor sent along)."""
    if serve.order == "full":
        return serve.issued.pem(leaf_only=serve.leaf_only)
    key_and_leaf = serve.issued.pem(leaf_only=True)
    root = ctx.pki.root_pem
    chain = "".join(_pem(c) for c in serve.issued.chain)
    return key_and_leaf + (root + chain if serve.order == "out-of-order" else chain + root)


def _pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()
