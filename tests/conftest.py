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
