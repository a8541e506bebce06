"""`pip install <repository>` alone gives a working auditor: every package the code imports is
declared where that code is installed from (pyproject.toml for auditor/, requirements.txt plus the
wheel's own dependencies for function/). The wheel itself is installed and run by scripts/check-wheel.sh."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(spec: str) -> str:
    return _normalised(re.split(r"[\s<>=!~;\[]", spec.strip(), maxsplit=1)[0])


def _third_party_imports(folder: Path) -> dict[str, str]:
    """Top-level module -> one file importing it, for every import that is neither stdlib nor ours."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in ("auditor", "__future__"):
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def _undeclared(imports: dict[str, str], declared: set[str]) -> list[str]:
    providers = packages_distributions()
    missing = []
    for module, where in sorted(imports.items()):
        dists = {_normalised(d) for d in providers.get(module, [])}
        if not dists:
            missing.append(f"{module} ({where}): no installed distribution provides it")
        elif not dists & declared:
            missing.append(f"{module} ({where}) comes from {sorted(dists)}, which is not declared")
    return missing


def _runtime_dependencies() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {_requirement_name(spec) for spec in project["dependencies"]}


def test_every_package_the_auditor_imports_is_a_runtime_dependency() -> None:
    missing = _undeclared(_third_party_imports(ROOT / "auditor"), _runtime_dependencies())
    assert not missing, "declare these in pyproject.toml [project] dependencies (not the dev extra): " + \
        "; ".join(missing)


def test_every_package_the_function_imports_is_in_its_requirements() -> None:
    lines = (ROOT / "function" / "requirements.txt").read_text().splitlines()
    specs = [line for line in (raw.strip() for raw in lines) if line and not line.startswith(("#", "./"))]
    declared = {_requirement_name(spec) for spec in specs} | _runtime_dependencies()
    missing = _undeclared(_third_party_imports(ROOT / "function"), declared)
    assert not missing, "declare these in function/requirements.txt: " + "; ".join(missing)


def test_the_check_sees_an_undeclared_import() -> None:
    # click is imported by the CLI; without it declared the check must complain.
    imports = {"click": "auditor/cli/app.py"}
    assert _undeclared(imports, _runtime_dependencies() - {"click"})
    assert not _undeclared(imports, _runtime_dependencies())


def test_ci_builds_and_runs_the_wheel_before_the_tests() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.index("scripts/check-wheel.sh") < ci.index("make test")
    script = (ROOT / "scripts" / "check-wheel.sh").read_text()
    for step in ("pip wheel", "--no-deps", "venv", "auditor\" --version", "auditor\" demo",
                 "-r requirements.txt", "import function_app"):
        assert step in script, step
    assert "[dev]" not in script
