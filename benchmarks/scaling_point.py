"""`python -m benchmarks.scaling_point SCALE BULK_SCALE WORKDIR`: one large-estate audit in a
process of its own, so its peak memory is its own; prints the record as one JSON line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchmarks import large_estate


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python -m benchmarks.scaling_point SCALE BULK_SCALE WORKDIR", file=sys.stderr)
        return 2
    result = large_estate.run(float(argv[0]), Path(argv[2]), bulk_scale=float(argv[1]))
    print(json.dumps({"passed": result.passed, "line": result.line(), **result.data}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
