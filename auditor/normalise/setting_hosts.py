"""Host names in a setting value, read by the grammar of what the value is.

A value is read as one of the forms Azure apps really configure, never scanned for dotted
words: a password such as `secretpass0004.contoso-legacy.net` looks like a host name to a
scanner. The forms, tried in order:

- a header (`X-Api-Key: ...`, `Bearer ...`) or a field whose key names a secret: nothing;
- `@Microsoft.KeyVault(SecretUri=...)`: the vault's URL;
- `key=value;...` (ADO.NET / SQL Server, Service Bus and Event Hubs `Endpoint=sb://`, Storage
  `BlobEndpoint=` or `AccountName=` + `EndpointSuffix=`, Npgsql, MySQL, Cosmos, App Insights):
  the values of the host-bearing keys only;
- `host=... port=...` (libpq key-value): `host`;
- `host:port,password=...,ssl=True` (StackExchange.Redis): the endpoints before the options;
- a URI (`https://`, `sb://`, `postgres://`, `mysql://`, `rediss://`, `mongodb://h1,h2`,
  `mongodb+srv://`, `jdbc:sqlserver://host;serverName=...`): the hosts of its authority;
- a host name (or `host:port`) as a whole, or a list of them and of URIs;
- anything else (free text): only the hosts of the URIs written in it.

Every candidate must be a host name under the Public Suffix List (`pg.internal`, `p4ss.word`
and JWT pieces are not). Returns lower-case names, no duplicates, in order of appearance.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from publicsuffixlist import PublicSuffixList

# Words that make a key secret-bearing: "DB_PASSWORD", "AccountKey", "SharedAccessSignature", "AUTH_HEADER".
SECRET_WORDS = frozenset({"password", "pwd", "passwd", "pass", "passphrase", "secret", "secrets", "key", "keys",
                          "apikey", "token", "tokens", "sig", "signature", "sas", "auth", "credential",
                          "credentials", "cred", "creds", "pat", "jwt", "bearer"})
# ...unless the key's last word says the value locates something ("AUTH_CALLBACK_URL", "KeyVaultUri",
# "TOKEN_ENDPOINT"): a locator is a URL or host name, never the secret itself.
_LOCATOR_WORDS = frozenset({"url", "uri", "urls", "uris", "endpoint", "endpoints", "host", "hostname", "hosts",
                            "domain", "server", "address", "issuer", "authority", "origin", "origins"})
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")

# Connection-string keys (lower-case, spaces removed) whose value names a host or endpoint.
_HOST_KEYS = frozenset({
    "server", "datasource", "address", "addr", "networkaddress", "host", "hostname", "servername",
    "failoverpartner", "endpoint", "accountendpoint", "blobendpoint", "queueendpoint", "tableendpoint",
    "fileendpoint", "dfsendpoint", "ingestionendpoint", "liveendpoint", "profilerendpoint",
    "snapshotendpoint", "serviceuri", "url", "uri", "secreturi",
})
_STORAGE_SERVICES = ("blob", "queue", "table", "file")
_STORAGE_DEFAULT_SUFFIX = "core.windows.net"

# "X-Api-Key: abc", "Authorization: Bearer x" and bare authorisation schemes: credentials, not addresses.
_HEADER = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*:\s")
_AUTH_SCHEME = re.compile(r"^(bearer|basic|digest|negotiate|ntlm|token|sharedaccesssignature|sharedkey|"
                          r"sharedkeylite|hmac[\w\-]*|apikey|key)\s+\S", re.IGNORECASE)
_KEY_VAULT_REF = re.compile(r"^@Microsoft\.KeyVault\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)
_KV_PAIR = re.compile(r"^\s*[A-Za-z][A-Za-z0-9 _.\-]*=")
_LIBPQ_PAIR = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*('(?:[^'\\]|\\.)*'|\S*)")
_SCHEME = re.compile(r"^(?:jdbc:)?[A-Za-z][A-Za-z0-9+.\-]*://", re.IGNORECASE)
_URI_IN_TEXT = re.compile(r"(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]*://[^\s\"'<>`]+")
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$")
# Dotted names that are files or code, not hosts, though their last label is a TLD (".py", ".sh", ".zip").
_NOT_A_TLD = frozenset({"json", "xml", "yaml", "yml", "txt", "pem", "pfx", "cer", "crt", "key", "zip", "js",
                        "py", "cs", "dll", "exe", "config", "properties", "html", "png", "jpg", "svg", "css",
                        "md", "toml", "ini", "log", "sh", "ps1", "bicep", "tf", "bak", "tmp", "csv", "htm",
                        "asp", "aspx", "php", "jsp", "ashx", "asmx", "cshtml", "svc"})
_MAX_VALUE = 65536


def is_secret_key(key: str) -> bool:
    """A key that says its value is a secret: any secret word, unless its last word names a locator."""
    words = [w.lower() for w in _WORDS.findall(key)]
    if not words or not any(w in SECRET_WORDS for w in words):
        return False
    return words[-1] not in _LOCATOR_WORDS


def is_header_like(value: str) -> bool:
    """`X-Api-Key: abc`, `Authorization: Bearer ...`, `Bearer eyJ...`: a credential being carried."""
    text = value.strip()
    return bool(_HEADER.match(text) or _AUTH_SCHEME.match(text))


def hosts_in_value(key: str, value: str) -> list[str]:
    """The host names a setting names, by its grammar; nothing from a secret or a header."""
    text = value.strip()
    if not text or len(text) > _MAX_VALUE or is_secret_key(key) or is_header_like(text):
        return []
    return list(dict.fromkeys(_by_grammar(text)))


def valid_host(candidate: str) -> str | None:
    """`candidate` normalised if it is a DNS host name under a known public suffix, else None."""
    host = candidate.strip().rstrip(".").lower()
    wildcard = host.startswith("*.")
    bare = host[2:] if wildcard else host
    labels = bare.split(".")
    if len(labels) < 2 or len(bare) > 253 or not all(_LABEL.match(label) for label in labels):
        return None
    if labels[-1] in _NOT_A_TLD or not labels[-1][0].isalpha():
        return None
    if all(label.isdigit() for label in labels[:-1]):   # "1.2.3" and IPs with a letter-led junk tail
        return None
    if _public_suffixes().privatesuffix(bare) is None:  # "pg.internal", "p4ss.word", "azurewebsites.net"
        return None
    return host


def _by_grammar(text: str) -> Iterator[str]:
    vault = _KEY_VAULT_REF.match(text)
    if vault:
        yield from _key_value_hosts(vault.group(1))
    elif _SCHEME.match(text) and not _has_list_separator(text):
        yield from _uri_hosts(text)
    elif _KV_PAIR.match(text) and ";" in text:
        yield from _key_value_hosts(text)
    elif _KV_PAIR.match(text) and len(_libpq_pairs(text) or ()) > 1:
        yield from _libpq_hosts(text)
    elif _KV_PAIR.match(text):
        yield from _key_value_hosts(text)        # a single `Server=host` without a trailing ';'
    elif _is_redis(text):
        yield from _redis_hosts(text)
    elif (whole := _host_port(text)) is not None:
        yield whole
    elif (listed := _list_of_locators(text)) is not None:
        yield from listed
    else:
        for match in _URI_IN_TEXT.finditer(text):
            yield from _uri_hosts(match.group(0))


# --- key=value;key=value ------------------------------------------------------------------

def _key_value_hosts(text: str) -> Iterator[str]:
    pairs = list(_ado_pairs(text))
    explicit_storage = False
    account = suffix = None
    for key, value in pairs:
        name = key.replace(" ", "").lower()
        if name in ("accountname",):
            account = value.strip()
        elif name == "endpointsuffix":
            suffix = value.strip()
        if name in _HOST_KEYS and not is_secret_key(key):
            explicit_storage |= name in ("blobendpoint", "queueendpoint", "tableendpoint", "fileendpoint")
            yield from _host_value(value)
    protocol = any(k.replace(" ", "").lower() == "defaultendpointsprotocol" for k, _ in pairs)
    if account and not explicit_storage and (suffix or protocol) and _LABEL.match(account.lower()):
        for service in _STORAGE_SERVICES:
            host = valid_host(f"{account}.{service}.{suffix or _STORAGE_DEFAULT_SUFFIX}")
            if host:
                yield host


def _ado_pairs(text: str) -> Iterator[tuple[str, str]]:
    """`Key=Value;Key="quoted;value";...` as ADO.NET's DbConnectionStringBuilder reads it."""
    i, n = 0, len(text)
    while i < n:
        eq = text.find("=", i)
        if eq < 0:
            return
        key = text[i:eq].strip().strip(";").strip()
        j = eq + 1
        while j < n and text[j] == " ":
            j += 1
        if j < n and text[j] in "\"'":
            end = _closing_quote(text, j)
            after = text.find(";", end)
            value, i = text[j + 1:end].replace(text[j] * 2, text[j]), (after + 1 if after >= 0 else n)
        else:
            end = text.find(";", j)
            end = n if end < 0 else end
            value, i = text[j:end], end + 1
        if key:
            yield key, value


