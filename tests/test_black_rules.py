"""black is imported only when a unit needs it; what the generator does in its place gives black's
bytes, and a run that needs nothing of black does not import it."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from black.strings import fix_multiline_docstring, normalize_string_quotes

from generator.blackrules import normalized_quotes, reindented_docstring
from generator.freshness import installed_version

ROOT = Path(__file__).resolve().parent.parent

DOCSTRINGS = [
    "First line.\n\n    More.\n    ",
    "First line.\n        indented more\n    less\n",
    "  padded first  \n  second\n",
    "one\n\n\n   two\n\n",
    "only the first\n   \n\t\n",
    "tabs\n\tone tab\n\t\ttwo tabs\n  \tmixed\n",
    "crlf\r\n    second\r\n    third\r\n",
    "cr\r    second\r",
    "trailing spaces   \n    body   \n    ",
    "unicode space\n\u00a0\u00a0body\n    x\n",
    "form feed\n\x0c  body\n",
    "\n    starts empty\n    ",
    "x\ny",
    "x\n",
]


@pytest.mark.parametrize("docstring", DOCSTRINGS)
@pytest.mark.parametrize("indent", ["", "    ", "        "])
def test_reindented_is_black(docstring: str, indent: str) -> None:
    assert reindented_docstring(docstring, indent) == fix_multiline_docstring(docstring, indent)


def test_reindented_is_black_on_random_text() -> None:
    rng = random.Random(7)
    alphabet = ["a", "b", " ", " ", "\t", "\n", "\n", "\r\n", "\r", "\u00a0", "\x0c", '"', "\\"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 30)))
        if "\n" not in text and "\r" not in text:
            text += "\n"
        indent = " " * rng.choice((0, 4, 8))
        assert reindented_docstring(text, indent) == fix_multiline_docstring(text, indent), repr(text)


LITERALS = ["''", '""', "'a'", '"a"', "'it\\'s'", '"it\'s"', "'say \"hi\"'", '"say \\"hi\\""',
            "'both \\' and \"'", '"both \' and \\""', "'\\\\'", "'\\\\\\''", "'\\n\\t\\x00'",
            '"\\\\\\""', "'\\\"'", "'\"\"\"'", "'\\'\\'\\''", '"\\"\\"\\""']


@pytest.mark.parametrize("literal", LITERALS)
def test_normalized_quotes_is_black(literal: str) -> None:
    assert normalized_quotes(literal) == normalize_string_quotes(literal)


def test_normalized_quotes_is_black_on_random_literals() -> None:
    """On what the renderer writes (`repr` of any text) and on any well-formed one-line literal
    the layout may meet."""
    rng = random.Random(11)
    alphabet = ["a", "'", '"', "\\", " ", "\n", "\u00e9", "{", "}"]
    escapes = ["\\'", '\\"', "\\\\", "\\n", "\\x41", "a", "'", '"', " "]
    for _ in range(50000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
        literal = repr(text)
        assert normalized_quotes(literal) == normalize_string_quotes(literal), literal
        quote = rng.choice("'\"")
        body = "".join(rng.choice(escapes) for _ in range(rng.randrange(0, 10)))
        literal = quote + "".join(
            piece if piece != quote else "\\" + quote for piece in _pieces(body)) + quote
        assert normalized_quotes(literal) == normalize_string_quotes(literal), literal


def _pieces(body: str) -> list[str]:
    """`body` as escape sequences and characters (so a bare quote can be escaped)."""
    return re.findall(r"\\.|[^\\]", body, re.DOTALL)


def test_installed_version_is_what_importlib_metadata_says() -> None:
    for distribution in ("black", "jinja2", "pytest"):
        assert installed_version(distribution) == version(distribution)


def test_generating_a_small_spec_does_not_import_black(tmp_path: Path) -> None:
    """Every unit of a provider's package is laid out as black would lay it out, so its cold
    generation (an empty cache) never imports black."""
    script = (
        "import sys\n"
        "from generator.cli import main\n"
        f"code = main(['generate', {str(ROOT / 'specs' / 'krea.yaml')!r}, '-o', "
        f"{str(tmp_path / 'out')!r}, '--package', 'krea'])\n"
        "assert code == 0, code\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'black'))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=ROOT, env={"CLIENTGEN_CACHE_DIR": str(tmp_path / "cache"),
                                           "PATH": "/usr/bin:/bin"}, check=True)
    assert result.stdout.splitlines()[-1] == "[]"
    assert (tmp_path / "out" / "krea" / "client.py").is_file()
