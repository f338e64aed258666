"""A generate run killed midway leaves generated/ exactly as it was."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import tree_bytes

# Runs `clientgen generate` in a child that SIGKILLs itself at a chosen point.
CHILD = """
import os, signal, sys
import generator.render as render
import generator.writer as writer
from generator.cli import main

point = sys.argv[1]
if point == "after-first-render":
    original = render._render
    def render_then_die(*args, **kwargs):
        text = original(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
        return text
    render._render = render_then_die
else:
    original = writer._write_file
    def write_then_die(*args, **kwargs):
        original(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
    writer._write_file = write_then_die
main(["generate", "--config", sys.argv[2]])
"""


@pytest.mark.parametrize("point", ["after-first-render", "after-first-written-file"])
def test_sigkill_midway_leaves_generated_byte_identical(project: Path, point: str) -> None:
    spec = project / "specs" / "krea.yaml"
    spec.write_text(spec.read_text().replace("List jobs", "List every job"))
    before = tree_bytes(project / "generated")

    result = subprocess.run([sys.executable, "-c", CHILD, point, str(project / "pyproject.toml")],
                            capture_output=True, text=True)

    assert result.returncode == -signal.SIGKILL, result.stderr
    assert tree_bytes(project / "generated") == before
    assert sorted(p.name for p in (project / "generated").iterdir()) == sorted(
        p.name for p in (project / "generated").iterdir() if not p.name.startswith("."))


def test_the_next_run_cleans_up_after_a_killed_one(project: Path) -> None:
    subprocess.run([sys.executable, "-c", CHILD, "after-first-written-file",
                    str(project / "pyproject.toml")], capture_output=True)
    staging = project / ".clientgen-staging"
    assert staging.is_dir() and any(staging.iterdir())  # what the killed run left
    subprocess.run([sys.executable, "-m", "generator", "generate", "--config",
                    str(project / "pyproject.toml")], check=True, capture_output=True)
    assert not staging.exists()
