"""Table-driven tests of the constructs real specs use (the corpus in ../shared/corpus).

Each case is a small in-memory spec written to `tmp_path`: the assertions are on the IR, on the
diagnostics (severity and JSON pointer), or on the generated code. `test_generated_code_*`
type-checks the generated packages of the whole table with one `mypy --strict` run.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator import ir
from generator.diagnostics import GenerationFailed, Reporter, Severity
from generator.pipeline import Options, generate_package
from test_type_mapping import build, field, holder_spec, model, schemas_spec

ROOT = Path(__file__).resolve().parents[1]


def diagnostics(reporter: Reporter, severity: Severity) -> list[tuple[str, str]]:
    return [(d.pointer, d.message) for d in reporter.diagnostics if d.severity is severity]


def paths_spec(paths: str, version: str = "3.1.0", components: str = "") -> str:
    """A document whose `paths` are `paths` (YAML, indented by 2)."""
    text = (f"openapi: {version}\ninfo: {{title: T, version: '1'}}\npaths:\n"
            + textwrap.indent(textwrap.dedent(paths), "  "))
    if components:
        text += "components:\n" + textwrap.indent(textwrap.dedent(components), "  ")
    return text


def operation(api: ir.Api, name: str) -> ir.Operation:
    for op in api.operations:
        if op.name == name:
            return op
    raise AssertionError(f"no operation {name!r}: {[op.name for op in api.operations]}")


def generate(tmp_path: Path, text: str, package: str = "pkg",
             strict: bool = False) -> tuple[dict[str, str], Reporter]:
    spec = tmp_path / f"{package}.yaml"
    spec.write_text(textwrap.dedent(text), encoding="utf-8")
    reporter = Reporter()
    _, files = generate_package(spec, package, reporter, Options(strict=strict), spec.name)
    return files, reporter


# --------------------------------------------------------------------------- status codes


@pytest.mark.parametrize(
    ("responses", "success", "errors"),
    [
        pytest.param("'200': {description: ok}", "200", [], id="quoted"),
        pytest.param("200: {description: ok}", "200", [], id="unquoted-int"),
        pytest.param("2xx: {description: ok}, '404': {description: no}", "2XX", ["404"],
                     id="lower-case-range"),
        pytest.param("Default: {description: any}", "default", [], id="capitalised-default"),
        pytest.param("'201': {description: ok}, 4XX: {description: bad}, "
                     "default: {description: other}", "201", ["4XX", "default"],
                     id="range-and-default"),
    ],
)
def test_status_codes_are_read_in_any_spelling(
    tmp_path: Path, responses: str, success: str, errors: list[str]
) -> None:
    text = paths_spec(f"""\
        /a:
          get:
            operationId: getA
            responses: {{{responses}}}
        """)
    api, _ = build(tmp_path, text)
    op = operation(api, "get_a")
    assert op.success is not None and op.success.status == success
    assert [r.status for r in op.errors] == errors


@pytest.mark.parametrize("key", ["abcdef", "'99'", "'600'", "2X"])
def test_a_response_key_that_is_no_status_is_a_located_error(tmp_path: Path, key: str) -> None:
    text = paths_spec(f"""\
        /a:
          get:
            responses:
              {key}: {{description: ok}}
        """)
    with pytest.raises(GenerationFailed) as failed:
        build(tmp_path, text)
    [error] = failed.value.diagnostics
    assert error.pointer.startswith("/paths/~1a/get/responses/")
    assert "is not an HTTP status code" in error.message


# ------------------------------------------------------------------------------- docstrings


@pytest.mark.parametrize(
    "text",
    [
        'Contains """triple quotes"""',
        'ends with a quote"',
        'ends with two quotes""',
        '""""""six',
        'a backslash before a quote \\"',
        'ends with a backslash \\',
        'ends with an escaped-looking quote \\"',
        "''' single triple quotes '''",
        '"starts with a quote',
        'tab\tand\nnewline "" and """" four',
    ],
)
def test_docstring_keeps_any_text_intact(text: str) -> None:
    import ast

    from generator.render.pysyntax import docstring

    source = '"""' + docstring(text) + '"""'
    assert ast.literal_eval(source) == text.strip()
    black = pytest.importorskip("black")
    black.format_str(f"def f():\n    {source}\n", mode=black.Mode())


# ------------------------------------------------------------- invalid but usable operations


