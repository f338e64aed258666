"""The command line: check, generate, validate, and what bad input does to the disk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import tree_bytes
from generator.cli import main

LOCATED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<pointer>#?/?[^:]*): (?P<message>.+)$")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_passes_on_the_repository(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check")
    assert code == 0, out
    assert "up to date" in out


def test_check_reports_a_stale_tree_then_generate_fixes_it(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(project / "pyproject.toml")
    spec = project / "specs" / "krea.yaml"
    spec.write_text(spec.read_text().replace("Filter by job status", "Only jobs in this status"))

    code, out, err = run(capsys, "check", "--config", config)
    assert code == 1
    assert "-    \"\"\"Filter by job status\"\"\"" in out
    assert "+    \"\"\"Only jobs in this status\"\"\"" in out
    assert "stale" in err

    assert run(capsys, "generate", "--config", config)[0] == 0
    assert run(capsys, "check", "--config", config)[0] == 0


def test_generate_twice_gives_identical_trees(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = str(project / "pyproject.toml")
    assert run(capsys, "generate", "--config", config)[0] == 0
    first = tree_bytes(project / "generated")
    assert run(capsys, "generate", "--config", config)[0] == 0
    assert tree_bytes(project / "generated") == first


BROKEN = {
    "syntax error": (
        "openapi: 3.1.0\ninfo:\n  title: Broken\n  version: '1'\npaths:\n  /a: [\n",
        7, "#", "invalid YAML"),
    "dangling ref": (
        "openapi: 3.1.0\ninfo: {title: Broken, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json:\n              schema:\n"
        "                $ref: '#/components/schemas/Missing'\n",
        12, "/paths/~1a/get/responses/200/content/application~1json/schema/$ref",
        "does not resolve"),
    "ref outside the folder": (
        "openapi: 3.1.0\ninfo: {title: Broken, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json:\n              schema:\n"
        "                $ref: '../../etc/passwd'\n",
        12, "/paths/~1a/get/responses/200/content/application~1json/schema/$ref",
        "outside the spec's folder"),
}


@pytest.mark.parametrize("case", BROKEN, ids=str)
def test_bad_spec_gives_one_located_error_and_leaves_generated_untouched(
    case: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, line, pointer, message = BROKEN[case]
    (project / "specs" / "krea.yaml").write_text(text)
    before = tree_bytes(project / "generated")

    code, out, err = run(capsys, "generate", "--config", str(project / "pyproject.toml"))

    assert code == 2
    errors = [l for l in err.splitlines() if "warning:" not in l and "info:" not in l]
    assert len(errors) == 1, err
    match = LOCATED.match(errors[0])
    assert match, errors[0]
    assert match["file"].endswith("specs/krea.yaml")
    assert int(match["line"]) == line
    assert match["pointer"] == pointer
    assert message in match["message"]
    assert "Traceback" not in err
    assert tree_bytes(project / "generated") == before


def test_validate_reports_warnings_with_locations(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", "specs/aigenstudio-image.yaml")
    assert code == 0
    assert ("specs/aigenstudio-image.yaml:140: /components/schemas/JobSummary/properties/"
            "completed_at/nullable: warning:") in err


def test_strict_turns_warnings_into_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validate", "--strict", "specs/aigenstudio-image.yaml")
    assert code == 2
    assert "warning:" not in err and "nullable" in err


def test_user_files_survive_regeneration(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    own = project / "generated" / "krea" / "extensions.py"
    own.write_text("# hand-written\n")
    assert run(capsys, "generate", "--config", str(project / "pyproject.toml"))[0] == 0
    assert own.read_text() == "# hand-written\n"
    assert run(capsys, "check", "--config", str(project / "pyproject.toml"))[0] == 0


def test_generate_one_spec_into_a_folder_named_from_the_title(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "generate", "specs/krea.yaml", "-o", str(tmp_path))
    assert code == 0
    assert (tmp_path / "krea_api" / "client.py").is_file()
    assert (tmp_path / "krea_api" / "py.typed").is_file()


def test_missing_spec_is_a_clean_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "generate", "nope.yaml", "-o", str(tmp_path))
    assert code == 2
    assert err.strip() == "nope.yaml: #: file not found"


def test_the_console_command_runs_main_without_the_cycle_collector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc

    import generator.cli as cli

    seen: list[bool] = []

    def fake_main() -> int:
        seen.append(gc.isenabled())
        return 2

    monkeypatch.setattr(cli, "main", fake_main)
    try:
        with pytest.raises(SystemExit) as stopped:
            cli.run()
        assert stopped.value.code == 2
        assert seen == [False]
        assert gc.get_freeze_count() > 0  # the teardown's collection has nothing to walk
    finally:
        gc.unfreeze()
        gc.enable()


def test_python_m_generator_is_the_console_command() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "generator", "--version"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.startswith("clientgen ")
