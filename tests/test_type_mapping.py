"""Table-driven tests of the schema -> IR type mapping (generator.build.schemas).

Each test writes a small spec into `tmp_path` and runs it through the same stages as
`pipeline.generate_package`: load_document -> resolve_refs -> check_version -> build_api.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator import ir
from generator.build import build_api
from generator.diagnostics import Reporter, Severity
from generator.loader import load_document
from generator.resolver import resolve_refs
from generator.validate import check_version

SPEC_NAME = "spec.yaml"


def build(tmp_path: Path, text: str, name: str = SPEC_NAME) -> tuple[ir.Api, Reporter]:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    reporter = Reporter()
    document = load_document(path, name)
    spec = resolve_refs(document, reporter)
    family = check_version(spec, reporter)
    reporter.raise_if_errors()
    assert family is not None
    api = build_api(spec, family, reporter, "pkg", "0" * 64)
    return api, reporter


def schemas_spec(schemas: str, version: str = "3.1.0") -> str:
    """A document whose components/schemas are `schemas` (YAML, indented by 4)."""
    return (
        f"openapi: {version}\n"
        "info: {title: T, version: '1'}\n"
        "paths: {}\n"
        "components:\n"
        "  schemas:\n" + textwrap.indent(textwrap.dedent(schemas), "    ")
    )


def holder_spec(snippet: str, version: str = "3.1.0") -> str:
    """`Holder.value` has the schema `snippet` (YAML flow style); `Pet` is there to refer to."""
    return schemas_spec(
        f"""\
        Pet:
          type: object
          properties:
            name: {{type: string}}
        Holder:
          type: object
          properties:
            value: {snippet}
        """,
        version,
    )


def model(api: ir.Api, name: str) -> ir.Model:
    declaration = api.declaration(name)
    assert isinstance(declaration, ir.Model), declaration
    return declaration


def field(api: ir.Api, model_name: str, wire_name: str) -> ir.Field:
    for f in model(api, model_name).fields:
        if f.wire_name == wire_name:
            return f
    raise AssertionError(f"{model_name} has no field {wire_name!r}")


def warnings(reporter: Reporter) -> list[tuple[str, str]]:
    return [(d.pointer, d.message) for d in reporter.diagnostics
            if d.severity is Severity.WARNING]


STR = ir.ScalarType(ir.Scalar.STR)
INT = ir.ScalarType(ir.Scalar.INT)
PET = ir.RefType("Pet")

# ------------------------------------------------------------------------- schema -> IR type


@pytest.mark.parametrize(
    ("version", "snippet", "expected"),
    [
        pytest.param("3.1.0", "{type: string}", STR, id="string"),
        pytest.param("3.1.0", "{type: string, format: email}", STR, id="string-unknown-format"),
        pytest.param("3.1.0", "{type: string, format: date-time}",
                     ir.ScalarType(ir.Scalar.DATETIME), id="date-time"),
        pytest.param("3.1.0", "{type: string, format: date}",
                     ir.ScalarType(ir.Scalar.DATE), id="date"),
        pytest.param("3.1.0", "{type: string, format: uuid}",
                     ir.ScalarType(ir.Scalar.UUID), id="uuid"),
        pytest.param("3.1.0", "{type: string, format: binary}",
                     ir.ScalarType(ir.Scalar.BYTES), id="binary"),
        pytest.param("3.1.0", "{type: integer}", INT, id="integer"),
        pytest.param("3.1.0", "{type: integer, format: int64}", INT, id="int64"),
        pytest.param("3.1.0", "{type: number}", ir.ScalarType(ir.Scalar.FLOAT), id="number"),
        pytest.param("3.1.0", "{type: number, format: double}", ir.ScalarType(ir.Scalar.FLOAT),
                     id="double"),
        pytest.param("3.1.0", "{type: boolean}", ir.ScalarType(ir.Scalar.BOOL), id="boolean"),
        pytest.param("3.1.0", "{type: 'null'}", ir.ScalarType(ir.Scalar.NONE), id="null"),
        pytest.param("3.1.0", "{type: [string, 'null']}", ir.NullableType(STR),
                     id="3.1-type-list-null"),
        pytest.param("3.1.0", "{type: ['null', integer]}", ir.NullableType(INT),
                     id="3.1-null-first"),
        pytest.param("3.0.3", "{type: string, nullable: true}", ir.NullableType(STR),
                     id="3.0-nullable"),
        pytest.param("3.1.0", "{type: string, nullable: true}", ir.NullableType(STR),
                     id="3.1-nullable-honoured"),
        pytest.param("3.0.3", "{type: string, format: date-time, nullable: true}",
                     ir.NullableType(ir.ScalarType(ir.Scalar.DATETIME)),
                     id="3.0-nullable-date-time"),
        pytest.param("3.1.0", "{anyOf: [{$ref: '#/components/schemas/Pet'}, {type: 'null'}]}",
                     ir.NullableType(PET), id="anyOf-ref-null"),
        pytest.param("3.1.0", "{anyOf: [{type: 'null'}, {type: integer}]}",
                     ir.NullableType(INT), id="anyOf-null-first"),
        pytest.param("3.1.0", "{oneOf: [{type: string}, {type: 'null'}]}",
                     ir.NullableType(STR), id="oneOf-null"),
        pytest.param("3.0.3", "{allOf: [{$ref: '#/components/schemas/Pet'}], nullable: true}",
                     ir.NullableType(PET), id="3.0-allOf-ref-nullable"),
        pytest.param("3.1.0", "{$ref: '#/components/schemas/Pet'}", PET, id="ref"),
        pytest.param("3.1.0", '{const: "a"}', ir.LiteralType("a"), id="const-string"),
        pytest.param("3.1.0", "{const: 3}", ir.LiteralType(3), id="const-int"),
        pytest.param("3.1.0", "{const: true}", ir.LiteralType(True), id="const-bool"),
        pytest.param("3.1.0", "{type: array, items: {type: integer}}", ir.ListType(INT),
                     id="array-int"),
        pytest.param("3.1.0", "{type: array, items: {$ref: '#/components/schemas/Pet'}}",
                     ir.ListType(PET), id="array-ref"),
        pytest.param("3.1.0", "{type: array}", ir.ListType(ir.AnyType()), id="array-no-items"),
        pytest.param("3.1.0", "{items: {type: string}}", ir.ListType(STR),
                     id="array-implied-by-items"),
        pytest.param("3.1.0", "{type: array, items: {type: array, items: {type: string}}}",
                     ir.ListType(ir.ListType(STR)), id="array-of-array"),
        pytest.param("3.1.0", "{type: object, additionalProperties: {type: integer}}",
                     ir.MapType(INT), id="map-int"),
        pytest.param("3.1.0", "{additionalProperties: {type: integer}}", ir.MapType(INT),
                     id="map-int-type-implied"),
        pytest.param("3.1.0", "{type: object, additionalProperties: "
                     "{$ref: '#/components/schemas/Pet'}}", ir.MapType(PET), id="map-ref"),
        pytest.param("3.1.0", "{type: object}", ir.MapType(ir.AnyType()), id="bare-object"),
        pytest.param("3.1.0", "{}", ir.AnyType(), id="empty-schema"),
        pytest.param("3.1.0", "true", ir.AnyType(), id="true-schema"),
        pytest.param("3.1.0", "{description: anything}", ir.AnyType(), id="no-type"),
        pytest.param("3.1.0", "{type: [string, integer]}", ir.UnionType((STR, INT)),
                     id="type-list"),
        pytest.param("3.1.0", "{oneOf: [{type: string}, {type: integer}]}",
                     ir.UnionType((STR, INT)), id="oneOf-scalars"),
        pytest.param("3.1.0", "{enum: [a, 1]}", ir.UnionType((ir.LiteralType("a"),
                                                              ir.LiteralType(1))),
                     id="mixed-enum-literals"),
    ],
)
def test_schema_maps_to_ir_type(
    tmp_path: Path, version: str, snippet: str, expected: ir.TypeRef
) -> None:
    api, _ = build(tmp_path, holder_spec(snippet, version))
    value = field(api, "Holder", "value")
    assert value.type == expected
    assert value.wire_name == "value"


@pytest.mark.parametrize(
    ("version", "snippet", "warned"),
    [
        pytest.param("3.1.0", "{type: string, nullable: true}", True, id="3.1-nullable"),
        pytest.param("3.1.0", "{$ref: '#/components/schemas/Pet', nullable: true}", True,
                     id="3.1-ref-nullable"),
        pytest.param("3.0.3", "{type: string, nullable: true}", False, id="3.0-nullable"),
        pytest.param("3.0.3", "{$ref: '#/components/schemas/Pet', nullable: true}", False,
                     id="3.0-ref-nullable"),
        pytest.param("3.1.0", "{type: [string, 'null']}", False, id="3.1-type-null"),
    ],
)
def test_nullable_keyword_warns_only_in_3_1(
    tmp_path: Path, version: str, snippet: str, warned: bool
) -> None:
    api, reporter = build(tmp_path, holder_spec(snippet, version))
    assert isinstance(field(api, "Holder", "value").type, ir.NullableType)
    pointer = "/components/schemas/Holder/properties/value/nullable"
    found = [p for p, message in warnings(reporter) if p == pointer and "nullable" in message]
    assert bool(found) is warned
    if not warned:
        assert warnings(reporter) == []


def test_nullable_warning_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / SPEC_NAME).write_text(holder_spec("{type: string, nullable: true}"))
    document = load_document(tmp_path / SPEC_NAME, SPEC_NAME)
    reporter = Reporter()
    spec = resolve_refs(document, reporter)
    build_api(spec, check_version(spec, reporter) or "", reporter, "pkg", "0" * 64)
    [warning] = [d for d in reporter.diagnostics if d.severity is Severity.WARNING]
    assert warning.file == SPEC_NAME
    assert warning.line == document.text.splitlines().index(
        "        value: {type: string, nullable: true}") + 1


# ------------------------------------------------------------------------------------ enums


@pytest.mark.parametrize(
    ("version", "snippet", "value_type", "members", "nullable"),
    [
        pytest.param("3.1.0", "{type: string, enum: [queued, in-progress, done]}",
                     ir.Scalar.STR, [("QUEUED", "queued"), ("IN_PROGRESS", "in-progress"),
                                     ("DONE", "done")], False, id="string"),
        pytest.param("3.1.0", "{enum: [a, b]}", ir.Scalar.STR, [("A", "a"), ("B", "b")], False,
                     id="string-untyped"),
        pytest.param("3.1.0", "{type: integer, enum: [1, 2, -3]}", ir.Scalar.INT,
                     [("VALUE_1", 1), ("VALUE_2", 2), ("VALUE_MINUS_3", -3)], False,
                     id="integer"),
        pytest.param("3.1.0", "{type: string, enum: [a, A, class, '', '1']}", ir.Scalar.STR,
                     [("A", "a"), ("A2", "A"), ("CLASS", "class"), ("EMPTY", ""),
                      ("VALUE_1", "1")], False, id="member-names"),
        pytest.param("3.1.0", "{type: string, enum: [x, x, y]}", ir.Scalar.STR,
                     [("X", "x"), ("Y", "y")], False, id="duplicates"),
        pytest.param("3.1.0", "{type: [string, 'null'], enum: [a, null]}", ir.Scalar.STR,
                     [("A", "a")], True, id="3.1-nullable"),
        pytest.param("3.0.3", "{type: string, nullable: true, enum: [a, null]}", ir.Scalar.STR,
                     [("A", "a")], True, id="3.0-nullable"),
    ],
)
def test_enum_becomes_enum_declaration(
    tmp_path: Path,
    version: str,
    snippet: str,
    value_type: ir.Scalar,
    members: list[tuple[str, object]],
    nullable: bool,
) -> None:
    api, _ = build(tmp_path, holder_spec(snippet, version))
    expected_ref = ir.RefType("HolderValue")
    value = field(api, "Holder", "value")
    assert value.type == (ir.NullableType(expected_ref) if nullable else expected_ref)
    enum = api.declaration("HolderValue")
    assert isinstance(enum, ir.Enum)
    assert enum.value_type is value_type
    assert [(m.name, m.value) for m in enum.members] == members
    assert enum.source == f"{SPEC_NAME}#/components/schemas/Holder/properties/value"


@pytest.mark.parametrize(
    ("schema", "value_type", "values"),
    [
        pytest.param("{type: string, enum: [cat, dog]}", ir.Scalar.STR, ["cat", "dog"],
                     id="string"),
        pytest.param("{type: integer, enum: [10, 20]}", ir.Scalar.INT, [10, 20], id="integer"),
    ],
)
def test_named_enum_is_declared_under_its_component_name(
    tmp_path: Path, schema: str, value_type: ir.Scalar, values: list[object]
) -> None:
    api, _ = build(tmp_path, schemas_spec(f"Kind: {schema}\n"))
    enum = api.declaration("Kind")
    assert isinstance(enum, ir.Enum)
    assert enum.value_type is value_type
    assert [m.value for m in enum.members] == values


# ------------------------------------------------------------------------------------ allOf

ALL_OF = """\
Pet:
  type: object
  required: [name]
  properties:
    name: {type: string}
    kind: {type: string}
