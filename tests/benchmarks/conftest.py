"""benchmarks/ is not an installed package: import it from the repository root, as
`make bench` (python -m benchmarks.run) does."""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