def test_duplicate_operation_ids_warn_and_get_distinct_methods(tmp_path: Path) -> None:
    text = paths_spec("""\
        /pets:
          post: {operationId: addPet, responses: {'200': {description: ok}}}
        /pets/{kind}:
          post:
            operationId: addPet
            parameters: [{name: kind, in: path, required: true, schema: {type: string}}]
            responses: {'200': {description: ok}}
        """)
    api, reporter = build(tmp_path, text)
    assert [(op.name, op.path) for op in api.operations] == [
        ("add_pet", "/pets"), ("add_pet_2", "/pets/{kind}")]
    assert diagnostics(reporter, Severity.WARNING) == [(
        "/paths/~1pets~1{kind}/post/operationId",
        "operationId 'addPet' is also used by POST /pets (operationIds must be unique); this "
        "operation's method is named 'add_pet_2'")]


def test_path_parameter_missing_from_the_template_is_skipped_with_a_warning(
    tmp_path: Path
) -> None:
    text = paths_spec("""\
        /items:
          post:
            operationId: addItem
            parameters:
              - {name: Limit, in: path, required: true, schema: {type: integer}}
              - {name: q, in: query, schema: {type: string}}
            responses: {'200': {description: ok}}
        """)
    api, reporter = build(tmp_path, text)
    assert [p.wire_name for p in operation(api, "add_item").parameters] == ["q"]
    [(pointer, message)] = diagnostics(reporter, Severity.WARNING)
    assert pointer == "/paths/~1items/post/parameters/0/name"
    assert "does not appear in the path '/items'; skipped" in message


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(paths_spec("""\
            /a:
              get: {operationId: x, responses: {'200': {description: ok}}}
              put: {operationId: x, responses: {'200': {description: ok}}}
            """), id="duplicate-operation-id"),
        pytest.param(paths_spec("""\
            /a:
              get:
                parameters: [{name: id, in: path, required: true, schema: {type: string}}]
                responses: {'200': {description: ok}}
            """), id="path-parameter-not-in-path"),
    ],
)
def test_strict_turns_usable_invalidity_into_errors(tmp_path: Path, text: str) -> None:
    generate(tmp_path, text)
    with pytest.raises(GenerationFailed):
        generate(tmp_path, text, strict=True)


@pytest.mark.parametrize(
    ("version", "responses", "severity"),
    [
        pytest.param("3.1.0", "", Severity.INFO, id="3.1-missing-is-valid"),
        pytest.param("3.1.0", "responses: {}", Severity.INFO, id="3.1-empty"),
        pytest.param("3.0.3", "", Severity.INFO, id="3.0-missing-the-validator-warns"),
        pytest.param("3.1.0", "responses: [a]", Severity.WARNING, id="not-a-mapping"),
    ],
)
def test_operation_without_responses_returns_the_json_undecoded(
    tmp_path: Path, version: str, responses: str, severity: Severity
) -> None:
    api, reporter = build(tmp_path, paths_spec(f"""\
        /a:
          get:
            operationId: getA
            {responses}
        """, version))
    op = operation(api, "get_a")
    assert op.success is None and op.errors == ()
    assert [(d.severity, d.pointer) for d in reporter.diagnostics] == [
        (severity, "/paths/~1a/get")]


@pytest.mark.parametrize(
    ("parameter", "pointer", "words"),
    [
        ("{name: q, in: querystring, content: {application/x-www-form-urlencoded: {}}}",
         "/paths/~1a/get/parameters/0/in", "`in: querystring` is not supported"),
        ("{name: q, in: body, schema: {type: string}}", "/paths/~1a/get/parameters/0",
         "needs a `name` and an `in`"),
        ("{in: query, schema: {type: string}}", "/paths/~1a/get/parameters/0",
         "needs a `name` and an `in`"),
    ],
)
def test_a_parameter_that_cannot_be_sent_is_skipped_with_a_warning(
    tmp_path: Path, parameter: str, pointer: str, words: str
) -> None:
    api, reporter = build(tmp_path, paths_spec(f"""\
        /a:
          get:
            operationId: getA
            parameters: [{parameter}, {{name: keep, in: query, schema: {{type: string}}}}]
            responses: {{'204': {{description: ok}}}}
        """))
    assert [p.wire_name for p in operation(api, "get_a").parameters] == ["keep"]
    [(where, message)] = diagnostics(reporter, Severity.WARNING)
    assert where == pointer and words in message


# ------------------------------------------------------------------ shapes of the document

