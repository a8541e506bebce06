"""Shared by every test folder: lets tests import the small helpers kept in tests/."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