Extra:
  type: object
  required: [age]
  properties:
    age: {type: integer}
"""


@pytest.mark.parametrize(
    ("both", "expected"),
    [
        pytest.param(
            "{allOf: [{$ref: '#/components/schemas/Pet'}, {$ref: '#/components/schemas/Extra'}]}",
            [("name", STR, True), ("kind", STR, False), ("age", INT, True)],
            id="two-refs",
        ),
        pytest.param(
            "{allOf: [{$ref: '#/components/schemas/Pet'}, {$ref: '#/components/schemas/Extra'},"
            " {required: [kind]}]}",
            [("name", STR, True), ("kind", STR, True), ("age", INT, True)],
            id="required-added-by-a-member",
        ),
        pytest.param(
            "{allOf: [{$ref: '#/components/schemas/Pet'}], type: object, required: [size],"
            " properties: {size: {type: integer}}}",
            [("name", STR, True), ("kind", STR, False), ("size", INT, True)],
            id="ref-plus-own-properties",
        ),
        pytest.param(
            "{allOf: [{$ref: '#/components/schemas/Pet'}, {type: object, properties:"
            " {name: {type: integer}}}]}",
            [("name", INT, True), ("kind", STR, False)],
            id="later-member-overrides-property",
        ),
    ],
)
def test_all_of_merges_into_one_model(
    tmp_path: Path, both: str, expected: list[tuple[str, ir.TypeRef, bool]]
) -> None:
    api, _ = build(tmp_path, schemas_spec(ALL_OF + f"Both: {both}\n"))
    both_model = model(api, "Both")
    assert [(f.wire_name, f.type, f.required) for f in both_model.fields] == expected
    # the members keep their own declarations, unchanged
    assert [(f.wire_name, f.required) for f in model(api, "Pet").fields] == [
        ("name", True), ("kind", False)]
    assert [f.wire_name for f in model(api, "Extra").fields] == ["age"]


# ---------------------------------------------------------------------- oneOf + discriminator

VARIANTS = """\
Cat:
  type: object
  required: [kind]
  properties:
    kind: {type: string}
    meows: {type: boolean}
