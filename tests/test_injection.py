"""Spec text is untrusted: no string in a spec can inject code into the generated client.

Hypothesis writes specs whose names, descriptions, summaries, enum values, defaults, examples,
paths, server URLs, header names, media types and extension values hold quotes, triple quotes,
backslashes, newlines, NUL, Unicode line separators, template syntax and code payloads. Every
generated package must parse, import without side effects (the payloads' canary never appears),
and give back exactly the strings that are data (enum values, defaults, paths, wire names).
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import itertools
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import GenerationFailed, Reporter
from generator.pipeline import Options, generate_package
from generator.writer import write_package

CANARY = Path(tempfile.gettempdir()) / f"clientgen-canary-{os.getpid()}"
PAYLOADS = [
    f'"""; __import__("os").mkdir({str(CANARY)!r})  #',
    f"'''; __import__('os').mkdir({str(CANARY)!r})  #",
    f'"; __import__("os").mkdir({str(CANARY)!r}); "',
    f"\n__import__('os').mkdir({str(CANARY)!r})\n",
    f"\\\n__import__('os').mkdir({str(CANARY)!r})",
    "{{ 7 * 7 }}", "{% for x in y %}", "{#", "${x}", "{x}", "%s %(x)s",
    "\\", "\\N{BULLET}", "\\x00", "\x00", "\u2028", "\u2029", "\x85", "\x0b\x0c", "\r\n", "\t",
    "\u202e", "\ud800", "😀", "中文", "é", "`", "```", "<script>", "# comment", "'", '"',
]
ALPHABET = st.characters(codec=None, exclude_categories=())
TEXT = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(alphabet=ALPHABET, max_size=20),
    st.lists(st.sampled_from(PAYLOADS), min_size=1, max_size=4).map("".join),
    st.tuples(st.text(max_size=8), st.sampled_from(PAYLOADS), st.text(max_size=8)).map("".join),
)


