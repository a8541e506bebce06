"""Entra ID app registrations (Microsoft Graph `applications`) -> the host names their
redirect and sign-out URIs name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditor.model import Reference, ReferenceKind
from auditor.normalise.service_helpers import host, items, obj, text

_URI_LISTS = (("web", "redirectUris"), ("spa", "redirectUris"), ("publicClient", "redirectUris"))
_URI_FIELDS = (("web", "homePageUrl"), ("web", "logoutUrl"))


def application_resource_id(app: Mapping[str, Any]) -> str:
    return f"/applications/{app.get('id')}"


def application_references(app: Mapping[str, Any]) -> tuple[Reference, ...]:
    resource_id = application_resource_id(app)
    detail = f"app registration {app.get('displayName')!s} (appId {app.get('appId')!s})"
    refs: list[Reference] = []
    for section, field in _URI_LISTS:
        for i, uri in enumerate(items(app, section, field)):
            name = host(uri)
            if name:
                refs.append(Reference(ReferenceKind.ENTRA_REDIRECT_URI, name, resource_id,
                                      f"{section}.{field}[{i}]", detail))
    for section, field in _URI_FIELDS:
        name = host(text(obj(app, section), field))
        if name:
            refs.append(Reference(ReferenceKind.ENTRA_REDIRECT_URI, name, resource_id, f"{section}.{field}", detail))
    return tuple(refs)


# Enterprise applications (Graph `servicePrincipal`): SAML and gallery apps, and apps published by
# other tenants, keep their reply URLs here, with no app registration in this tenant
# (learn.microsoft.com/en-us/graph/api/resources/serviceprincipal: replyUrls, loginUrl, logoutUrl).
_SP_URI_FIELDS = ("loginUrl", "logoutUrl")


def service_principal_resource_id(sp: Mapping[str, Any]) -> str:
    return f"/servicePrincipals/{sp.get('id')}"


def service_principal_references(sp: Mapping[str, Any]) -> tuple[Reference, ...]:
    resource_id = service_principal_resource_id(sp)
    detail = f"enterprise application {sp.get('displayName')!s} (appId {sp.get('appId')!s})"
    refs: list[Reference] = []
    for i, uri in enumerate(items(sp, "replyUrls")):
        name = host(uri)
        if name:
            refs.append(Reference(ReferenceKind.ENTRA_REDIRECT_URI, name, resource_id, f"replyUrls[{i}]", detail))
    for field in _SP_URI_FIELDS:
        name = host(text(sp, field))
        if name:
            refs.append(Reference(ReferenceKind.ENTRA_REDIRECT_URI, name, resource_id, field, detail))
    return tuple(refs)