DOCUMENT_SHAPES = {
    "no-paths-3.1": ("openapi: 3.1.0\ninfo: {title: Only Schemas, version: '1'}\n"
                     "components: {schemas: {A: {type: string}}}\n", "only_schemas", [], ["A"]),
    "no-info": ("openapi: 3.1.0\npaths: {/a: {get: {responses: {'204': {description: ok}}}}}\n",
                "client", ["list_a"], []),
    "webhooks-only": ("openapi: 3.1.0\ninfo: {title: Hooks, version: '1'}\nwebhooks:\n"
                      "  ping: {post: {responses: {'200': {description: ok}}}}\n",
                      "hooks", [], []),
    "empty-path-items": ("openapi: 3.0.3\ninfo: {title: E, version: '1'}\npaths:\n  /a: {}\n"
                         "  /b:\n  /c: {get: {operationId: c, responses: {'204': "
                         "{description: ok}}}}\n", "e", ["c"], []),
    "components-path-items": (
        "openapi: 3.1.0\ninfo: {title: P, version: '1'}\n"
        "paths: {/a: {$ref: '#/components/pathItems/A'}}\n"
        "components:\n  pathItems:\n    A: {get: {operationId: getA, responses: {'200': "
        "{description: ok, content: {application/json: {schema: {type: integer}}}}}}}\n",
        "p", ["get_a"], []),
    "example-with-ref-key": (
        "openapi: 3.0.3\ninfo: {title: X, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    Link:\n      type: object\n      properties: {href: {type: string}}\n"
        "      example: {$ref: 'https://example.com/not/a/reference', href: x}\n"
        "  examples:\n    Raw: {value: {$ref: '#/nowhere'}}\n", "x", [], ["Link"]),
    "callbacks": (
        "openapi: 3.0.3\ninfo: {title: C, version: '1'}\npaths:\n  /subscribe:\n    post:\n"
        "      operationId: subscribe\n      responses: {'201': {description: ok}}\n"
        "      callbacks:\n        onEvent:\n          '{$request.body#/url}':\n"
        "            post: {responses: {'200': {description: ok}}}\n", "c", ["subscribe"], []),
}


@pytest.mark.parametrize(("text", "package", "operations", "declarations"),
                         DOCUMENT_SHAPES.values(), ids=DOCUMENT_SHAPES.keys())
def test_documents_of_every_shape_generate(
    tmp_path: Path, text: str, package: str, operations: list[str], declarations: list[str]
) -> None:
    from generator.pipeline import package_name_from_title

    api, reporter = build(tmp_path, text)
    assert reporter.errors == []
    assert [op.name for op in api.operations] == operations
    assert [d.name for d in api.declarations] == declarations
    spec = tmp_path / "spec.yaml"
    assert package_name_from_title(__import__("yaml").safe_load(spec.read_text())) == package
    files, full = generate(tmp_path, text)
    assert full.errors == [] and "client.py" in files


@pytest.mark.parametrize(("text", "pointer"), [
    (DOCUMENT_SHAPES["webhooks-only"][0], "/webhooks"),
    (DOCUMENT_SHAPES["callbacks"][0], "/paths/~1subscribe/post/callbacks"),
])
def test_webhooks_and_callbacks_are_ignored_with_an_info_line(
    tmp_path: Path, text: str, pointer: str
) -> None:
    _, reporter = build(tmp_path, text)
    assert [p for p, _ in diagnostics(reporter, Severity.INFO)] == [pointer]


# ---------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("version", "schema", "pointer", "words"),
    [
        pytest.param("3.0.3", "{type: number, exclusiveMinimum: 0}",
                     "/components/schemas/N/exclusiveMinimum", "not valid OpenAPI 3.0",
                     id="3.1-style-exclusiveMinimum-in-3.0"),
        pytest.param("3.1.0", "{type: string, nullable: true}", "/components/schemas/N/nullable",
                     "`nullable` is OpenAPI 3.0 syntax", id="nullable-in-3.1"),
    ],
)
def test_invalid_but_usable_specs_generate_with_located_warnings_and_fail_under_strict(
    tmp_path: Path, version: str, schema: str, pointer: str, words: str
) -> None:
    """Unquoted status codes (ints in YAML) come first: the validator must not stop at them."""
    text = paths_spec("""\
        /a:
          get:
            responses:
              200: {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/N'}}}}
              404: {description: missing}
        """, version, components=f"schemas:\n  N: {schema}\n")
    files, reporter = generate(tmp_path, text)
    assert "client.py" in files
    found = [d for d in reporter.diagnostics if d.pointer == pointer and words in d.message]
    assert found and all(d.severity is Severity.WARNING for d in found), reporter.diagnostics
    assert found[0].line is not None
    assert not [d for d in reporter.diagnostics if "stopped early" in d.message]
    with pytest.raises(GenerationFailed) as failed:
        generate(tmp_path, text, strict=True)
    assert pointer in [d.pointer for d in failed.value.diagnostics]


# ----------------------------------------------------------- names the generated code uses

