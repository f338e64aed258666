"""The corpus runner (scripts/corpus.py): how it classifies a spec's outcome and when it fails.

These run it on a tiny corpus made in `tmp_path`. The real corpus (../shared/corpus) is run by
CI (.ci/run) and by hand: `.venv/bin/python scripts/corpus.py` (README, "Corpus").
"""

from __future__ import annotations

import importlib.util
import json
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("corpus", ROOT / "scripts" / "corpus.py")
assert _spec is not None and _spec.loader is not None
corpus = importlib.util.module_from_spec(_spec)
sys.modules["corpus"] = corpus
_spec.loader.exec_module(corpus)

GOOD = """\
openapi: 3.1.0
info: {title: Good API, version: '1'}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}
components:
  schemas:
    Thing: {type: object, required: [id], properties: {id: {type: integer}, tag: {type: string, nullable: true}}}
"""
BROKEN = """\
openapi: 3.1.0
info: {title: Broken, version: '1'}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Missing'}}}
"""
CRASH = "import sys\nprint('Traceback (most recent call last):', file=sys.stderr)\nsys.exit(3)\n"


def make_corpus(tmp_path: Path, specs: dict[str, str], expected: str = "") -> Path:
    for relative, text in specs.items():
        path = tmp_path / "corpus" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    (tmp_path / "expected.txt").write_text(expected, encoding="utf-8")
    return tmp_path / "corpus"


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, list]:
    results = tmp_path / "results.json"
    code = corpus.main(["--corpus", str(tmp_path / "corpus"), "--expected-errors",
                        str(tmp_path / "expected.txt"), "--json", str(results), *extra])
    out = capsys.readouterr().out
    return code, out, json.loads(results.read_text())


def test_a_client_is_generated_imported_and_type_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_corpus(tmp_path, {"edge/good.yaml": GOOD})
    code, out, [result] = run(tmp_path, capsys, "edge")
    assert code == 0, out
    assert (result["outcome"], result["imports"], result["mypy"]) == ("client", True, True)
    assert result["package"] == "good_api" and result["lines"] > 100
    assert result["warnings"] == 1  # `nullable` in 3.1
    assert "| edge/good.yaml | client | 1 |" in out
    assert "**Summary:** 1 specs: 1 client, 0 clean error, 0 crash; imports OK 1/1; " \
        "mypy --strict OK 1/1" in out and "PASS" in out


@pytest.mark.parametrize(
    ("expected", "exit_code", "note"),
    [
        pytest.param("", 1, "NOT in the expected list", id="unexpected"),
        pytest.param("edge/broken.yaml  refers to a schema it does not have\n", 0,
                     "expected: refers to a schema it does not have", id="listed"),
    ],
)
def test_a_clean_error_passes_only_when_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], expected: str, exit_code: int,
    note: str,
) -> None:
    make_corpus(tmp_path, {"edge/broken.yaml": BROKEN}, expected)
    code, out, [result] = run(tmp_path, capsys, "edge", "--no-mypy")
    assert code == exit_code, out
    assert result["outcome"] == "error" and result["exit_code"] == 2
    assert result["reason"].startswith("/paths/~1a/get/responses/200/content/")
    assert note in out


def test_a_clean_error_outside_the_gated_folders_does_not_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_corpus(tmp_path, {"large/broken.yaml": BROKEN})
    code, out, [result] = run(tmp_path, capsys, "large", "--no-mypy")
    assert (code, result["outcome"]) == (0, "error"), out


def test_a_crash_fails_the_run_in_any_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_corpus(tmp_path, {"large/good.yaml": GOOD})
    fake = tmp_path / "fake_clientgen.py"
    fake.write_text(CRASH, encoding="utf-8")
    code, out, [result] = run(tmp_path, capsys, "large", "--no-mypy", "--clientgen",
                              f"{sys.executable} {fake}")
    assert code == 1
    assert (result["outcome"], result["exit_code"]) == ("crash", 3)
    assert "| large/good.yaml | **crash** |" in out


def test_a_timeout_is_a_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_corpus(tmp_path, {"edge/good.yaml": GOOD})
    fake = tmp_path / "slow.py"
    fake.write_text("import time\ntime.sleep(30)\n", encoding="utf-8")
    code, _, [result] = run(tmp_path, capsys, "edge", "--no-mypy", "--timeout", "1",
                            "--clientgen", f"{sys.executable} {fake}")
    assert code == 1
    assert result["outcome"] == "crash" and result["reason"] == "timed out after 1 s"


@pytest.mark.parametrize(
    ("line", "located"),
    [
        ("spec.yaml:12: /paths/~1a/get: warning: something", True),
        ("spec.yaml: #: an error without a line", True),
        ("dir/spec.json:3: /components/schemas/A~1B: info: x: y", True),
        ("clientgen: internal error: ValueError: boom", False),
        ("Traceback (most recent call last):", False),
    ],
)
def test_located_lines_are_recognised(line: str, located: bool) -> None:
    assert bool(corpus.LOCATED.match(line)) is located


@pytest.mark.parametrize(
    ("stderr", "outcome"),
    [
        ("spec.yaml:3: /paths/~1a: operationId 'internal error' is used twice", "error"),
        ("spec.yaml: #: internal error: the generated code does not parse", "crash"),
        ("clientgen: internal error: KeyError: 'x'", "crash"),
        ("something unlocated", "crash"),
    ],
)
def test_exit_2_is_a_clean_error_only_with_located_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], stderr: str, outcome: str
) -> None:
    make_corpus(tmp_path, {"large/a.yaml": GOOD})
    fake = tmp_path / "fake.py"
    fake.write_text(f"import sys\nprint({stderr!r}, file=sys.stderr)\nsys.exit(2)\n")
    _, _, [result] = run(tmp_path, capsys, "large", "--no-mypy", "--clientgen",
                         f"{sys.executable} {fake}")
    assert result["outcome"] == outcome, result