def _closing_quote(text: str, start: int) -> int:
    """The quote that closes the one at `start`; a doubled quote inside is one literal quote."""
    quote, k = text[start], start + 1
    while k < len(text):
        if text[k] == quote:
            if text[k + 1:k + 2] != quote:
                return k
            k += 1
        k += 1
    return len(text)


def _host_value(value: str) -> Iterator[str]:
    """A host-bearing key's value: a URI, or `tcp:host,1433`, `host\\instance`, `h1:5432,h2`."""
    text = value.strip()
    if "://" in text:
        yield from _uri_hosts(text)
        return
    text = re.sub(r"^(tcp|np|lpc|admin):", "", text, flags=re.IGNORECASE)
    for piece in text.split(","):
        piece = piece.strip()
        if piece.isdigit():                       # SQL Server's `host,port`
            continue
        host = _host_port(piece.split("\\", 1)[0])
        if host:
            yield host


# --- libpq: host=... port=... --------------------------------------------------------------

def _libpq_pairs(text: str) -> list[tuple[str, str]] | None:
    pairs: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        match = _LIBPQ_PAIR.match(text, i)
        if not match or match.end() == i:
            return None if text[i:].strip() else pairs
        pairs.append((match.group(1), match.group(2)))
        i = match.end()
    return pairs