SHADOWING = paths_spec(
    """\
    /httpx:
      get:
        operationId: httpx
        responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Warning'}}}}}
    /raw:
      get: {operationId: with_raw_response, responses: {'204': {description: ok}}}
    /headers:
      get: {operationId: defaultHeaders, responses: {'204': {description: ok}}}
    /property:
      get:
        operationId: property
        responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/APIResponse'}}}}}
    """,
    components="""\
    schemas:
      Holder:
        type: object
        required: [object, accepts]
        properties:
          object: {type: string}
          accepts: {type: boolean}
          frozenset: {type: integer}
          classmethod: {type: integer}
          property: {type: integer}
          warnings: {type: array, items: {$ref: '#/components/schemas/Warning'}}
          errors: {type: array, items: {$ref: '#/components/schemas/TimeoutError'}}
      Warning: {type: object, properties: {code: {type: string}}}
      TimeoutError: {type: object, properties: {code: {type: string}}}
      APIResponse: {type: object, properties: {ok: {type: boolean}}}
      NotGiven: {type: string, enum: [a, b]}
    """,
)


def test_names_that_would_shadow_what_generated_code_uses_are_changed(tmp_path: Path) -> None:
    api, _ = build(tmp_path, SHADOWING)
    assert [f.name for f in model(api, "Holder").fields] == [
        "object", "accepts_2", "frozenset_", "classmethod_", "property_", "warnings", "errors"]
    assert {d.name for d in api.declarations} == {
        "Holder", "Warning2", "TimeoutError2", "APIResponse2", "NotGiven2"}
    assert [op.name for op in api.operations] == [
        "httpx_2", "with_raw_response_2", "default_headers_2", "property_"]


# ------------------------------------------------------------------ union responses

UNION_RESPONSES = paths_spec(
    """\
    /a:
      get:
        operationId: getA
        responses:
          '200':
            description: one of two models
            content:
              application/json:
                schema:
                  oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
          '404':
            description: an error that is a union too
            content:
              application/json:
                schema:
                  anyOf: [{type: string}, {$ref: '#/components/schemas/Cat'}]
    /b:
      get:
        operationId: getB
        responses:
          '200':
            description: a list or a model, or null
            content:
              application/json:
                schema:
                  oneOf:
                    - {type: array, items: {$ref: '#/components/schemas/Cat'}}
                    - {$ref: '#/components/schemas/Dog'}
                    - {type: 'null'}
    """,
    components="""\
    schemas:
      Cat: {type: object, required: [meows], properties: {meows: {type: boolean}}}
      Dog: {type: object, required: [barks], properties: {barks: {type: boolean}}}
    """,
)


def test_union_responses_are_typed_as_the_union(tmp_path: Path) -> None:
    api, _ = build(tmp_path, UNION_RESPONSES)
    cat, dog = ir.RefType("Cat"), ir.RefType("Dog")
    success = operation(api, "get_a").success
    assert success is not None and success.type == ir.UnionType((cat, dog))
    success = operation(api, "get_b").success
    assert success is not None and success.type == ir.NullableType(
        ir.UnionType((ir.ListType(cat), dog)))


# ----------------------------------------------------------------------------- discriminators

PETS = """\
Pet:
  type: object
  required: [petType]
  properties:
    petType: {type: string}
  discriminator: {propertyName: petType%s}
Cat:
  allOf:
    - $ref: '#/components/schemas/Pet'
    - {type: object, properties: {name: {type: string}}}
Dog:
  allOf:
    - $ref: '#/components/schemas/Pet'
    - {type: object, properties: {bark: {type: string}}}
Owner:
  type: object
  properties:
    pet: {$ref: '#/components/schemas/Pet'}
    pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}
"""


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        pytest.param("", {"Pet": "Pet", "Cat": "Cat", "Dog": "Dog"}, id="implicit"),
        pytest.param(", mapping: {cat: '#/components/schemas/Cat', dog: Dog}",
                     {"cat": "Cat", "dog": "Dog", "Pet": "Pet"}, id="explicit"),
        pytest.param(", mapping: {cat: '#/components/schemas/Cat'}",
                     {"cat": "Cat", "Pet": "Pet", "Dog": "Dog"}, id="partial"),
        pytest.param(", mapping: {1: '#/components/schemas/Cat', 2: Dog}",
                     {"1": "Cat", "2": "Dog", "Pet": "Pet"}, id="integer-keys"),
    ],
)
def test_reference_to_a_discriminated_allof_parent_is_the_union_of_its_subtypes(
    tmp_path: Path, mapping: str, expected: dict[str, str]
) -> None:
    api, _ = build(tmp_path, schemas_spec(PETS % mapping))
    pet = field(api, "Owner", "pet").type
    assert isinstance(pet, ir.UnionType)
    assert pet.variants == (ir.RefType("Pet"), ir.RefType("Cat"), ir.RefType("Dog"))
    assert pet.discriminator is not None and pet.discriminator.property_wire_name == "petType"
    assert dict(pet.discriminator.mapping) == expected
    assert field(api, "Owner", "pets").type == ir.ListType(pet)
    # the subtypes themselves stay plain models with the parent's properties merged in
    assert [f.wire_name for f in model(api, "Cat").fields] == ["petType", "name"]


