"""The graph's indexes answer exactly what the scans they replace answered."""

from __future__ import annotations

import itertools
import random

from auditor.graph.indexes import by_wildcard, names_covered, wildcard_of
from auditor.normalise.hostnames import covers, normalise

LABELS = ("a", "b", "www", "api", "*")
ZONES = ("contoso.com", "fabrikam.co.uk", "com")


def _names(rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        depth = rng.randint(0, 2)
        labels = [rng.choice(LABELS) for _ in range(depth)]
        if labels and "*" in labels[1:]:
            labels = [label for label in labels if label != "*"]
        out.append(".".join([*labels, rng.choice(ZONES)]))
    return out


def test_covered_names_match_the_tls_wildcard_rule_on_every_pair() -> None:
    rng = random.Random(7)
    names = frozenset(normalise(n) for n in _names(rng, 300))
    wildcards = by_wildcard(names)
    patterns = [*_names(rng, 200), "*.CONTOSO.com.", " www.contoso.com", "*.com"]
    for pattern in patterns:
        expected = {n for n in names if covers(pattern, n)}
        assert names_covered([pattern], names, wildcards) == expected, pattern
    for pair in itertools.combinations(patterns[:40], 2):
        assert names_covered(pair, names, wildcards) == {n for n in names if any(covers(p, n) for p in pair)}


def test_the_wildcard_of_a_name_is_one_label_up() -> None:
    assert wildcard_of("www.contoso.com") == "*.contoso.com"
    assert wildcard_of("*.contoso.com") == "*.contoso.com"     # covers() lets *.x cover *.x
    assert wildcard_of("com") is None
    assert wildcard_of(".contoso.com") is None
