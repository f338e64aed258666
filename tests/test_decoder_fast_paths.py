"""The runtime's fast decoding paths give exactly what the slow ones give, errors included.

`_rt.parse_uuid` stands for `uuid.UUID(text)` and `_decode_<Enum>[value]` (`_rt.EnumDecoder`)
for `Enum(value)` in the generated `from_dict`; `from_dict` skips `__init__` and sets every field
itself, and counts properties instead of looking at the keys of `data`. Same value, same type,
same exception with the same message, for well-formed and malformed input alike (but for a JSON
array or object where an enum value belongs, which fails as a dict key does: TypeError).
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import sys
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import GENERATED, PROVIDERS

sys.path.insert(0, str(GENERATED))


def runtime(package: str = "krea") -> ModuleType:
    return importlib.import_module(f"{package}._runtime")


def outcome(function: Callable[[Any], Any], value: Any) -> tuple[Any, ...]:
    try:
        result = function(value)
    except Exception as exc:  # the comparison is the point: type and message
        return ("raises", type(exc), str(exc))
    return ("returns", type(result), result, getattr(result, "is_safe", None))


SAMPLE = "3f2c1b9e-8a4d-4c1e-9f7a-2b3c4d5e6f70"
UUID_TEXTS = [
    SAMPLE, SAMPLE.upper(), SAMPLE.replace("-", ""), "{" + SAMPLE + "}", "urn:uuid:" + SAMPLE,
    " " + SAMPLE, SAMPLE + " ", SAMPLE[:-1], SAMPLE + "0", SAMPLE.replace("-", "_", 1),
    "0x" + SAMPLE.replace("-", "")[2:], "+" + SAMPLE.replace("-", "")[1:],
    SAMPLE[:8] + " " + SAMPLE[9:], "-".join(SAMPLE.replace("-", "")[i:i + 2] for i in
                                             range(0, 32, 2)),
    " ".join(SAMPLE.replace("-", "")[i:i + 2] for i in range(0, 32, 2)),
    SAMPLE.replace("-", "")[:31] + "g", "\u0661" * 32, "", "-" * 36, "not a uuid",
]


@pytest.mark.parametrize("text", UUID_TEXTS)
def test_parse_uuid_is_uuid_UUID(text: str) -> None:
    assert outcome(runtime().parse_uuid, text) == outcome(uuid.UUID, text)


@pytest.mark.parametrize("value", [None, 12, 1.5, b"x" * 16, [SAMPLE], {"a": SAMPLE}])
def test_parse_uuid_of_a_non_string_fails_as_uuid_UUID_does(value: Any) -> None:
    assert outcome(runtime().parse_uuid, value) == outcome(uuid.UUID, value)


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(st.text(alphabet="0123456789abcdefABCDEF-_ {}:urnidx+\t\u0661", max_size=48))
def test_parse_uuid_is_uuid_UUID_on_any_text(text: str) -> None:
    assert outcome(runtime().parse_uuid, text) == outcome(uuid.UUID, text)


def test_parse_uuid_returns_a_plain_complete_uuid() -> None:
    parsed = runtime().parse_uuid(SAMPLE)
    assert type(parsed) is uuid.UUID and parsed == uuid.UUID(SAMPLE)
    assert parsed.is_safe is uuid.SafeUUID.unknown and parsed.version == 4
    assert hash(parsed) == hash(uuid.UUID(SAMPLE)) and str(parsed) == SAMPLE
    with pytest.raises(TypeError):
        parsed.int = 1  # type: ignore[misc]  # still immutable


def test_parse_datetime_is_fromisoformat() -> None:
    import datetime as dt

    for text in ["2026-03-14T09:26:53.589Z", "2026-03-14T09:26:53+02:00", "2026-03-14"]:
        assert runtime().parse_datetime(text) == dt.datetime.fromisoformat(text)
    assert outcome(runtime().parse_datetime, "x") == outcome(dt.datetime.fromisoformat, "x")
    assert outcome(runtime().parse_datetime, 5) == outcome(dt.datetime.fromisoformat, 5)


ENUM_VALUES: list[Any] = ["queued", "completed", "archived", "", 1, 0, True, None, 1.0,
                          ["queued"], {"queued": 1}, ("queued",)]


UNHASHABLE = (list, dict)  # JSON arrays and objects: not dict keys


@pytest.mark.parametrize("value", ENUM_VALUES)
def test_enum_decoder_is_the_enum_call(value: Any) -> None:
    models = importlib.import_module("krea.models")
    status = models.ListJobsResponseItemsItemStatus
    decoder = models._decode_ListJobsResponseItemsItemStatus
    slow = outcome(status, value)
    for fast in (outcome(decoder.__getitem__, value), outcome(decoder, value)):
        if isinstance(value, UNHASHABLE):  # the one difference: the error is the key's
            assert fast == ("raises", TypeError, f"unhashable type: '{type(value).__name__}'")
            assert slow[:2] == ("raises", ValueError)
        elif fast[0] == "returns" and fast[2] not in list(status):  # a new pseudo-member
            assert (fast[1], fast[2].value, fast[2].name) == (slow[1], slow[2].value,
                                                              slow[2].name)
        else:
            assert fast == slow


@pytest.mark.parametrize("value", [1, 2, 7, 0, True, False, 1.0, "1", None, [1], (1,)])
def test_enum_decoder_of_an_int_enum_is_the_enum_call(value: Any) -> None:
    rt = runtime()

    class Level(rt.OpenIntEnum):  # type: ignore[name-defined,misc]
        LOW = 1
        HIGH = 2
        LOWEST = 1  # an alias: the lookup gives the canonical member, as Level(1) does

    fast = outcome(rt.EnumDecoder(Level).__getitem__, value)
    slow = outcome(Level, value)
    if isinstance(value, UNHASHABLE):
        assert fast[:2] == ("raises", TypeError) and slow[:2] == ("raises", ValueError)
    elif fast[0] == "returns" and fast[2] not in list(Level):
        assert (fast[1], fast[2].value, fast[2].name) == (slow[1], slow[2].value, slow[2].name)
    else:
        assert fast == slow


def test_an_unhashable_enum_value_still_fails_the_response() -> None:
    """TypeError is among the errors the client turns into APIResponseValidationError, as it
    was with ValueError."""
    import httpx

    models = importlib.import_module("krea.models")
    runtime_ = runtime()
    errors = importlib.import_module("krea.errors")
    job = {"job_id": SAMPLE, "status": ["completed"], "created_at": "2026-03-14T09:26:53Z"}
    body = {"items": [job], "next_cursor": None}
    request = runtime_.Request("GET", "/jobs")
    response = httpx.Response(200, json=body, request=httpx.Request("GET", "https://x/jobs"))
    with pytest.raises(errors.APIResponseValidationError, match="unhashable type: 'list'"):
        runtime_.decoded(request, response, runtime_.decode_json(models.ListJobsResponse.from_dict))


def test_every_enum_has_its_decoder() -> None:
    for package in PROVIDERS:
        models = importlib.import_module(f"{package}.models")
        for name in models.__all__:
            declaration = getattr(models, name)
            if isinstance(declaration, type) and issubclass(declaration, enum.Enum):
                decode = getattr(models, f"_decode_{name}")
                for member in declaration:
                    assert decode(member.value) is member


def test_from_dict_sets_every_field_without_init() -> None:
    """Every dataclass field (extras and explicit nulls included) is set by from_dict."""
    models = importlib.import_module("aigenstudio_image.models")
    job = {"id": SAMPLE, "api": "image_editing", "status": "queued", "sandbox": False,
           "total_results": 2, "credits_reserved": 4, "created_at": "2026-03-14T09:26:53Z"}
    decoded = models.JobSummary.from_dict(job)
    for field in dataclasses.fields(decoded):
        getattr(decoded, field.name)  # AttributeError if a slot were left unset
    assert decoded == models.JobSummary(**{f.name: getattr(decoded, f.name)
                                           for f in dataclasses.fields(decoded)})
    assert decoded.additional_properties == {} and decoded._explicit_nulls == frozenset()
    more = models.JobSummary.from_dict({**job, "completed_at": None, "note": 1})
    assert more.additional_properties == {"note": 1}
    assert more._explicit_nulls == frozenset({"completed_at"})
    assert more.to_dict() == {**job, "completed_at": None, "note": 1}


def _decoder_statements() -> list[tuple[str, Any]]:
    """`(target, value)` of the statements from_dict and the enum decoders are made of, with
    names from short to far too long (what `views.py` builds; `wrap` lays them out)."""
    from generator.render import wrap

    call, chain = wrap.call, wrap.Chain
    statements: list[tuple[str, Any]] = []
    for length in range(4, 100, 7):
        name = ("Abcdefghij" * 10)[:length]
        field, wire = f"decoded.{name.lower()[:length // 2 + 1]}", f'"{name.lower()}"'
        source, optional, var = f"data[{wire}]", f"data.get({wire})", f"_v{length}"
        statements += [
            (f"_decode_{name}", call("_rt.EnumDecoder", name)),
            (f"_decode_{name}", f"{name}.from_dict"),
            (field, wrap.Group(f"_decode_{name}", "[", (source,), "]")),
            (field, wrap.Group(f"_decode_{name}.members", "[", (source,), "]")),
            (field, wrap.Group(f"_decode_{name}.members", "[", (var,), "]")),
            (field, chain(("None", f"({var} := {optional}) is None",
                           wrap.Group(f"_decode_{name}", "[", (var,), "]")), ("if", "else"))),
            (f"decoded.{name.lower()}", chain(("{}", "len(data) == _listed + len(_nulls)",
                                               "_rt.extras(data, cls._wire_names)"),
                                              ("if", "else"))),
            (field, call(f"{name}.from_dict", source)),
            (field, call(f"_decode_{name}", source)),
            (field, call("_rt.parse_uuid", source)),
            (field, call("list", call("map", f"{name}.from_dict", source))),
            (field, call(f"{name}._from_dicts", source)),
            (field, chain(("None", f"({var} := {optional}) is None",
                           call(f"{name}._from_dicts", var)), ("if", "else"))),
            (field, chain(("None", f"({var} := {optional}) is None",
                           call("list", call("map", f"_decode_{name}", var))), ("if", "else"))),
            (field, wrap.Group("", "[", (chain((wrap.parenthesized("", chain((
                "None", f"({var}x := {var}) is None", call(f"{name}.from_dict", f"{var}x")),
                ("if", "else"))), f"{var} in {source}"), ("for",)),), "]")),
            (field, chain(("{}", f"len(data) == {length}", "_rt.extras(data, cls._wire_names)"),
                          ("if", "else"))),
        ]
    return statements


def test_decoder_statements_are_laid_out_as_black_does() -> None:
    """Each statement `wrap` lays out is black's bytes; the rest (one line, too long) are left
    to black by the formatter."""
    import black

    from generator.render import wrap

    mode = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=100)
    laid_out = 0
    for target, value in _decoder_statements():
        # from_dict's statements, `_from_dicts`'s in the body of its loop, and both in an
        # optional field's `else:` and an enum's `try:`
        for indent in (0,) if target.startswith("_decode_") else (8, 12, 16, 20):
            text = wrap.assignment(target, value, indent)
            if "\n" not in text and indent + len(text) > 100:
                continue
            laid_out += "\n" in text
            blocks = "".join(" " * level + "if x:\n" for level in range(4, indent, 4))
            source = text + "\n" if not indent else f"def f():\n{blocks}{' ' * indent}{text}\n"
            assert black.format_str(source, mode=mode) == source
    assert laid_out > 240


# ------------------------------------------------------------------ counting the properties
#
# from_dict tells "no unknown property and no explicit null" by counting (`_listed`) rather than
# by looking at the keys of `data`. Every mix of absent, valued and null properties, with and
# without unknown ones, against what the keys say.

JOB = {"id": SAMPLE, "api": "image_editing", "status": "queued", "sandbox": False,
       "total_results": 2, "credits_reserved": 4, "created_at": "2026-03-14T09:26:53Z"}
COUNTED_MODELS = [
    # (package, model, a body with every required property, optional ones to vary: a value
    # for each, the nullable ones among them)
    ("aigenstudio_image", "JobSummary", JOB,
     {"completed_results": 1, "updated_at": "2026-03-14T09:26:53.500000+02:00",
      "completed_at": "2026-03-14T09:26:53Z"}, ("completed_at",)),
    ("depicta", "GenerationJob", {},
     {"completed_at": "2026-03-14T09:26:53Z", "result": {"images": []}, "job_id": SAMPLE,
      "started_at": "2026-03-14T09:26:53.123456-05:00", "status": "done"},
     ("completed_at", "result", "started_at")),
    ("depicta", "GenerationJobError", {}, {"code": "x", "message": "y"}, ()),
    ("krea", "ListJobsResponseItemsItem",
     {"job_id": SAMPLE, "status": "completed", "created_at": "2026-03-14T09:26:53Z"},
     {"completed_at": "2026-03-14T09:26:53Z", "result": {"urls": ["u"]}, "error": {"code": 1}},
     ()),
]
MISSING = object()
UNKNOWN = [{}, {"note": 1}, {"note": None}, {"note": None, "more": [1]}]


def _bodies(required: dict[str, Any], optional: dict[str, Any]) -> list[dict[str, Any]]:
    import itertools

    bodies = []
    for choice in itertools.product(("absent", "value", "null"), repeat=len(optional)):
        body = dict(required)
        for (wire, value), how in zip(optional.items(), choice):
            if how != "absent":
                body[wire] = value if how == "value" else None
        for unknown in UNKNOWN:
            bodies.append({**body, **unknown})
    return bodies


@pytest.mark.parametrize("package, model, required, optional, nullable", COUNTED_MODELS,
                         ids=lambda v: v if isinstance(v, str) else "")
def test_counting_finds_unknown_properties_and_explicit_nulls(
        package: str, model: str, required: dict[str, Any], optional: dict[str, Any],
        nullable: tuple[str, ...]) -> None:
    cls = getattr(importlib.import_module(f"{package}.models"), model)
    for body in _bodies(required, optional):
        decoded = cls.from_dict(body)
        assert decoded.additional_properties == {k: v for k, v in body.items()
                                                 if k not in cls._wire_names}, body
        nulls = frozenset(w for w in nullable if w in body and body[w] is None)
        assert getattr(decoded, "_explicit_nulls", frozenset()) == nulls, body
        assert type(decoded.additional_properties) is dict
        # a null for a property that is not nullable is not kept; all else comes back
        kept = {k: v for k, v in body.items()
                if v is not None or k in nullable or k not in cls._wire_names}
        assert decoded.to_dict() == kept, body
        assert cls.from_dict(decoded.to_dict()) == decoded


def test_each_decoded_object_has_its_own_unknown_properties() -> None:
    models = importlib.import_module("aigenstudio_image.models")
    first, second = models.JobSummary.from_dict(JOB), models.JobSummary.from_dict(JOB)
    first.additional_properties["x"] = 1
    assert second.additional_properties == {}


@pytest.mark.parametrize("changes, error", [
    ({"status": "archived"}, None),  # a value the spec does not list: kept
    ({"api": 5}, ValueError), ({"status": None}, ValueError), ({"status": ["queued"]}, TypeError),
    ({"id": 5}, AttributeError), ({"id": "not a uuid"}, ValueError), ({"created_at": 5}, TypeError),
    ({"completed_at": "yesterday"}, ValueError), ({"completed_at": 5}, TypeError),
    ({"status": MISSING}, KeyError), ({"status": MISSING, "note": 1}, KeyError),
])
def test_from_dict_of_unlisted_and_wrong_values(changes: dict[str, Any],
                                                error: type[Exception] | None) -> None:
    models = importlib.import_module("aigenstudio_image.models")
    body = {key: value for key, value in {**JOB, **changes}.items() if value is not MISSING}
    if error is None:
        decoded = models.JobSummary.from_dict(body)
        assert decoded.status.value == "archived" and decoded.to_dict() == body
    else:
        with pytest.raises(error):
            models.JobSummary.from_dict(body)


# ------------------------------------------------------------------------ arrays of models
#
# A model that is an array's item and nowhere else alone (`views.list_item_models`) decodes in
# `_from_dicts`, one loop over the array; its from_dict is that loop over one object.


def test_an_array_decodes_in_one_loop_as_its_items_one_by_one() -> None:
    models = importlib.import_module("aigenstudio_image.models")
    bodies = [JOB, {**JOB, "note": 1}, {**JOB, "completed_at": None, "status": "archived"},
              {**JOB, "completed_results": 1, "updated_at": "2026-03-14T09:26:54Z"}]
    looped = models.JobSummary._from_dicts(bodies)
    assert looped == [models.JobSummary.from_dict(body) for body in bodies]
    assert [job.to_dict() for job in looped] == [
        {key: value for key, value in body.items() if value is not None or key == "completed_at"}
        for body in bodies]
    assert [job._explicit_nulls for job in looped] == [frozenset(), frozenset(),
                                                       frozenset({"completed_at"}), frozenset()]
    page = models.JobListResponse.from_dict({"jobs": bodies, "next_cursor": None,
                                             "request_id": "r"})
    assert page.jobs == looped and models.JobSummary._from_dicts([]) == []

    class Sub(models.JobSummary):
        pass

    assert type(Sub.from_dict(JOB)) is Sub and type(Sub._from_dicts([JOB])[0]) is Sub


@pytest.mark.parametrize("bad", [{"status": MISSING}, {"id": "not a uuid"}, {"api": 5}])
def test_an_array_with_a_wrong_item_fails_as_that_item_does(bad: dict[str, Any]) -> None:
    models = importlib.import_module("aigenstudio_image.models")
    wrong = {key: value for key, value in {**JOB, **bad}.items() if value is not MISSING}
    alone = outcome(models.JobSummary.from_dict, wrong)
    assert alone[0] == "raises"
    assert outcome(models.JobSummary._from_dicts, [JOB, wrong, JOB]) == alone


ITEMS_SPEC = """\
openapi: 3.1.0
info: {title: Items, version: '1'}
paths:
  /page:
    get:
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Listing'}}}
  /items:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Item'}}
  /thing:
    get:
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}
components:
  schemas:
    Listing:
      type: object
      required: [items]
      properties:
        items: {type: array, items: {$ref: '#/components/schemas/Item'}}
        things: {type: array, items: {$ref: '#/components/schemas/Thing'}}
        first: {$ref: '#/components/schemas/Thing'}
        maybe:
          type: array
          items: {anyOf: [{$ref: '#/components/schemas/Other'}, {type: 'null'}]}
    Item:
      type: object
      required: [id]
      properties: {id: {type: string, format: uuid}, at: {type: string, format: date-time}}
    Thing:
      type: object
      properties: {name: {type: string}}
    Other:
      type: object
      properties: {name: {type: string}}