def test_implicit_mapping_uses_the_value_a_variant_allows(tmp_path: Path) -> None:
    schemas = """\
    Text: {type: object, required: [type], properties: {type: {const: text}, text: {type: string}}}
    Image:
      type: object
      required: [type]
      properties: {type: {type: string, enum: [image_url]}, url: {type: string}}
    Part:
      oneOf: [{$ref: '#/components/schemas/Text'}, {$ref: '#/components/schemas/Image'}]
      discriminator: {propertyName: type}
    """
    api, _ = build(tmp_path, schemas_spec(schemas))
    alias = api.declaration("Part")
    assert isinstance(alias, ir.Alias) and isinstance(alias.target, ir.UnionType)
    assert alias.target.discriminator is not None
    assert dict(alias.target.discriminator.mapping) == {
        "Text": "Text", "text": "Text", "Image": "Image", "image_url": "Image"}


DISCRIMINATORS = paths_spec(
    """\
    /owner:
      get:
        operationId: getOwner
        responses:
          '200':
            description: ok
            content: {application/json: {schema: {$ref: '#/components/schemas/Owner'}}}
    /part:
      get:
        operationId: getPart
        responses:
          '200':
            description: ok
            content: {application/json: {schema: {$ref: '#/components/schemas/Part'}}}
    """,
    components="schemas:\n" + textwrap.indent(PETS % "" + """\
Text: {type: object, required: [type], properties: {type: {const: text}, text: {type: string}}}
Nested:
  oneOf: [{$ref: '#/components/schemas/Text'}, {type: object, required: [type], properties: {type: {const: deep}}}]
Part:
  oneOf: [{$ref: '#/components/schemas/Text'}, {$ref: '#/components/schemas/Nested'}]
  discriminator: {propertyName: type, mapping: {text: Text, nested: Nested}}
""", "  "),
)
DISCRIMINATORS_BEHAVIOUR = """\
owner = m.Owner.from_dict({"pet": {"petType": "Cat", "name": "Tom"},
                           "pets": [{"petType": "Dog", "bark": "woof"}, {"petType": "Fish"}]})
assert type(owner.pet) is m.Cat and owner.pet.name == "Tom", owner.pet
assert [type(p) for p in owner.pets] == [m.Dog, m.Pet], owner.pets
assert owner.to_dict()["pets"][1] == {"petType": "Fish"}
part = m._decode_Part({"type": "nested", "x": 1})  # a mapping to an alias (a union)
assert isinstance(part, dict) or type(part).__name__.startswith("Nested"), part
assert type(m._decode_Part({"type": "text", "text": "hi"})) is m.Text
assert m._decode_Part({"type": "unknown"}) == {"type": "unknown"}  # no variant fits: kept as is
"""


# ---------------------------------------------------------------------- readOnly / writeOnly

READ_WRITE = paths_spec(
    """\
    /users:
      post:
        operationId: createUser
        requestBody:
          required: true
          content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}
        responses:
          '201':
            description: created
            content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}
    """,
    components="""\
    schemas:
      User:
        type: object
        required: [id, name, password, created]
        properties:
          id: {type: integer, readOnly: true}
          name: {type: string}
          password: {type: string, writeOnly: true}
          created: {$ref: '#/components/schemas/Timestamp'}
          nickname: {type: string, readOnly: true}
      Timestamp: {type: string, format: date-time, readOnly: true}
    """,
)
READ_WRITE_BEHAVIOUR = """\
user = m.User(name="ann", password="secret")  # read-only id and created are not needed
assert user.to_dict() == {"name": "ann", "password": "secret"}  # and never sent
read = m.User.from_dict({"id": 1, "name": "ann", "created": "2024-01-01T00:00:00Z"})
assert read.id == 1 and read.password is None  # write-only password is not needed on read
assert m.User.accepts({"id": 1, "name": "ann", "created": "x"})
assert not m.User.accepts({"id": 1, "created": "x"})
"""


