"""`yamldata.load_yaml` gives what `yaml.load` gives with the spec loader: the same values of the
same types, the same sharing, the same errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.loader import _SpecLoader
from generator.yamldata import load_yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"

DOCUMENTS = {
    "scalars": "a: 1\nb: 0x1F\nc: 0o17\nd: 1_000\ne: 010\nf: 1.5\ng: .inf\nh: -.Inf\ni: .NaN\n"
               "j: yes\nk: off\nl: True\nm: ~\nn: null\no:\np: 2024-01-01\nq: 2024-01-01T10:00:00Z\n"
               "r: '2024-01-01'\ns: \"x\\ty\"\nt: !!str 123\nu: !!int \"7\"\nv: !!float 1\n"
               "w: !!binary aGVsbG8=\nx: 1e3\ny: -0\nz: +12\n",
    "keys": "200: ok\n1.5: f\ntrue: b\n~: n\n2024-01-01: d\n'200': s\n",
    "duplicate keys": "a: 1\na: 2\n",
    "nested": "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          content: {a: [1, {b: c}]}\n",
    "flow": "{a: [1, 2, {b: [x, y]}], c: {}}",
    "sequence root": "- 1\n- [a, b]\n- {c: d}\n",
    "scalar root": "just text\n",
    "empty": "",
    "comment only": "# nothing\n",
    "aliases": "a: &x {k: [1, 2]}\nb: *x\nc: &y [*x, *x]\nd: *y\n",
    "recursive mapping": "a: &x {self: *x, n: 1}\n",
    "recursive sequence": "&x [1, *x]\n",
    "alias of a scalar": "a: &s hello\nb: *s\nc: &n 5\nd: *n\n",
    "merge key": "base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n",
    "merge list": "a: &a {x: 1}\nb: &b {y: 2}\nc: {<<: [*a, *b], z: 3}\n",
    "set": "!!set {a, b}\n",
    "omap": "!!omap [a: 1, b: 2]\n",
    "pairs": "!!pairs [a: 1, a: 2]\n",
    "tagged map": "a: !!map {b: 1}\nc: !!seq [1]\n",
    "custom tag": "a: !custom 1\n",
    "custom tag on a map": "a: !custom {b: 1}\n",
    "complex key": "? [a, b]\n: c\n",
    "mapping key": "? {a: 1}\n: c\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "bad int": "a: !!int abc\n",
    "unicode": "a: \"\\u00e9\\U0001F600\"\nb: é\n",
    "explicit document": "--- \na: 1\n...\n",
}


def _outcome(load: Any, text: str) -> tuple[str, Any]:
    try:
        return "value", load(text)
    except Exception as exc:  # noqa: BLE001 - the error is what is compared
        return "error", (type(exc).__name__, str(exc))


def _shape(value: Any, seen: dict[int, int]) -> Any:
    """`value` with its sharing made visible: the n-th distinct collection is named n."""
    if isinstance(value, (dict, list)):
        if id(value) in seen:
            return ("same as", seen[id(value)])
        seen[id(value)] = len(seen)
        if isinstance(value, dict):
            return ("dict", seen[id(value)], [(repr(k), type(k).__name__, _shape(v, seen))
                                              for k, v in value.items()])
        return ("list", seen[id(value)], [_shape(v, seen) for v in value])
    return (type(value).__name__, repr(value))


def _same(text: str) -> None:
    expected = _outcome(lambda t: yaml.load(t, Loader=_SpecLoader), text)  # noqa: S506
    found = _outcome(lambda t: load_yaml(t, _SpecLoader), text)
    assert found[0] == expected[0]
    if expected[0] == "error":
        assert found[1] == expected[1]
    else:
        assert _shape(found[1], {}) == _shape(expected[1], {})


@pytest.mark.parametrize("name", DOCUMENTS)
def test_load_yaml_gives_what_yaml_load_gives(name: str) -> None:
    _same(DOCUMENTS[name])


def test_load_yaml_on_every_spec_and_corpus_yaml() -> None:
    paths = [*sorted((ROOT / "specs").glob("*.yaml")), *sorted(CORPUS.glob("*/*.y*ml"))]
    for path in paths:
        _same(path.read_text(encoding="utf-8", errors="surrogateescape"))