def _libpq_hosts(text: str) -> Iterator[str]:
    for key, value in _libpq_pairs(text) or []:
        if key.lower() == "host":
            yield from _host_value(value.strip("'"))


# --- StackExchange.Redis: host:port,host2:port,password=...,ssl=True -----------------------

def _is_redis(text: str) -> bool:
    pieces = [p.strip() for p in text.split(",")]
    return len(pieces) > 1 and "=" not in pieces[0] and any("=" in p for p in pieces)


def _redis_hosts(text: str) -> Iterator[str]:
    for piece in text.split(","):
        piece = piece.strip()
        if "=" in piece:
            continue
        host = _host_port(piece)
        if host:
            yield host


# --- URIs ----------------------------------------------------------------------------------

def _uri_hosts(text: str) -> Iterator[str]:
    """The hosts in a URI's authority: user info dropped; `h1:27017,h2` lists and `[v6]` handled."""
    rest = re.sub(r"^jdbc:", "", text.strip(), flags=re.IGNORECASE)
    scheme, sep, rest = rest.partition("://")
    if not sep or not scheme:
        return
    authority = re.split(r"[/?#;]", rest, maxsplit=1)[0]
    authority = authority.rpartition("@")[2]     # user:password@ never read
    for piece in authority.split(","):
        host = _host_port(piece.split("\\", 1)[0])
        if host:
            yield host
    if scheme.lower() == "sqlserver":            # jdbc:sqlserver://;serverName=host;...
        properties = rest.split(";", 1)[1] if ";" in rest else ""
        for key, value in _ado_pairs(properties):
            if key.replace(" ", "").lower() in ("servername", "failoverpartner"):
                yield from _host_value(value)


def _host_port(text: str) -> str | None:
    piece = text.strip()
    if piece.startswith("["):
        return None                              # an IPv6 literal is not a host name
    host, colon, port = piece.partition(":")
    if colon and not port.isdigit():
        return None
    return valid_host(host)


def _has_list_separator(text: str) -> bool:
    """Several URIs in one value (`https://a.com https://b.com`), not one URI."""
    return len(_URI_IN_TEXT.findall(text)) > 1


def _list_of_locators(text: str) -> list[str] | None:
    """`a.com,b.com` or `https://a.com https://b.com`: every item a host or URI, else not a list."""
    items = [item for item in re.split(r"[\s,;]+", text) if item]
    if len(items) < 2:
        return None
    hosts: list[str] = []
    for item in items:
        if _SCHEME.match(item):
            hosts.extend(_uri_hosts(item))
        elif (host := _host_port(item)) is not None:
            hosts.append(host)
        else:
            return None
    return hosts


@cache
def _public_suffixes() -> PublicSuffixList:
    # Shipped with the package, parsed once; unknown TLDs ("internal", "local", "corp") are not host names.
    return PublicSuffixList(accept_unknown=False)