@pytest.mark.parametrize(
    ("wire", "annotation", "default", "decoded_from", "sent"),
    [
        ("id", "int | None", "None", 'data["id"]', False),
        ("name", "str", "", 'data["name"]', True),
        ("password", "str | None", "", 'data.get("password")', True),
        ("created", "Timestamp | None", "None", 'data["created"]', False),
        ("nickname", "str | None", "None", 'data.get("nickname")', False),
    ],
)
def test_read_only_and_write_only_fields(
    tmp_path: Path, wire: str, annotation: str, default: str, decoded_from: str, sent: bool
) -> None:
    from generator.render.views import ViewBuilder

    api, _ = build(tmp_path, READ_WRITE)
    [view] = [v for v in ViewBuilder(api).declarations()[1] if v.name == "User"]
    [field_view] = [f for f in view.fields if f.declaration.startswith(f"{wire}: ")]
    assert field_view.declaration == f"{wire}: {annotation}" + (f" = {default}" if default else "")
    # `decoded.<wire> = <what decoded_from gives>`, or for an optional property the name bound
    # to it where it is read (`if (_vN := data.get(...)) is None: …`)
    import re

    text = "\n".join(view.decode_lines)
    bound = re.search(rf"\((_v\d+) := {re.escape(decoded_from)}\)", text)
    source = bound.group(1) if bound else decoded_from
    assert re.search(rf"^ *decoded\.{wire} = .*{re.escape(source)}", text, re.M)
    assert any(f'result["{wire}"]' in line for line in view.encode_lines) is sent


# -------------------------------------------------------------------------- 3.1 keywords

FLOAT = ir.ScalarType(ir.Scalar.FLOAT)
STR = ir.ScalarType(ir.Scalar.STR)
PET = ir.RefType("Pet")


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        pytest.param("{prefixItems: [{type: number}, {type: string}], items: false, minItems: 2}",
                     ir.TupleType((FLOAT, STR)), id="closed-by-items-false"),
        pytest.param("{type: array, prefixItems: [{type: number}, {type: number}], minItems: 2,"
                     " maxItems: 2}", ir.TupleType((FLOAT, FLOAT)), id="closed-by-maxItems"),
        pytest.param("{prefixItems: [{$ref: '#/components/schemas/Pet'}], minItems: 1,"
                     " unevaluatedItems: {not: {}}}", ir.TupleType((PET,)),
                     id="closed-by-unevaluatedItems"),
        pytest.param("{prefixItems: [{type: number}, {type: string}]}",
                     ir.ListType(ir.AnyType()), id="open-rest-is-anything"),
        pytest.param("{prefixItems: [{type: number}, {type: string}], maxItems: 2}",
                     ir.ListType(ir.UnionType((FLOAT, STR))), id="closed-but-may-be-shorter"),
        pytest.param("{prefixItems: [{const: prefix}, {type: string}], items: {type: number}}",
                     ir.ListType(ir.UnionType((ir.LiteralType("prefix"), STR, FLOAT))),
                     id="prefix-and-items"),
        pytest.param("{unevaluatedProperties: {type: integer}}",
                     ir.MapType(ir.ScalarType(ir.Scalar.INT)), id="unevaluatedProperties-map"),
        pytest.param("{if: {required: [a]}, then: {required: [b]}}", ir.AnyType(),
                     id="if-then-alone"),
        pytest.param("{type: String}", STR, id="capitalised-type-read-with-a-warning"),
        pytest.param("{type: [Integer, 'null']}", ir.NullableType(ir.ScalarType(ir.Scalar.INT)),
                     id="capitalised-type-in-a-list"),
        pytest.param("{type: file}", ir.AnyType(), id="unknown-type"),
    ],
)
def test_3_1_keywords_map_to_types(tmp_path: Path, snippet: str, expected: ir.TypeRef) -> None:
    api, _ = build(tmp_path, holder_spec(snippet))
    assert field(api, "Holder", "value").type == expected


@pytest.mark.parametrize(
    ("snippet", "words"),
    [("{type: String}", "read as 'string'"), ("{type: file}", "unknown type 'file'")],
)
def test_a_type_that_is_not_json_schema_warns(tmp_path: Path, snippet: str, words: str) -> None:
    _, reporter = build(tmp_path, holder_spec(snippet))
    [(pointer, message)] = diagnostics(reporter, Severity.WARNING)
    assert pointer == "/components/schemas/Holder/properties/value/type" and words in message


def test_unevaluated_properties_type_the_extras_of_a_model(tmp_path: Path) -> None:
    api, _ = build(tmp_path, schemas_spec("""\
        Open:
          properties: {a: {type: string}}
          unevaluatedProperties: {type: integer}
        Closed:
          properties: {a: {type: string}}
          unevaluatedProperties: {not: {}}
        """))
    assert model(api, "Open").extra_type == ir.ScalarType(ir.Scalar.INT)
    assert model(api, "Closed").extra_type == ir.AnyType()


