"""`python -m auditor.estate.builder DESCRIPTION.toml OUT_DIR`: build an estate from a TOML description."""

from __future__ import annotations

import sys
from pathlib import Path

from auditor.errors import AuditorError
from auditor.estate.builder.build import build_estate
from auditor.estate.builder.toml_spec import load_spec


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m auditor.estate.builder DESCRIPTION.toml OUT_DIR", file=sys.stderr)
        return 2
    try:
        out = build_estate(load_spec(Path(argv[0])), Path(argv[1]))
    except AuditorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
