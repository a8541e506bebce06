"""`python -m benchmarks.build_point SCALE BULK_SCALE DIR`: builds the large estate at DIR and
writes what a complete audit of it sees to DIR.expected.json, in a process of its own.

The builder holds the whole estate's description (every certificate's key, every bulk
object) at once. Python keeps memory it freed, so an audit run in the same process would
count the builder's leftovers as its own peak; here it never shares a process with them."""

from __future__ import annotations

import sys
from pathlib import Path

from auditor.estate.builder import build_estate
from benchmarks.completeness import Expected
from benchmarks.estate import EstateSize, large_estate_spec


def expected_path(estate: Path) -> Path:
    return estate.with_name(estate.name + ".expected.json")


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python -m benchmarks.build_point SCALE BULK_SCALE DIR", file=sys.stderr)
        return 2
    spec = large_estate_spec(EstateSize.at_scale(float(argv[0]), float(argv[1])))
    estate = build_estate(spec, Path(argv[2]))
    Expected.of(spec).save(expected_path(estate))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