@st.composite
def hostile_specs(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A spec full of hostile strings, and the data strings expected back."""
    enum_values = draw(st.lists(TEXT, min_size=1, max_size=4, unique=True))
    default = draw(TEXT)
    prop = draw(TEXT)
    header = draw(TEXT)
    literal_path = "/" + draw(TEXT).replace("{", "(").replace("}", ")")
    server = "https://example.com/" + draw(TEXT)
    spec = {
        "openapi": "3.1.0",
        "info": {"title": draw(TEXT), "version": draw(TEXT), "description": draw(TEXT),
                 "x-note": draw(TEXT)},
        "servers": [{"url": server, "description": draw(TEXT)}],
        "security": [{draw(TEXT) or "key": []}],
        "paths": {
            literal_path: {
                "get": {
                    "operationId": draw(TEXT),
                    "summary": draw(TEXT),
                    "description": draw(TEXT),
                    "x-extension": {draw(TEXT): draw(TEXT)},
                    "parameters": [
                        {"name": draw(TEXT) or "q", "in": "query", "description": draw(TEXT),
                         "schema": {"type": "string", "default": default,
                                    "example": draw(TEXT)}},
                        {"name": header or "h", "in": "header",
                         "schema": {"type": "string"}},
                    ],
                    "responses": {
                        "200": {
                            "description": draw(TEXT),
                            "content": {
                                "application/json; charset=" + draw(TEXT): {
                                    "schema": {"$ref": "#/components/schemas/Thing"},
                                    "example": {draw(TEXT): draw(TEXT), "$ref": draw(TEXT)},
                                },
                            },
                        },
                    },
                },
            },
        },
        "components": {
            "securitySchemes": {},
            "schemas": {
                "Thing": {
                    "type": "object",
                    "title": draw(TEXT),
                    "description": draw(TEXT),
                    "required": [prop],
                    "properties": {
                        prop: {"type": "string", "description": draw(TEXT)},
                        "kind": {"$ref": "#/components/schemas/Kind"},
                        "tuned": {"type": "string", "default": default,
                                  "examples": [draw(TEXT)]},
                    },
                },
                "Kind": {"type": "string", "enum": enum_values, "description": draw(TEXT)},
                draw(TEXT) or "Other": {"type": "object", "description": draw(TEXT),
                                        "properties": {draw(TEXT): {"type": "integer"}}},
            },
        },
    }
    scheme_name = next(iter(spec["security"][0]))
    spec["components"]["securitySchemes"][scheme_name] = {
        "type": "apiKey", "in": "header", "name": draw(TEXT) or "X-Key",
        "description": draw(TEXT)}
    expected = {"enum": enum_values, "default": default, "path": literal_path,
                "property": prop, "server": server}
    return spec, expected


_counter = itertools.count()


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_generated(spec: dict[str, Any], expected: dict[str, Any], folder: Path) -> None:
    """Generate, parse, import and read back; raise AssertionError on any injection."""
    spec_path = folder / f"spec{next(_counter)}.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    name = f"hostile_{next(_counter)}"
    try:
        _, files = generate_package(spec_path, name, Reporter(), Options(validate=False))
    except GenerationFailed as failed:
        # Refusing a spec is allowed with a located message about the spec; output that does
        # not parse is a failure of the escaping, never an acceptable refusal.
        internal = [d.format() for d in failed.diagnostics if "internal error" in d.message]
        assert not internal, internal
        return
    for relative, text in files.items():
        if relative.endswith(".py"):
            ast.parse(text, filename=relative)  # raises SyntaxError on any break-out
    write_package(files, folder / name)
    sys.path.insert(0, str(folder))
    try:
        package = importlib.import_module(name)
        models = importlib.import_module(f"{name}.models")
        client_module = importlib.import_module(f"{name}.client")
        assert not CANARY.exists(), "a payload ran during import"

        kind = next(getattr(models, n) for n in models.__all__
                    if getattr(getattr(models, n), "__members__", None) is not None
                    and expected["enum"][0] in [m.value for m in getattr(models, n)])
        assert [member.value for member in kind] == expected["enum"]
        thing_class = next(getattr(models, n) for n in models.__all__
                           if "_wire_names" in vars(getattr(models, n))
                           and expected["property"] in getattr(models, n)._wire_names)
        defaults = [f.metadata.get("default") for f in dataclasses.fields(thing_class)
                    if "default" in f.metadata]
        assert defaults == [expected["default"]]
        thing = thing_class.from_dict({expected["property"]: "v", "kind": expected["enum"][0]})
        assert thing.to_dict() == {expected["property"]: "v", "kind": expected["enum"][0]}
        assert package.Client._default_base_url == (
            expected["server"] if _encodable(expected["server"]) else "")

        captured: list[Any] = []

        def capture(request: Any) -> Any:
            captured.append(request)
            raise LookupError("captured")

        client = package.Client(api_key="k", base_url="https://example.com")
        client._send_raw = capture  # type: ignore[method-assign]
        if not _encodable(expected["path"]):
            return  # skipped with a warning: nothing to call
        operation = next(name for name in dir(client_module.Client)
                         if not name.startswith("_") and callable(getattr(client, name))
                         and name not in ("close", "with_raw_response"))
        with pytest.raises(LookupError):
            getattr(client, operation)()
        assert captured[0].path == expected["path"]
    finally:
        sys.path.remove(str(folder))
        for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[module]
    assert not CANARY.exists(), "a payload ran"


@settings(max_examples=int(os.environ.get("CLIENTGEN_INJECTION_EXAMPLES", "500")),
          deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])
@given(case=hostile_specs())
def test_hostile_strings_never_inject_code(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    spec, expected = case
    with tempfile.TemporaryDirectory() as folder:
        check_generated(spec, expected, Path(folder))


def test_every_payload_at_once(tmp_path: Path) -> None:
    spec, expected = _all_payloads_spec()
    check_generated(spec, expected, tmp_path)


def _all_payloads_spec(payloads: list[str] = PAYLOADS) -> tuple[dict[str, Any], dict[str, Any]]:
    text = "".join(payloads)
    spec = {
        "openapi": "3.1.0",
        "info": {"title": text, "version": text, "description": text},
        "servers": [{"url": "https://example.com/" + text}],
        "paths": {"/" + text.replace("{", "(").replace("}", ")"): {"get": {
            "operationId": text, "summary": text, "description": text,
            "responses": {"200": {"description": text, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Thing"}}}}}}}},
        "components": {"schemas": {
            "Thing": {"type": "object", "description": text, "required": [text],
                      "properties": {text: {"type": "string", "description": text},
                                     "kind": {"$ref": "#/components/schemas/Kind"},
                                     "tuned": {"type": "string", "default": text}}},
            "Kind": {"type": "string", "enum": payloads, "description": text}}},
    }
    expected = {"enum": payloads, "default": text,
                "path": "/" + text.replace("{", "(").replace("}", ")"), "property": text,
                "server": "https://example.com/" + text}
    return spec, expected


def test_the_check_catches_a_raw_pasted_description(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the docstring escape disabled, the same check fails: it would catch a regression."""
    import generator.render as render
    import generator.render.views as views

    def raw(text: str) -> str:
        return text

    monkeypatch.setattr(views, "docstring", raw)
    monkeypatch.setattr(render, "docstring", raw)
    spec, expected = _all_payloads_spec([p for p in PAYLOADS if p != "\ud800"])
    spec["components"]["schemas"]["Thing"]["description"] = PAYLOADS[0]
    with pytest.raises((SyntaxError, AssertionError)) as caught:
        check_generated(spec, expected, tmp_path)
    print("caught:", type(caught.value).__name__, str(caught.value)[:200])
    if CANARY.exists():
        CANARY.rmdir()
