"""Shared fixtures: the repository layout and a scratch copy of the project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ROOT / "generated"
SPECS = ROOT / "specs"
PROVIDERS = ("aigenstudio_image", "aigenstudio_product_photo", "krea", "depicta", "fashion_studio")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's config, specs and generated output, safe to modify."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(SPECS, tmp_path / "specs")
    shutil.copytree(GENERATED, tmp_path / "generated",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Prism contract tests run grouped by spec, so one Prism per spec and mode is started."""
    def spec_of(item: pytest.Item) -> str:
        callspec = getattr(item, "callspec", None)
        target = callspec.params.get("target") if callspec is not None else None
        return getattr(target, "name", "")

    def is_contract(item: pytest.Item) -> bool:
        return getattr(getattr(item, "module", None), "__name__", "") == "test_prism_contract"

    contract = [item for item in items if is_contract(item)]
    if not contract:
        return
    order = {name: index for index, name in enumerate(dict.fromkeys(map(spec_of, contract)))}
    grouped = iter(sorted(contract, key=lambda item: order[spec_of(item)]))
    items[:] = [next(grouped) if is_contract(item) else item for item in items]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Per-spec counts of the Prism contract tests: operations, calls, decoded bodies."""
    import sys

    module = sys.modules.get("test_prism_contract")
    stats = getattr(module, "STATS", None)
    if not stats:
        return
    terminalreporter.section("Prism contract tests")
    terminalreporter.write_line(
        f"{'spec':22} {'operations':>10} {'calls':>6} {'decoded':>8} {'invalid':>8} "
        f"{'errors':>7} {'relayed':>8}")
    for name, row in stats.items():
        terminalreporter.write_line(
            f"{name:22} {len(row['operations']):>10} {row['calls']:>6} {row['decoded']:>8} "
            f"{row['invalid']:>8} {row['errors']:>7} {row['relayed']:>8}")
    terminalreporter.write_line(
        "invalid: Prism says the body it sent breaks the spec (a spec example that contradicts "
        "its schema, or\n  a value the spec's own oneOf makes ambiguous); relayed: Prism's "
        "placeholder cursor sent back\n  and rejected by the same spec's cursor parameter "
        "(see STATIC_LISTING_END)")
    for name, row in stats.items():
        for line in sorted(row["invalid_bodies"]):
            terminalreporter.write_line(f"  {name} {line}")
