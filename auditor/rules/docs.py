"""docs/rules.md, generated from the rules' metadata so it cannot drift.

Regenerate with: python -m auditor.rules.docs > docs/rules.md
"""

from __future__ import annotations

from auditor.rules.metadata import Rule
from auditor.rules.registry import RULES

HEADER = """# Rules

Generated from the rules' metadata (`auditor/rules/*.py`) by `python -m auditor.rules.docs`;
edit the metadata, not this file.

Every finding names its rule, a severity, a subject (a lower-case host name, a Key Vault
certificate as `vault/name`, or a resource id) and the resource it concerns. Rule ids are
stable. Suppress a finding you accept in `auditor.toml`:

```toml
[[suppressions]]
rule = "cert-unmanaged"
subject = "kv-legacy/partner-api"
reason = "partner renews by hand, ticket OPS-1234"
expires = 2025-12-31
```

After `expires` the finding comes back, with `suppression_expired` in its evidence.

| rule | default severity | title |
|---|---|---|
"""


def render(rules: tuple[Rule, ...] = RULES) -> str:
    lines = [HEADER.rstrip("\n")]
    lines += [f"| [`{r.id}`](#{r.id}) | {r.metadata.severity.value} | {r.metadata.title} |" for r in rules]
    for rule in rules:
        m = rule.metadata
        lines += [
            "",
            f"## {m.id}",
            "",
            f"**{m.title}.** Default severity: `{m.severity.value}`.",
            "",
            f"**What it checks.** {m.checks}",
            "",
            f"**Why it matters.** {m.rationale}",
            "",
            f"**How to fix it.** {m.remediation}",
            "",
            "**References.**",
            "",
            *[f"- <{url}>" for url in m.references],
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
