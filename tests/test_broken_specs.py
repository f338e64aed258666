"""Broken specs: each prints its golden error lines, exits 2, shows no traceback, writes nothing.

The inputs are tests/broken/*.yaml|json, the expected output tests/broken/<name>.expected.
A spec whose first line is `# clientgen-args: ...` is run with those arguments (`--strict` for
problems that are warnings by default because a usable client can still be generated).
After a deliberate change of a message, update the goldens with
`CLIENTGEN_UPDATE_GOLDENS=1 python -m pytest tests/test_broken_specs.py` and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import ROOT
from generator.cli import main

BROKEN = ROOT / "tests" / "broken"
CASES = sorted(p for p in BROKEN.iterdir() if p.suffix in (".yaml", ".json"))
LOCATED = re.compile(r"^tests/broken/[\w.-]+:(\d+:)? [#/][^:]*: .+$")


@pytest.mark.parametrize("spec", CASES, ids=lambda p: p.name)
def test_broken_spec_prints_its_golden_error(
    spec: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    first_line = spec.read_text(errors="replace").splitlines()[0]
    extra = first_line.split(":", 1)[1].split("(")[0].split() if first_line.startswith(
        "# clientgen-args:") else []
    code = main(["generate", *extra, str(spec.relative_to(ROOT)), "-o", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    expected = spec.with_suffix(".expected")
    if os.environ.get("CLIENTGEN_UPDATE_GOLDENS"):
        expected.write_text(err)
    assert code == 2
    assert err == expected.read_text()
    assert "Traceback" not in err and out == ""
    for line in err.splitlines():
        assert LOCATED.match(line), line
    assert not (tmp_path / "out").exists()


def test_every_broken_spec_has_a_golden() -> None:
    expected = {p.stem for p in BROKEN.glob("*.expected")}
    assert expected == {p.stem for p in CASES}