Dog:
  type: object
  required: [kind]
  properties:
    kind: {type: string}
    barks: {type: boolean}
Bird:
  type: object
  required: [kind]
  properties:
    kind: {type: string}
"""


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        pytest.param("{cat: '#/components/schemas/Cat'}",
                     {"cat": "Cat", "Dog": "Dog", "Bird": "Bird"}, id="explicit-and-implicit"),
        pytest.param("{cat: Cat, doggo: '#/components/schemas/Dog'}",
                     {"cat": "Cat", "doggo": "Dog", "Bird": "Bird"}, id="bare-name-mapping"),
        pytest.param("{}", {"Cat": "Cat", "Dog": "Dog", "Bird": "Bird"}, id="implicit-only"),
        pytest.param("{cat: '#/components/schemas/Cat', kitty: '#/components/schemas/Cat',"
                     " dog: '#/components/schemas/Dog', bird: '#/components/schemas/Bird'}",
                     {"cat": "Cat", "kitty": "Cat", "dog": "Dog", "bird": "Bird"},
                     id="explicit-only"),
    ],
)
def test_one_of_with_discriminator(tmp_path: Path, mapping: str, expected: dict[str, str]) -> None:
    animal = (
        "Animal:\n"
        "  oneOf:\n"
        "    - $ref: '#/components/schemas/Cat'\n"
        "    - $ref: '#/components/schemas/Dog'\n"
        "    - $ref: '#/components/schemas/Bird'\n"
        f"  discriminator: {{propertyName: kind, mapping: {mapping}}}\n"
    )
    api, _ = build(tmp_path, schemas_spec(VARIANTS + animal))
    alias = api.declaration("Animal")
    assert isinstance(alias, ir.Alias)
    union = alias.target
    assert isinstance(union, ir.UnionType)
    assert union.variants == (ir.RefType("Cat"), ir.RefType("Dog"), ir.RefType("Bird"))
    assert union.discriminator is not None
    assert union.discriminator.property_wire_name == "kind"
    assert dict(union.discriminator.mapping) == expected
    assert len(union.discriminator.mapping) == len(expected)  # no duplicate wire values


# -------------------------------------------------------------------------------- recursion


@pytest.mark.parametrize(
    ("schemas", "model_name", "wire_name", "expected"),
    [
        pytest.param(
            """\
            Node:
              type: object
              properties:
                value: {type: string}
                children:
                  type: array
                  items: {$ref: '#/components/schemas/Node'}
            """,
            "Node", "children", ir.ListType(ir.RefType("Node")), id="children-list",
        ),
        pytest.param(
            """\
            Node:
              type: object
              properties:
                parent:
                  anyOf: [{$ref: '#/components/schemas/Node'}, {type: 'null'}]
            """,
            "Node", "parent", ir.NullableType(ir.RefType("Node")), id="nullable-parent",
        ),
        pytest.param(
            """\
            A:
              type: object
              properties:
                b: {$ref: '#/components/schemas/B'}
            B:
              type: object
              properties:
                a: {$ref: '#/components/schemas/A'}
            """,
            "B", "a", ir.RefType("A"), id="mutual",
        ),
        pytest.param(
            """\
            Node:
              type: object
              properties:
                meta:
                  type: object
                  properties:
                    owner: {$ref: '#/components/schemas/Node'}
            """,
            "NodeMeta", "owner", ir.RefType("Node"), id="through-inline-object",
        ),
        pytest.param(
            """\
            Node:
              type: object
              properties:
                index:
                  type: object
                  additionalProperties: {$ref: '#/components/schemas/Node'}
            """,
            "Node", "index", ir.MapType(ir.RefType("Node")), id="through-map",
        ),
    ],
)
def test_recursive_schema_terminates_and_refers_to_itself(
    tmp_path: Path, schemas: str, model_name: str, wire_name: str, expected: ir.TypeRef
) -> None:
    api, _ = build(tmp_path, schemas_spec(schemas))
    assert field(api, model_name, wire_name).type == expected
    names = [d.name for d in api.declarations]
    assert len(names) == len(set(names))


def test_recursive_alias_terminates(tmp_path: Path) -> None:
    api, _ = build(tmp_path, schemas_spec(
        "Tree: {type: array, items: {$ref: '#/components/schemas/Tree'}}\n"))
    tree = api.declaration("Tree")
    assert isinstance(tree, ir.Alias)
    assert tree.target == ir.ListType(ir.RefType("Tree"))


# ---------------------------------------------------------------------- names of inline types

INLINE = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /v1/jobs:
    get:
      operationId: listJobs
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items:
                    type: array
                    items:
                      type: object
                      properties:
                        id: {type: string}
    post:
      operationId: createJob
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                prompt: {type: string}
      responses:
        '201': {description: created}
components:
  schemas:
    Holder:
      type: object
      properties:
        meta:
          type: object
          properties:
            inner:
              type: object
              properties:
                deep: {type: string}
        user-info:
          type: object
          properties:
            name: {type: string}
        rows:
          type: array
          items:
            type: object
            properties:
              cell: {type: integer}
        matrix:
          type: array
          items:
            type: array
            items:
              type: object
              properties:
                v: {type: number}
        lookup:
          type: object
          additionalProperties:
            type: object
            properties:
              hit: {type: boolean}
        status:
          type: string
          enum: [active, inactive]
        shape:
          oneOf:
            - type: object
              properties: {radius: {type: number}}
            - type: object
              title: Square
              properties: {side: {type: number}}
"""