"""


def test_only_models_found_alone_nowhere_but_in_a_response_decode_in_a_loop(
        tmp_path: Path) -> None:
    """Item: an array's item, and a whole response (one object). Thing: an array's item, and
    alone in Listing. Other: an array's item that may be null. Only Item has `_from_dicts`."""
    from generator.diagnostics import Reporter
    from generator.pipeline import Options, build_ir, generate_package
    from generator.render.views import list_item_models

    spec = tmp_path / "items.yaml"
    spec.write_text(ITEMS_SPEC, encoding="utf-8")
    assert list_item_models(build_ir(spec, "items_pkg", Reporter(), Options())) == {"Item"}
    _, files = generate_package(spec, "items_pkg", Reporter(), Options())
    for relative, text in files.items():
        (tmp_path / "items_pkg" / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "items_pkg" / relative).write_text(text, encoding="utf-8")
    assert "decode=_rt.decode_json(_m.Item._from_dicts)," in files["client.py"]
    sys.path.insert(0, str(tmp_path))
    try:
        models = importlib.import_module("items_pkg.models")
        client = importlib.import_module("items_pkg.client")
    finally:
        sys.path.remove(str(tmp_path))
    assert hasattr(models.Item, "_from_dicts")
    assert not hasattr(models.Thing, "_from_dicts") and not hasattr(models.Other, "_from_dicts")
    page = models.Listing.from_dict({"items": [{"id": SAMPLE}, {"id": SAMPLE, "x": 1}],
                                  "things": [{"name": "a"}], "first": {"name": "b"},
                                  "maybe": [None, {"name": "c"}]})
    assert [item.id for item in page.items] == [uuid.UUID(SAMPLE)] * 2
    assert page.items[1].additional_properties == {"x": 1} and page.maybe[0] is None
    assert models.Item.from_dict({"id": SAMPLE}) == page.items[0]
    decode = client._LIST_ITEMS.decode  # the array response: `Item._from_dicts`
    import httpx

    response = httpx.Response(200, json=[{"id": SAMPLE}])
    assert decode(response) == [page.items[0]]
