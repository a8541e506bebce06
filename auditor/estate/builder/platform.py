"""Certificates the platform itself serves on Azure-provided names (*.azurewebsites.net, ...)."""

from __future__ import annotations

from datetime import timedelta

from auditor.estate.builder.context import BuildContext
from auditor.estate.builder.pki import IssuedCert

_NAMES = {
    "azurewebsites.net": ("*.azurewebsites.net", "*.scm.azurewebsites.net"),
    "azurefd.net": ("*.azurefd.net", "*.z01.azurefd.net"),
    "blob.core.windows.net": ("*.blob.core.windows.net",),
}


def platform_cert(ctx: BuildContext, zone: str) -> IssuedCert:
    """One wildcard per provided zone and build, valid well around as_of."""
    if zone not in ctx.platform:
        ctx.platform[zone] = ctx.pki.issue(_NAMES[zone], ctx.as_of - timedelta(days=120),
                                           ctx.as_of + timedelta(days=245))
    return ctx.platform[zone]