@pytest.mark.parametrize(
    ("name", "pointer"),
    [
        ("HolderMeta", "/components/schemas/Holder/properties/meta"),
        ("HolderMetaInner", "/components/schemas/Holder/properties/meta/properties/inner"),
        ("HolderUserInfo", "/components/schemas/Holder/properties/user-info"),
        ("HolderRowsItem", "/components/schemas/Holder/properties/rows/items"),
        ("HolderMatrixItemItem", "/components/schemas/Holder/properties/matrix/items/items"),
        ("HolderLookupValue",
         "/components/schemas/Holder/properties/lookup/additionalProperties"),
        ("HolderStatus", "/components/schemas/Holder/properties/status"),
        ("HolderShapeVariant1", "/components/schemas/Holder/properties/shape/oneOf/0"),
        ("Square", "/components/schemas/Holder/properties/shape/oneOf/1"),
        ("ListJobsResponse",
         "/paths/~1v1~1jobs/get/responses/200/content/application~1json/schema"),
        ("ListJobsResponseItemsItem",
         "/paths/~1v1~1jobs/get/responses/200/content/application~1json/schema/properties/"
         "items/items"),
        ("CreateJobBody", "/paths/~1v1~1jobs/post/requestBody/content/application~1json/schema"),
    ],
)
def test_inline_declarations_are_named_from_their_context(
    tmp_path: Path, name: str, pointer: str
) -> None:
    api, _ = build(tmp_path, INLINE)
    declaration = api.declaration(name)
    assert declaration.source == f"{SPEC_NAME}#{pointer}"


