"""Where the real Azure REST payloads live: ../shared/azure-rest-examples beside the checkout."""

from __future__ import annotations

from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
REST_EXAMPLES = next(
    (p for p in (_ROOT.parent / "shared" / "azure-rest-examples", Path("/work/shared/azure-rest-examples"))
     if p.is_dir()),
    _ROOT.parent / "shared" / "azure-rest-examples",
)