@pytest.mark.parametrize(
    ("schema", "pointer", "words"),
    [
        ("{type: object, properties: {a: {type: string}}, if: {properties: {a: {const: x}}},"
         " then: {required: [a]}}", "/components/schemas/Thing/if", "`if`/`then`/`else`"),
        ("{type: object, dependentSchemas: {a: {required: [b]}}}",
         "/components/schemas/Thing/dependentSchemas", "`dependentSchemas`"),
        ("{type: object, patternProperties: {'^x-': {type: string}}}",
         "/components/schemas/Thing/patternProperties", "`patternProperties`"),
        ("{$dynamicRef: '#node'}", "/components/schemas/Thing/$dynamicRef", "`$dynamicRef`"),
        ("{type: string, enum: [a], if: {const: a}, then: {}}", "/components/schemas/Thing/if",
         "`if`/`then`/`else`"),
    ],
)
def test_keywords_without_a_python_type_are_skipped_with_a_located_warning(
    tmp_path: Path, schema: str, pointer: str, words: str
) -> None:
    api, reporter = build(tmp_path, schemas_spec(f"Thing: {schema}\n"))
    [(where, message)] = diagnostics(reporter, Severity.WARNING)
    assert where == pointer and words in message
    assert [d.name for d in api.declarations] == ["Thing"]


TUPLES = paths_spec(
    """\
    /point:
      post:
        operationId: movePoint
        requestBody:
          required: true
          content: {application/json: {schema: {$ref: '#/components/schemas/Shape'}}}
        responses:
          '200':
            description: ok
            content:
              application/json:
                schema: {prefixItems: [{type: number}, {type: number}], items: false,
                         minItems: 2}
    """,
    components="""\
    schemas:
      Pet: {type: object, required: [name], properties: {name: {type: string}}}
      Shape:
        type: object
        required: [origin, pair]
        properties:
          origin: {prefixItems: [{type: number}, {type: number}], items: false, minItems: 2}
          pair: {prefixItems: [{$ref: '#/components/schemas/Pet'}, {type: string, format: date}],
                 maxItems: 2, minItems: 2}
          maybe: {type: ['array', 'null'], prefixItems: [{type: integer}], items: false,
                  minItems: 1}
          loose: {prefixItems: [{type: integer}, {type: string}], maxItems: 2}
    """,
)
TUPLES_BEHAVIOUR = """\
import datetime
shape = m.Shape.from_dict({"origin": [1.5, 2], "pair": [{"name": "rex"}, "2024-02-29"],
                           "maybe": None, "loose": [1]})
assert shape.origin == (1.5, 2) and shape.pair == (m.Pet(name="rex"), datetime.date(2024, 2, 29))
assert shape.maybe is None and shape.loose == [1]
assert shape.to_dict() == {"origin": [1.5, 2], "pair": [{"name": "rex"}, "2024-02-29"],
                           "maybe": None, "loose": [1]}  # an explicit null is kept
"""


# ------------------------------------------------------------- bodies and non-JSON responses