def test_inline_names_are_deterministic(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, _ = build(tmp_path / "a", INLINE)
    second, _ = build(tmp_path / "b", INLINE)
    assert [d.name for d in first.declarations] == [d.name for d in second.declarations]


@pytest.mark.parametrize(
    ("schemas", "component"),
    [
        pytest.param(
            """\
            A:
              type: object
              properties:
                b: {type: object, properties: {z: {type: string}}}
            AB:
              type: object
              properties:
                y: {type: string}
            """,
            "AB", id="inline-before-component",
        ),
        pytest.param(
            """\
            Job:
              type: object
              properties:
                status: {type: string, enum: [queued, done]}
            JobStatus:
              type: string
              enum: [queued, running, done]
            """,
            "JobStatus", id="inline-enum-before-component-enum",
        ),
    ],
)
def test_component_keeps_its_own_name_when_an_inline_schema_would_take_it(
    tmp_path: Path, schemas: str, component: str
) -> None:
    """Components are named after their key; an inline schema elsewhere in the document that
    would produce the same name must yield, or the public class a user imports is renamed by an
    unrelated change."""
    api, _ = build(tmp_path, schemas_spec(schemas))
    declaration = api.declaration(component)
    assert declaration.source == f"{SPEC_NAME}#/components/schemas/{component}"


@pytest.mark.parametrize(
    "title",
    [
        pytest.param("3D", id="leading-digit"),
        pytest.param("日本", id="non-ascii"),
        pytest.param("--", id="punctuation"),
        pytest.param("class", id="keyword"),
    ],
)
def test_variant_title_that_is_not_an_identifier_falls_back(tmp_path: Path, title: str) -> None:
    api, _ = build(tmp_path, holder_spec(
        "{oneOf: [{type: object, title: '" + title + "', properties: {a: {type: string}}},"
        " {type: object, properties: {b: {type: integer}}}]}"))
    union = field(api, "Holder", "value").type
    assert isinstance(union, ir.UnionType)
    assert len(union.variants) == 2
    for variant in union.variants:
        assert isinstance(variant, ir.RefType)
        assert variant.name.isidentifier()
        assert isinstance(api.declaration(variant.name), ir.Model)


# ---------------------------------------------------------------- property name collisions


@pytest.mark.parametrize(
    ("wire_names", "expected"),
    [
        pytest.param(["user-id", "user_id"], ["user_id", "user_id_2"], id="kebab-then-snake"),
        pytest.param(["user_id", "user-id"], ["user_id", "user_id_2"], id="snake-then-kebab"),
        pytest.param(["userId", "user-id", "user_id"], ["user_id", "user_id_2", "user_id_3"],
                     id="three-ways"),
        pytest.param(["class", "class_"], ["class_", "class_2"], id="keyword"),
        pytest.param(["str", "list", "from", "match"], ["str_", "list_", "from_", "match"],
                     id="builtins-and-keywords"),
        pytest.param(["from_dict", "to_dict"], ["from_dict_2", "to_dict_2"],
                     id="model-methods-reserved"),
        pytest.param(["1st", "日本"], ["field_1st", "field"], id="digit-and-non-ascii"),
    ],
)
def test_colliding_property_names_become_distinct_fields(
    tmp_path: Path, wire_names: list[str], expected: list[str]
) -> None:
    properties = "".join(f"    '{w}': {{type: string}}\n" for w in wire_names)
    api, _ = build(tmp_path, schemas_spec(
        "Thing:\n  type: object\n  properties:\n" + properties))
    fields = model(api, "Thing").fields
    assert [(f.name, f.wire_name) for f in fields] == list(zip(expected, wire_names))


def test_field_named_like_the_extra_attribute(tmp_path: Path) -> None:
    api, _ = build(tmp_path, schemas_spec(
        "Thing:\n  type: object\n  properties:\n    additional_properties: {type: string}\n"))
    thing = model(api, "Thing")
    assert [f.name for f in thing.fields] == ["additional_properties"]
    assert thing.extra_name == "additional_properties_2"
