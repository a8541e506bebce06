"""Apex detection follows the Public Suffix List, so multi-label suffixes are not subdomains."""

from __future__ import annotations

import pytest

from auditor.normalise.hostnames import is_apex, registrable_domain


@pytest.mark.parametrize(("name", "apex"), [
    ("contoso.com", True), ("Contoso.COM.", True), ("fabrikam.co.uk", True), ("www.fabrikam.co.uk", False),
    ("www.contoso.com", False), ("co.uk", False), ("", False),
])
def test_is_apex(name: str, apex: bool) -> None:
    assert is_apex(name) is apex


def test_registrable_domain() -> None:
    assert registrable_domain("a.b.fabrikam.co.uk") == "fabrikam.co.uk"
