from auditor.model import ReferenceKind
from auditor.normalise.entra import application_references

APP = {"id": "00000000-aaaa", "appId": "11111111-bbbb", "displayName": "Sign-in",
       "web": {"redirectUris": ["https://login.contoso-legacy.net/signin-oidc", "http://localhost:5000/cb"],
               "homePageUrl": None, "logoutUrl": "https://Login.Contoso-Legacy.net/signout"},
       "spa": {"redirectUris": ["https://app.contoso.com/"]},
       "publicClient": None}


def test_redirect_uris() -> None:
    refs = application_references(APP)
    assert {r.kind for r in refs} == {ReferenceKind.ENTRA_REDIRECT_URI}
    assert {r.resource_id for r in refs} == {"/applications/00000000-aaaa"}
    assert [(r.hostname, r.where) for r in refs] == [
        ("login.contoso-legacy.net", "web.redirectUris[0]"),
        ("app.contoso.com", "spa.redirectUris[0]"),
        ("login.contoso-legacy.net", "web.logoutUrl"),
    ]
    assert "Sign-in" in refs[0].detail
