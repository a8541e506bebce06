"""Property: over generated connection strings and settings, no value of a secret-bearing field
ever becomes a reference, and every real host in them does."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.collect.references import property_references
from auditor.normalise.setting_hosts import hosts_in_value

_SUFFIXES = ("contoso.com", "contoso-legacy.net", "database.windows.net", "servicebus.windows.net",
             "redis.cache.windows.net", "postgres.database.azure.com", "fabrikam.co.uk", "mongodb.net")
_LABEL = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
# Hosts and secrets never share a name: every host label starts "h", every secret "s3cr".
HOSTS = st.builds(lambda label, suffix: f"h{label}.{suffix}", _LABEL, st.sampled_from(_SUFFIXES))
# Secrets that look like host names (the dangerous ones) and arbitrary printable ones.
_HOSTLIKE_SECRET = st.builds(lambda a, b: f"s3cr{a}.{b}", _LABEL, st.sampled_from(_SUFFIXES))
_ANY_SECRET = st.builds(lambda t: "s3cr" + t, st.text(st.characters(min_codepoint=33, max_codepoint=126,
                                                                     exclude_characters=";,@/\"' "), max_size=30))
SECRETS = st.one_of(_HOSTLIKE_SECRET, _ANY_SECRET)
_SECRET_KEYS = ("Password", "Pwd", "AccountKey", "SharedAccessKey", "SharedAccessSignature", "Secret",
                "ClientSecret", "Token", "ApiKey", "Auth", "Signature", "User Password", "Sig")
SECRET_KEYS = st.sampled_from(_SECRET_KEYS)
PORTS = st.integers(1, 65535)


@st.composite
def connection_strings(draw: st.DrawFn) -> tuple[str, set[str], list[str]]:
    """(value, the real hosts in it, the secret values in it), in one of the grammars apps use."""
    host, other, secret = draw(HOSTS), draw(HOSTS), draw(SECRETS)
    # A quoted ADO.NET value may hold anything, `;` and `=` included; a quote inside is doubled.
    quoted_host = draw(_HOSTLIKE_SECRET)
    quoted = draw(st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=20))
    doubled = f"s3cr{quoted};Server={quoted_host};".replace('"', '""')
    key, port = draw(SECRET_KEYS), draw(PORTS)
    # Each grammar's own quoting: URIs percent-encode user info and query values, libpq escapes backslashes.
    enc, pq = quote(secret, safe=""), secret.replace("\\", "\\\\")
    forms = [
        (f"Server=tcp:{host},{port};Initial Catalog=db;User ID=u;{key}={secret};", {host}),
        (f"Data Source={host};{key}=\"{secret}\";Encrypt=True", {host}),
        (f'Data Source={host};{key}="{doubled}";Encrypt=True', {host}),
        (f"Endpoint=sb://{host}/;SharedAccessKeyName=Root;{key}={secret}", {host}),
        (f"DefaultEndpointsProtocol=https;AccountName=acct{port};{key}={secret};EndpointSuffix=core.windows.net",
         {f"acct{port}.{s}.core.windows.net" for s in ("blob", "queue", "table", "file")}),
        (f"BlobEndpoint=https://{host}/;QueueEndpoint=https://{other}/;{key}={secret}", {host, other}),
        (f"{host}:{port},{other}:{port},{key.lower().replace(' ', '')}={secret},ssl=True", {host, other}),
        (f"host={host} port={port} dbname=d user=u {key.lower().replace(' ', '')}='{pq}'", {host}),
        (f"Host={host},{other};Database=d;Username=u;{key}={secret}", {host, other}),
        (f"postgresql://u:{enc}@{host}:{port}/d?sslmode=require&{key}={enc}", {host}),
        (f"mysql://u:{enc}@{host}/d", {host}),
        (f"jdbc:sqlserver://{host}:{port};database=d;{key}={secret};", {host}),
        (f"jdbc:sqlserver://;serverName={host};{key}={secret}", {host}),
        (f"mongodb://u:{enc}@{host}:{port},{other}/db?replicaSet=rs&{key}={enc}", {host, other}),
        (f"mongodb+srv://u:{enc}@{host}/db", {host}),
        (f"https://u:{enc}@{host}/path/{enc}?sig={enc}#{enc}", {host}),
        (host, {host}),
        (f"{host}:{port}", {host}),
    ]
    value, hosts = draw(st.sampled_from(forms))
    return value, hosts, [secret, quoted_host]


@settings(max_examples=400, deadline=None)
@given(connection_strings())
def test_every_real_host_and_no_secret(case: tuple[str, set[str], list[str]]) -> None:
    value, hosts, secrets = case
    found = hosts_in_value("CONNECTION", value)
    assert set(found) == hosts
    assert not any(secret.lower() in host for secret in secrets for host in found)


SETTING_NAMES = st.builds(lambda prefix, word, suffix: f"{prefix}{word}{suffix}",
                          st.sampled_from(("", "DB_", "Upstream", "APP_", "Client")),
                          st.sampled_from(("PASSWORD", "Pwd", "Key", "SECRET", "Token", "SIGNATURE", "Auth",
                                           "ApiKey", "AccessKey")),
                          st.sampled_from(("", "_VALUE", "2", "_HEADER")))
SETTING_VALUES = st.one_of(HOSTS, _HOSTLIKE_SECRET, connection_strings().map(lambda case: case[0]),
                           st.builds(lambda h: f"https://{h}/", HOSTS))


@settings(max_examples=300, deadline=None)
@given(SETTING_NAMES, SETTING_VALUES)
def test_a_setting_whose_name_says_secret_gives_no_reference(name: str, value: str) -> None:
    assert hosts_in_value(name, value) == []


HEADER_VALUES = st.builds(lambda scheme, secret: f"{scheme}{secret}",
                          st.sampled_from(("X-Api-Key: ", "Authorization: Bearer ", "Bearer ", "Basic ",
                                           "Ocp-Apim-Subscription-Key: ", "SharedAccessSignature sr=x&sig=")),
                          _HOSTLIKE_SECRET)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(("UPSTREAM", "HDR", "Upstream_Value")), HEADER_VALUES)
def test_a_header_like_value_gives_no_reference(name: str, value: str) -> None:
    assert hosts_in_value(name, value) == []


@settings(max_examples=100, deadline=None)
@given(SETTING_NAMES, SETTING_VALUES, connection_strings())
def test_resource_properties_follow_the_same_grammar(name: str, secret: str,
                                                     case: tuple[str, set[str], list[str]]) -> None:
    # Container Apps env vars and siteConfig.appSettings are name/value pairs: the name is the key.
    value, hosts, _ = case
    row = {"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.App/containerApps/ca",
           "properties": {"template": {"containers": [{"env": [{"name": name, "value": secret},
                                                               {"name": "CONNECTION", "value": value}]}]},
                          "configuration": {"secrets": [{"name": "s", "value": secret}]}}}
    assert {r.hostname for r in property_references(row)} == hosts
