"""Table-driven tests of `$ref` resolution (generator.resolver) and `Document.line_of`."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import ir
from generator.build import build_api
from generator.diagnostics import (
    Diagnostic, GenerationFailed, Reporter, Severity, pointer_join, pointer_tokens,
)
from generator.loader import Document, load_document
from generator.resolver import ResolvedSpec, resolve_refs
from generator.validate import check_version

SPEC = "spec.yaml"


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def reporter_for(document: Document) -> Reporter:
    """A reporter that finds lines in the root document, as pipeline.generate_package sets up."""
    reporter = Reporter()
    reporter.add_source(document)
    return reporter


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Turn a hang into a test failure."""

    def expire(signum: int, frame: Any) -> None:
        raise AssertionError(f"did not finish within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def resolve(folder: Path) -> tuple[ResolvedSpec, Reporter]:
    document = load_document(folder / SPEC, SPEC)
    reporter = reporter_for(document)
    with time_limit(5):
        spec = resolve_refs(document, reporter)
    return spec, reporter


def resolve_failure(folder: Path) -> tuple[Document, list[Diagnostic]]:
    document = load_document(folder / SPEC, SPEC)
    with time_limit(5), pytest.raises(GenerationFailed) as failed:
        resolve_refs(document, reporter_for(document))
    return document, failed.value.diagnostics


def value_at(data: Any, pointer: str) -> Any:
    for token in pointer_tokens(pointer):
        data = data[int(token)] if isinstance(data, list) else data[token]
    return data


def line_containing(text: str, needle: str) -> int:
    [line] = [i for i, content in enumerate(text.splitlines(), 1) if needle in content]
    return line


# ------------------------------------------------------------------------------- local refs

LOCAL = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /jobs:
    post:
      parameters:
        - $ref: '#/components/parameters/Limit'
      requestBody:
        $ref: '#/components/requestBodies/NewJob'
      responses:
        '200':
          $ref: '#/components/responses/Ok'
        '404':
          $ref: '#/components/responses/NotFound'
components:
  schemas:
    Job:
      type: object
      properties:
        id: {type: string}
    a/b: {type: string}
    c~d: {type: integer}
    e f: {type: boolean}
    g~/h: {type: number}
    Refs:
      type: object
      properties:
        slash: {$ref: '#/components/schemas/a~1b'}
        tilde: {$ref: '#/components/schemas/c~0d'}
        space: {$ref: '#/components/schemas/e%20f'}
        both: {$ref: '#/components/schemas/g~0~1h'}
        encoded-tilde: {$ref: '#/components/schemas/c%7E0d'}
        item: {$ref: '#/components/schemas/Job/properties/id'}
  parameters:
    Limit: {name: limit, in: query, schema: {type: integer}}
  requestBodies:
    NewJob:
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Job'}
  responses:
    Ok:
      description: ok
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Job'}
    NotFound: {description: missing}
"""


@pytest.mark.parametrize(
    ("ref", "pointer"),
    [
        ("#/components/schemas/Job", "/components/schemas/Job"),
        ("#/components/parameters/Limit", "/components/parameters/Limit"),
        ("#/components/requestBodies/NewJob", "/components/requestBodies/NewJob"),
        ("#/components/responses/Ok", "/components/responses/Ok"),
        ("#/components/responses/NotFound", "/components/responses/NotFound"),
        ("#/components/schemas/Job/properties/id", "/components/schemas/Job/properties/id"),
        # RFC 6901 escapes: ~1 is '/', ~0 is '~'
        ("#/components/schemas/a~1b", "/components/schemas/a~1b"),
        ("#/components/schemas/c~0d", "/components/schemas/c~0d"),
        ("#/components/schemas/g~0~1h", "/components/schemas/g~0~1h"),
        # URI fragment: percent-decoding first
        ("#/components/schemas/e%20f", "/components/schemas/e f"),
        ("#/components/schemas/c%7E0d", "/components/schemas/c~0d"),
    ],
)
def test_local_ref_resolves(tmp_path: Path, ref: str, pointer: str) -> None:
    write(tmp_path, {SPEC: LOCAL})
    spec, reporter = resolve(tmp_path)
    assert reporter.diagnostics == []
    target = spec.target(ref, spec.root)
    assert target.document is spec.root
    assert target.pointer == pointer
    assert target.value is value_at(spec.root.data, pointer)


def test_local_refs_reach_the_ir(tmp_path: Path) -> None:
    write(tmp_path, {SPEC: LOCAL})
    spec, reporter = resolve(tmp_path)
    api = build_api(spec, check_version(spec, reporter) or "", reporter, "pkg", "0" * 64)
    refs = api.declaration("Refs")
    assert isinstance(refs, ir.Model)
    assert {f.wire_name: f.type for f in refs.fields} == {
        "slash": ir.RefType("AB"),
        "tilde": ir.RefType("CD"),
        "space": ir.RefType("EF"),
        "both": ir.RefType("GH"),
        "encoded-tilde": ir.RefType("CD"),
        "item": ir.RefType("Id"),
    }
    [operation] = api.operations
    assert [p.wire_name for p in operation.parameters] == ["limit"]
    assert operation.body is not None and operation.body.type == ir.RefType("Job")
    assert operation.success is not None and operation.success.type == ir.RefType("Job")
    assert [e.status for e in operation.errors] == ["404"]


# -------------------------------------------------------------------------------- file refs

ROOT_WITH = """\
openapi: 3.1.0
info: {{title: T, version: '1'}}
paths: {{}}
components:
  schemas:
    Pet: {{type: object, properties: {{name: {{type: string}}}}}}
    Holder:
      type: object
      properties:
        value: {{$ref: '{ref}'}}
"""


@pytest.mark.parametrize(
    ("files", "ref", "target_file", "pointer"),
    [
        pytest.param({"other.yaml": "Thing: {type: string}\n"},
                     "other.yaml#/Thing", "other.yaml", "/Thing", id="sibling"),
        pytest.param({"other.yaml": "Thing: {type: string}\n"},
                     "./other.yaml#/Thing", "other.yaml", "/Thing", id="dot-slash"),
        pytest.param({"leaf.yaml": "type: string\nformat: uuid\n"},
                     "leaf.yaml", "leaf.yaml", "", id="whole-file"),
        pytest.param({"other.json": json.dumps({"Thing": {"type": "integer"}})},
                     "other.json#/Thing", "other.json", "/Thing", id="json-file"),
        pytest.param({"sub/thing.yaml": "Thing: {type: string}\n"},
                     "sub/thing.yaml#/Thing", "sub/thing.yaml", "/Thing", id="subfolder"),
        pytest.param({"sub/../other.yaml": "Thing: {type: string}\n"},
                     "sub/../other.yaml#/Thing", "other.yaml", "/Thing",
                     id="dotdot-staying-inside"),
        pytest.param({"my file.yaml": "Thing: {type: string}\n"},
                     "my%20file.yaml#/Thing", "my file.yaml", "/Thing", id="percent-in-path"),
        pytest.param({"other.yaml": "a/b: {type: string}\n"},
                     "other.yaml#/a~1b", "other.yaml", "/a~1b", id="escape-in-other-file"),
        pytest.param({},
                     f"{SPEC}#/components/schemas/Pet", SPEC, "/components/schemas/Pet",
                     id="own-file-by-name"),
    ],
)
def test_file_ref_resolves(
    tmp_path: Path, files: dict[str, str], ref: str, target_file: str, pointer: str
) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path, {SPEC: ROOT_WITH.format(ref=ref), **files})
    spec, reporter = resolve(tmp_path)
    assert reporter.diagnostics == []
    target = spec.target(ref, spec.root)
    assert target.document.path.resolve() == (tmp_path / target_file).resolve()
    assert target.pointer == pointer
    assert target.value == value_at(target.document.data, pointer)


CHAIN = {
    SPEC: ROOT_WITH.format(ref="other.yaml#/Wrapper"),
    "other.yaml": """\
        Wrapper:
          type: object
          properties:
            leaf: {$ref: 'third.yaml#/Leaf'}
            nested: {$ref: 'sub/deep.yaml#/Deep'}
            back: {$ref: 'spec.yaml#/components/schemas/Pet'}
            local: {$ref: '#/Local'}
        Local: {type: boolean}
        """,
    "third.yaml": "Leaf: {type: string, format: uuid}\n",
    "sub/deep.yaml": "Deep: {$ref: '../third.yaml#/Leaf'}\n",
}


@pytest.mark.parametrize(
    ("from_file", "ref", "target_file", "pointer"),
    [
        ("other.yaml", "third.yaml#/Leaf", "third.yaml", "/Leaf"),
        ("other.yaml", "sub/deep.yaml#/Deep", "sub/deep.yaml", "/Deep"),
        ("other.yaml", "spec.yaml#/components/schemas/Pet", SPEC, "/components/schemas/Pet"),
        ("other.yaml", "#/Local", "other.yaml", "/Local"),
        ("sub/deep.yaml", "../third.yaml#/Leaf", "third.yaml", "/Leaf"),
    ],
)
def test_ref_from_a_referenced_file_resolves_relative_to_that_file(
    tmp_path: Path, from_file: str, ref: str, target_file: str, pointer: str
) -> None:
    write(tmp_path, CHAIN)
    spec, reporter = resolve(tmp_path)
    assert reporter.diagnostics == []
    source = spec.documents[(tmp_path / from_file).resolve()]
    target = spec.target(ref, source)
    assert target.document.path.resolve() == (tmp_path / target_file).resolve()
    assert target.pointer == pointer


def test_chain_of_files_reaches_the_ir(tmp_path: Path) -> None:
    write(tmp_path, CHAIN)
    spec, reporter = resolve(tmp_path)
    api = build_api(spec, check_version(spec, reporter) or "", reporter, "pkg", "0" * 64)
    wrapper = api.declaration("Wrapper")
    assert isinstance(wrapper, ir.Model)
    assert {f.wire_name: f.type for f in wrapper.fields} == {
        "leaf": ir.RefType("Leaf"),
        "nested": ir.RefType("Leaf"),
        "back": ir.RefType("Pet"),
        "local": ir.RefType("Local"),
    }
    leaf = api.declaration("Leaf")
    assert isinstance(leaf, ir.Alias) and leaf.target == ir.ScalarType(ir.Scalar.UUID)
    assert len([d for d in api.declarations if d.name.startswith("Pet")]) == 1


# ---------------------------------------------------------------------------------- cycles


@pytest.mark.parametrize(
    "schemas",
    [
        pytest.param("""\
            Node:
              type: object
              properties:
                children: {type: array, items: {$ref: '#/components/schemas/Node'}}
            """, id="self"),
        pytest.param("""\
            A:
              type: object
              properties:
                b: {$ref: '#/components/schemas/B'}
            B:
              type: object
              properties:
                a: {$ref: '#/components/schemas/A'}
            """, id="mutual"),
        pytest.param("""\
            A:
              allOf:
                - $ref: '#/components/schemas/A'
                - {type: object, properties: {x: {type: string}}}
            """, id="allOf-self"),
    ],
)
def test_cyclic_schema_reference_is_not_an_error(tmp_path: Path, schemas: str) -> None:
    write(tmp_path, {SPEC: "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n"
                           "components:\n  schemas:\n"
                           + textwrap.indent(textwrap.dedent(schemas), "    ")})
    spec, reporter = resolve(tmp_path)
    assert reporter.errors == []
    with time_limit(5):
        build_api(spec, "3.1", reporter, "pkg", "0" * 64)


@pytest.mark.parametrize(
    ("files", "loop"),
    [
        pytest.param({SPEC: """\
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths: {}
            components:
              schemas:
                Self: {$ref: '#/components/schemas/Self'}
            """}, {(SPEC, "/components/schemas/Self")}, id="self"),
        pytest.param({SPEC: """\
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths: {}
            components:
              schemas:
                A: {$ref: '#/components/schemas/B'}
                B: {$ref: '#/components/schemas/C'}
                C: {$ref: '#/components/schemas/A'}
            """}, {(SPEC, f"/components/schemas/{n}") for n in "ABC"}, id="three"),
        pytest.param({SPEC: """\
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths: {}
            components:
              parameters:
                P: {$ref: '#/components/parameters/Q'}
                Q: {$ref: '#/components/parameters/P'}
            """}, {(SPEC, "/components/parameters/P"), (SPEC, "/components/parameters/Q")},
                     id="parameters"),
        pytest.param({SPEC: """\
            openapi: 3.1.0
            info: {title: T, version: '1'}
            paths: {}
            components:
              schemas:
                Entry: {$ref: 'loop.yaml#/A'}
            """, "loop.yaml": """\
            A: {$ref: '#/B'}
            B: {$ref: '#/A'}
            """}, {(SPEC, "/components/schemas/Entry"), ("loop.yaml", "/A"), ("loop.yaml", "/B")},
                     id="across-files"),
    ],
)
def test_loop_of_pure_refs_is_a_located_warning_and_an_error_under_strict(
    tmp_path: Path, files: dict[str, str], loop: set[tuple[str, str]]
) -> None:
    """A loop of `$ref`s never reaches a value: what refers to it is typed as any JSON value
    (one piece skipped, generation goes on); `--strict` makes it an error."""
    write(tmp_path, files)
    spec, reporter = resolve(tmp_path)
    diagnostics = reporter.diagnostics
    assert diagnostics and all(d.severity is Severity.WARNING for d in diagnostics)
    with time_limit(5):
        api = build_api(spec, "3.1", reporter, "pkg", "0" * 64)
    assert all(not isinstance(d, ir.Alias) or d.target == ir.AnyType()
               for d in api.declarations)
    document = load_document(tmp_path / SPEC, SPEC)
    strict = reporter_for(document)
    strict.strict = True
    with time_limit(5), pytest.raises(GenerationFailed) as failed:
        resolve_refs(document, strict)
    assert [(d.file, d.pointer, d.message) for d in failed.value.diagnostics] == [
        (d.file, d.pointer, d.message) for d in diagnostics]
    for diagnostic in diagnostics:
        assert "cycle" in diagnostic.message
        # every error names a file and a pointer (to the `$ref` or the object holding it) that
        # is part of the loop in that very file
        holder = diagnostic.pointer.removesuffix("/$ref")
        assert (diagnostic.file, holder) in loop, diagnostic
        data = load_document(tmp_path / diagnostic.file).data
        assert "$ref" in value_at(data, holder)
        if diagnostic.file == SPEC:
            assert diagnostic.line == load_document(tmp_path / SPEC).line_of(holder)


# -------------------------------------------------------------------------------- refusals

REFUSED = """\
openapi: 3.1.0
info: {{title: T, version: '1'}}
paths: {{}}
components:
  schemas:
    Fine: {{type: string}}
    Bad:
      $ref: '{ref}'
"""
BAD_POINTER = "/components/schemas/Bad/$ref"


@pytest.mark.parametrize(
    ("ref", "outside", "link", "message"),
    [
        pytest.param("http://example.com/s.yaml#/X", {}, None, "http://", id="http"),
        pytest.param("https://example.com/s.yaml#/X", {}, None, "https://", id="https"),
        pytest.param("HTTPS://example.com/s.yaml", {}, None, "https://", id="https-upper"),
        pytest.param("file:///etc/hosts#/X", {}, None, "file://", id="file-url"),
        pytest.param("{root}/other.yaml#/X", {}, None, "absolute", id="absolute-inside"),
        pytest.param("/etc/hosts#/X", {}, None, "absolute", id="absolute"),
        pytest.param("//example.com/s.yaml#/X", {}, None, "absolute", id="scheme-relative"),
        pytest.param("C:/specs/s.yaml#/X", {}, None, "absolute", id="windows-drive"),
        pytest.param("../outside.yaml#/X", {"outside.yaml": "X: {type: string}\n"}, None,
                     "outside", id="dotdot"),
        pytest.param("sub/../../outside.yaml#/X", {"outside.yaml": "X: {type: string}\n"},
                     None, "outside", id="dotdot-via-subfolder"),
        pytest.param("%2e%2e/outside.yaml#/X", {"outside.yaml": "X: {type: string}\n"}, None,
                     "outside", id="percent-encoded-dotdot"),
        pytest.param("link.yaml#/X", {"outside.yaml": "X: {type: string}\n"},
                     ("link.yaml", "outside.yaml"), "outside", id="symlinked-file"),
        pytest.param("linked/x.yaml#/X", {"elsewhere/x.yaml": "X: {type: string}\n"},
                     ("linked", "elsewhere"), "outside", id="symlinked-folder"),
        pytest.param("#/components/schemas/Nope", {}, None, "does not resolve",
                     id="dangling-local"),
        pytest.param("#/components/schemas/Fine/properties/x", {}, None, "does not resolve",
                     id="dangling-below-a-value"),
        pytest.param("#/components/schemas/a~1b", {}, None, "does not resolve",
                     id="dangling-escaped"),
        pytest.param("other.yaml#/Nope", {}, None, "does not resolve",
                     id="dangling-in-other-file"),
        pytest.param("missing.yaml#/X", {}, None, "missing.yaml", id="missing-file"),
        pytest.param("broken.yaml#/X", {}, None, "broken.yaml", id="unparsable-file"),
        pytest.param("#anchor", {}, None, "anchor", id="anchor"),
    ],
)
def test_refused_ref_is_a_located_error(
    tmp_path: Path,
    ref: str,
    outside: dict[str, str],
    link: tuple[str, str] | None,
    message: str,
) -> None:
    root = tmp_path / "api"
    (root / "sub").mkdir(parents=True)
    ref = ref.replace("{root}", root.as_posix())
    write(root, {SPEC: REFUSED.format(ref=ref), "other.yaml": "X: {type: string}\n",
                 "broken.yaml": "X: [unclosed\n"})
    write(tmp_path, outside)
    if link is not None:
        os.symlink(tmp_path / link[1], root / link[0])
    document, diagnostics = resolve_failure(root)
    [error] = diagnostics
    assert error.file == SPEC
    assert error.pointer == BAD_POINTER
    assert error.line == line_containing(document.text, "$ref:")
    assert ref in error.message
    assert message.lower() in error.message.lower()


def test_refused_ref_in_a_referenced_file_names_that_file(tmp_path: Path) -> None:
    write(tmp_path, {SPEC: ROOT_WITH.format(ref="sub/a.yaml#/A"),
                     "sub/a.yaml": "A:\n  type: object\n  properties:\n"
                                   "    x: {$ref: '../../outside.yaml#/X'}\n"})
    _, diagnostics = resolve_failure(tmp_path)
    [error] = diagnostics
    assert error.file == "sub/a.yaml"
    assert error.pointer == "/A/properties/x/$ref"
    assert "outside" in error.message


# ------------------------------------------------------------------ data that looks like a ref

DATA_KEYS = """\
openapi: 3.1.0
info: {{title: T, version: '1'}}
paths:
  /jobs:
    get:
      parameters:
        - name: q
          in: query
          schema: {{type: string}}
{parameter}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Job'}}
{media}
{operation}
components:
  schemas:
    Job:
      type: object
{schema}
      properties:
        id: {{type: string}}
"""
DANGLING = "{$ref: '#/components/schemas/Missing'}"


@pytest.mark.parametrize(
    "where",
    [
        pytest.param({"schema": f"      example: {DANGLING}"}, id="schema-example"),
        pytest.param({"schema": f"      examples: [{DANGLING}]"}, id="schema-examples"),
        pytest.param({"schema": f"      default: {DANGLING}"}, id="schema-default"),
        pytest.param({"schema": f"      enum: [{DANGLING}]"}, id="schema-enum"),
        pytest.param({"schema": f"      const: {DANGLING}"}, id="schema-const"),
        pytest.param({"schema": f"      x-meta: {DANGLING}"}, id="schema-extension"),
        pytest.param({"schema": f"      x-meta: {{deep: [{{nested: {DANGLING}}}]}}"},
                     id="schema-extension-nested"),
        pytest.param({"schema": f"      example: {{a: {{b: [{DANGLING}]}}}}"},
                     id="schema-example-nested"),
        pytest.param({"parameter": f"          example: {DANGLING}"}, id="parameter-example"),
        pytest.param({"media": f"              example: {DANGLING}"}, id="media-example"),
        pytest.param({"operation": f"      x-codegen: {DANGLING}"}, id="operation-extension"),
    ],
)
def test_data_values_holding_a_ref_key_are_not_references(
    tmp_path: Path, where: dict[str, str]
) -> None:
    slots = {"parameter": "", "media": "", "operation": "", "schema": "", **where}
    write(tmp_path, {SPEC: DATA_KEYS.format(**slots)})
    spec, reporter = resolve(tmp_path)
    assert reporter.diagnostics == []
    with pytest.raises(KeyError):
        spec.target("#/components/schemas/Missing", spec.root)


PROPERTY_NAMED = """\
openapi: 3.1.0
info: {{title: T, version: '1'}}
paths: {{}}
components:
  schemas:
    Pet: {{type: object, properties: {{name: {{type: string}}}}}}
    Holder:
      type: object
      properties:
        '{name}': {{$ref: '#/components/schemas/{target}'}}
"""


@pytest.mark.parametrize(
    "name",
    ["example", "examples", "default", "enum", "const", "x-internal", "properties", "$ref"],
)
def test_property_named_like_a_data_key_is_resolved(tmp_path: Path, name: str) -> None:
    write(tmp_path, {SPEC: PROPERTY_NAMED.format(name=name, target="Pet")})
    spec, reporter = resolve(tmp_path)
    assert reporter.diagnostics == []
    assert spec.target("#/components/schemas/Pet", spec.root).pointer == "/components/schemas/Pet"
    api = build_api(spec, "3.1", reporter, "pkg", "0" * 64)
    holder = api.declaration("Holder")
    assert isinstance(holder, ir.Model)
    assert [(f.wire_name, f.type) for f in holder.fields] == [(name, ir.RefType("Pet"))]


@pytest.mark.parametrize("name", ["example", "default", "x-internal", "$ref"])
def test_property_named_like_a_data_key_with_a_dangling_ref_is_an_error(
    tmp_path: Path, name: str
) -> None:
    write(tmp_path, {SPEC: PROPERTY_NAMED.format(name=name, target="Missing")})
    document, diagnostics = resolve_failure(tmp_path)
    [error] = diagnostics
    escaped = name.replace("~", "~0").replace("/", "~1")
    assert error.pointer == f"/components/schemas/Holder/properties/{escaped}/$ref"
    assert error.line == line_containing(document.text, "Missing")


# --------------------------------------------------------------------- Document.line_of

LINES_YAML = """\
openapi: 3.1.0
info:
  title: T
  version: '1'
paths:
  /jobs/{id}:
    get:
      responses:
        200:
          description: ok
        '404':
          description: missing
components:
  schemas:
    a/b~c:
      type: object
      required: [id]
      properties:
        id:
          type: string
        tags:
          type: array
          items:
            - first
            - second
"""

LINES_JSON = """\
{
  "openapi": "3.1.0",
  "info": {"title": "T", "version": "1"},
  "paths": {
    "/jobs/{id}": {
      "get": {
        "responses": {
          "200": {
            "description": "ok"
          }
        }
      }
    }
  },
  "components": {
    "schemas": {
      "a/b~c": {
        "type": "object",
        "required": [
          "id",
          "name"
        ],
        "properties": {
          "id": {"type": "string"},
          "caf\\u00e9": {"type": "string"}
        }
      }
    }
  }
}
"""


@pytest.mark.parametrize(
    ("name", "text", "pointer", "line"),
    [
        ("spec.yaml", LINES_YAML, "", 1),
        ("spec.yaml", LINES_YAML, "#", 1),
        ("spec.yaml", LINES_YAML, "/openapi", 1),
        ("spec.yaml", LINES_YAML, "/info/version", 4),
        ("spec.yaml", LINES_YAML, "#/info/title", 3),
        ("spec.yaml", LINES_YAML, "/paths/~1jobs~1{id}/get", 7),
        ("spec.yaml", LINES_YAML, "/paths/~1jobs~1{id}/get/responses/200/description", 10),
        ("spec.yaml", LINES_YAML, "/paths/~1jobs~1{id}/get/responses/404", 11),
        ("spec.yaml", LINES_YAML, "/components/schemas/a~1b~0c", 15),
        ("spec.yaml", LINES_YAML, "/components/schemas/a~1b~0c/required/0", 17),
        ("spec.yaml", LINES_YAML, "/components/schemas/a~1b~0c/properties/id/type", 20),
        ("spec.yaml", LINES_YAML, "/components/schemas/a~1b~0c/properties/tags/items/1", 25),
        # missing parts: the nearest existing parent
        ("spec.yaml", LINES_YAML, "/components/schemas/a~1b~0c/properties/nope/type", 18),
        ("spec.yaml", LINES_YAML, "/components/schemas/a~1b~0c/properties/tags/items/9", 23),
        ("spec.json", LINES_JSON, "", 1),
        ("spec.json", LINES_JSON, "/openapi", 2),
        ("spec.json", LINES_JSON, "/info/version", 3),
        ("spec.json", LINES_JSON, "/paths/~1jobs~1{id}/get", 6),
        ("spec.json", LINES_JSON, "/paths/~1jobs~1{id}/get/responses/200/description", 9),
        ("spec.json", LINES_JSON, "/components/schemas/a~1b~0c", 17),
        ("spec.json", LINES_JSON, "/components/schemas/a~1b~0c/required/1", 21),
        ("spec.json", LINES_JSON, "/components/schemas/a~1b~0c/properties/id/type", 24),
        ("spec.json", LINES_JSON, "/components/schemas/a~1b~0c/properties/café", 25),
        ("spec.json", LINES_JSON, "/components/schemas/a~1b~0c/required/7", 19),
        ("spec.json", LINES_JSON, "/components/schemas/Nope", 16),
    ],
)
def test_line_of(tmp_path: Path, name: str, text: str, pointer: str, line: int) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    document = load_document(tmp_path / name)
    assert document.line_of(pointer) == line


def test_line_of_a_string_that_is_not_a_pointer(tmp_path: Path) -> None:
    (tmp_path / SPEC).write_text(LINES_YAML, encoding="utf-8")
    assert load_document(tmp_path / SPEC).line_of("components/schemas") is None


@pytest.mark.parametrize(("pointer", "tokens", "joined"), [
    ("", (), ""),
    ("", ("paths",), "/paths"),
    ("/paths", ("/jobs/{id}", "get"), "/paths/~1jobs~1{id}/get"),
    ("/a", ("~",), "/a/~0"),
    ("/a", ("~1",), "/a/~01"),
    ("/a", ("x/y~z",), "/a/x~1y~0z"),
    ("/a", (0, 12), "/a/0/12"),
    ("/a", ("",), "/a/"),
    ("/a", ("é",), "/a/é"),
])
def test_pointer_join_escapes_as_rfc_6901_says(pointer: str, tokens: tuple[str | int, ...],
                                                joined: str) -> None:
    assert pointer_join(pointer, *tokens) == joined
    assert pointer_tokens(joined) == [str(t) for t in pointer_tokens(pointer)] + [
        str(t) for t in tokens]
