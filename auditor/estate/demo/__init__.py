"""The bundled demo estate: Contoso on 10 September 2025, mostly healthy, with the failure
modes of real postmortems planted in it (see SEEDED.md)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from auditor.estate.builder import build_estate, load_spec

DESCRIPTION = "contoso.toml"


def demo_description() -> Path:
    """The TOML description the demo is built from."""
    return Path(str(resources.files(__package__).joinpath(DESCRIPTION)))


def build_demo(out_dir: Path) -> Path:
    """Build the demo estate into `out_dir` (empty, missing, or an earlier estate) and return it."""
    return build_estate(load_spec(demo_description()), Path(out_dir))
