"""Host-name handling as DNS and TLS define it: case, trailing dots, wildcards, parents."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

# A DNS name with at least one dot and a letter-led TLD; labels of letters, digits, hyphens.
_HOST = re.compile(
    r"(?<![A-Za-z0-9\-.@])((?:\*\.)?(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9\-]{0,62})\.?(?![A-Za-z0-9\-])"
)
# Things that look like host names but are not: file names and common code tokens.
_NOT_A_TLD = {"json", "xml", "yaml", "yml", "txt", "pem", "pfx", "cer", "crt", "key", "zip", "js",
              "py", "cs", "dll", "exe", "config", "properties", "html", "png", "jpg", "svg", "css",
              "md", "toml", "ini", "log", "sh", "ps1", "bicep", "tf", "bak", "tmp", "csv",
              # web pages, as in App Service's siteConfig.defaultDocuments and probe paths
              "htm", "asp", "aspx", "php", "jsp", "ashx", "asmx", "cshtml", "svc"}


def normalise(name: str) -> str:
    """Lower-case, no trailing dot, no surrounding white space."""
    return name.strip().rstrip(".").lower()


def covers(pattern: str, name: str) -> bool:
    """Does a certificate name cover a host name? `*.a.com` covers `x.a.com`,
    not `a.com` and not `y.x.a.com` (RFC 6125: the wildcard is one whole left-most label)."""
    pattern, name = normalise(pattern), normalise(name)
    if not pattern.startswith("*."):
        return pattern == name
    suffix = pattern[1:]                      # ".a.com"
    if not name.endswith(suffix):
        return False
    label = name[: -len(suffix)]
    return bool(label) and "." not in label


def is_under(name: str, domain: str) -> bool:
    """`name` is `domain` itself or any name below it."""
    name, domain = normalise(name), normalise(domain)
    return name == domain or name.endswith("." + domain)


def parents(name: str) -> Iterator[str]:
    """`a.b.c.com` -> `a.b.c.com`, `b.c.com`, `c.com`, `com`."""
    labels = normalise(name).split(".")
    for i in range(len(labels)):
        yield ".".join(labels[i:])


def hostname_of(value: str) -> str | None:
    """The host name of a URL, `host:port` or bare host name, else None."""
    text = value.strip()
    if not text:
        return None
    if "://" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if not host or not _HOST.fullmatch(host):
        return None
    return normalise(host)


def hostnames_in(text: str) -> list[str]:
    """Every host name named in free text: URLs, connection strings, CORS lists.

    Returns lower-case names without duplicates, in order of appearance.
    """
    found: dict[str, None] = {}
    for match in _HOST.finditer(text):
        host = normalise(match.group(1))
        if host.rsplit(".", 1)[-1] in _NOT_A_TLD or _looks_like_version(host):
            continue
        found.setdefault(host, None)
    return list(found)


def _looks_like_version(host: str) -> bool:
    return all(part.isdigit() for part in host.split(".")[:-1])


@cache
def _public_suffixes() -> PublicSuffixList:
    # The Public Suffix List ships inside the package: no network, parsed once per process.
    return PublicSuffixList()


def registrable_domain(name: str) -> str | None:
    """The domain a registrant owns: `www.fabrikam.co.uk` -> `fabrikam.co.uk`."""
    result = _public_suffixes().privatesuffix(normalise(name))
    return str(result) if result else None


def is_apex(name: str) -> bool:
    """A zone apex as registrars see it (`contoso.com`, `fabrikam.co.uk`), not a subdomain."""
    host = normalise(name)
    return bool(host) and registrable_domain(host) == host