BODIES = paths_spec(
    """\
    /upload:
      post:
        operationId: upload
        requestBody:
          required: true
          content:
            multipart/form-data:
              schema:
                type: object
                required: [imageFile]
                properties:
                  imageFile: {type: string, format: binary}
                  masks: {type: array, items: {type: string, format: binary}}
                  file-name: {type: string}
                  tags: {type: array, items: {type: string}}
        responses:
          '200':
            description: ok
            content: {application/json: {schema: {type: object, properties: {id: {type: string}}}}}
    /form:
      post:
        operationId: sendForm
        requestBody:
          content:
            application/x-www-form-urlencoded:
              schema:
                type: object
                properties:
                  grant-type: {type: string}
                  flag: {type: boolean}
                  scope: {type: array, items: {type: string}}
        responses: {'204': {description: ok}}
    /raw:
      put:
        operationId: putRaw
        requestBody: {content: {application/octet-stream: {schema: {type: string, format: binary}}}}
        responses: {'204': {description: ok}}
    /image:
      get:
        operationId: getImage
        responses:
          '200': {description: ok, content: {image/png: {schema: {type: string, format: binary}}}}
    /download:
      get:
        operationId: download
        responses:
          '200': {description: ok, content: {'*/*': {schema: {type: string, format: binary}}}}
    /anything:
      get:
        operationId: anything
        responses:
          '200': {description: ok, content: {'*/*': {schema: {type: object}}}}
    /events:
      get:
        operationId: events
        responses:
          '200': {description: ok, content: {text/event-stream: {schema: {type: string}}}}
    /csv:
      get:
        operationId: csv
        responses: {'200': {description: ok, content: {text/csv: {schema: {type: string}}}}}
    """,
).replace("paths:", "servers: [{url: 'https://api.example.com/v1'}]\npaths:", 1)
BODIES_BEHAVIOUR = """\
import httpx
seen = []
def handler(request):
    seen.append(request)
    path = request.url.path
    if path.endswith("/upload"):
        return httpx.Response(200, json={"id": "1"})
    if path.endswith(("/image", "/download")):
        return httpx.Response(200, content=b"\\x89PNG", headers={"content-type": "image/png"})
    if path.endswith("/anything"):
        return httpx.Response(200, json={"a": 1})
    if path.endswith("/events"):
        return httpx.Response(200, content=b"data: 1\\n\\n",
                              headers={"content-type": "text/event-stream"})
    if path.endswith("/csv"):
        return httpx.Response(200, text="a,b\\n", headers={"content-type": "text/csv"})
    return httpx.Response(204)
client = p.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
client.upload(body=m.UploadBody(image_file=b"img", masks=[b"m1", b"m2"], file_name="x.png",
                                tags=["a", "b"]))
sent = seen[-1].content
assert b'name="imageFile"; filename="upload"' in sent and b"img" in sent, sent
assert sent.count(b'name="masks"; filename="upload"') == 2, sent
assert sent.count(b'name="tags"') == 2 and b'name="file-name"' in sent, sent
client.send_form(body=m.SendFormBody(grant_type="client", flag=True, scope=["r", "w"]))
assert seen[-1].content == b"grant-type=client&flag=true&scope=r&scope=w", seen[-1].content
client.put_raw(body=b"\\x00\\x01")
assert seen[-1].headers["content-type"] == "application/octet-stream"
assert seen[-1].content == b"\\x00\\x01"
assert client.get_image() == b"\\x89PNG" and seen[-1].headers["accept"] == "image/png, application/json;q=0.9"
assert client.download() == b"\\x89PNG" and seen[-1].headers["accept"] == "*/*, application/json;q=0.9"
assert client.anything() == {"a": 1} and seen[-1].headers["accept"] == "application/json"
assert client.events().headers["content-type"] == "text/event-stream"
assert seen[-1].headers["accept"] == "text/event-stream, application/json;q=0.9"
assert client.csv() == "a,b\\n"
"""


@pytest.mark.parametrize(
    ("name", "kind", "returns"),
    [
        ("get_image", ir.ResponseKind.BINARY, ir.ScalarType(ir.Scalar.BYTES)),
        ("download", ir.ResponseKind.BINARY, ir.ScalarType(ir.Scalar.BYTES)),
        ("anything", ir.ResponseKind.JSON, ir.MapType(ir.AnyType())),
        ("events", ir.ResponseKind.STREAM, None),
        ("csv", ir.ResponseKind.TEXT, STR),
    ],
)
def test_responses_by_media_type_and_schema(
    tmp_path: Path, name: str, kind: ir.ResponseKind, returns: ir.TypeRef | None
) -> None:
    api, _ = build(tmp_path, BODIES)
    success = operation(api, name).success
    assert success is not None and (success.kind, success.type) == (kind, returns)


@pytest.mark.parametrize(
    ("name", "kind"),
    [("upload", ir.BodyKind.MULTIPART), ("send_form", ir.BodyKind.FORM),
     ("put_raw", ir.BodyKind.BINARY)],
)
def test_request_bodies_by_media_type(tmp_path: Path, name: str, kind: ir.BodyKind) -> None:
    api, _ = build(tmp_path, BODIES)
    body = operation(api, name).body
    assert body is not None and body.kind is kind


# ------------------------------------------------------------ the generated code type-checks

# id -> (spec, behaviour): each is generated, imported (then `behaviour` runs with the package
# as `p` and its models as `m`), and type-checked with `mypy --strict` (one run for all).
TYPE_CHECKED = {
    "shadowing": (SHADOWING, ""),
    "union_responses": (UNION_RESPONSES, ""),
    "discriminators": (DISCRIMINATORS, DISCRIMINATORS_BEHAVIOUR),
    "read_write": (READ_WRITE, READ_WRITE_BEHAVIOUR),
    "tuples": (TUPLES, TUPLES_BEHAVIOUR),
    "bodies": (BODIES, BODIES_BEHAVIOUR),
}


def test_generated_code_imports_and_passes_mypy_strict(tmp_path: Path) -> None:
    packages = []
    for case, (text, behaviour) in TYPE_CHECKED.items():
        package = f"case_{case}"
        folder = tmp_path / case
        folder.mkdir()
        files, _ = generate(folder, text, package)
        for relative, content in files.items():
            target = folder / package / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        code = f"import {package} as p, {package}.client, {package}.models as m\n" + behaviour
        imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                  cwd=folder)
        assert imported.returncode == 0, f"{case}: {imported.stderr}"
        packages.append(str(folder / package))
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null",
         *packages], capture_output=True, text=True, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
