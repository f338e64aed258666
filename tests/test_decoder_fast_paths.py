"""The runtime's fast decoding paths give exactly what the slow ones give, errors included.

`_rt.parse_uuid` stands for `uuid.UUID(text)` and `_decode_<Enum>` (`_rt.enum_decoder(Enum)`)
for `Enum(value)` in the generated `from_dict`; `from_dict` skips `__init__` and sets every field
itself. Same value, same type, same exception with the same message, for well-formed and
malformed input alike.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import sys
import uuid
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


@pytest.mark.parametrize("value", ENUM_VALUES)
def test_enum_decoder_is_the_enum_call(value: Any) -> None:
    models = importlib.import_module("krea.models")
    status = models.ListJobsResponseItemsItemStatus
    fast = outcome(models._decode_ListJobsResponseItemsItemStatus, value)
    slow = outcome(status, value)
    if fast[0] == "returns" and fast[2] not in list(status):  # a new pseudo-member each call
        assert (fast[1], fast[2].value, fast[2].name) == (slow[1], slow[2].value, slow[2].name)
    else:
        assert fast == slow


@pytest.mark.parametrize("value", [1, 2, 7, 0, True, False, 1.0, "1", None, [1]])
def test_enum_decoder_of_an_int_enum_is_the_enum_call(value: Any) -> None:
    rt = runtime()

    class Level(rt.OpenIntEnum):  # type: ignore[name-defined,misc]
        LOW = 1
        HIGH = 2
        LOWEST = 1  # an alias: the lookup gives the canonical member, as Level(1) does

    fast = outcome(rt.enum_decoder(Level), value)
    slow = outcome(Level, value)
    if fast[0] == "returns" and fast[2] not in list(Level):
        assert (fast[1], fast[2].value, fast[2].name) == (slow[1], slow[2].value, slow[2].name)
    else:
        assert fast == slow


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
        tests = [f"({var} is not None or {wire} not in data)",
                 f"(decoded.{name.lower()} is not None or {wire} not in data)", "(_v1 is not None"
                 ' or "a" not in data)']
        statements += [
            (f"_decode_{name}", call("_rt.enum_decoder", name)),
            (field, call(f"{name}.from_dict", source)),
            (field, call(f"_decode_{name}", source)),
            (field, call("_rt.parse_uuid", source)),
            (field, call("list", call("map", f"{name}.from_dict", source))),
            (field, chain(("None", f"({var} := {optional}) is None",
                           call("list", call("map", f"_decode_{name}", var))), ("if", "else"))),
            (field, wrap.Group("", "[", (chain((wrap.parenthesized("", chain((
                "None", f"({var}x := {var}) is None", call(f"{name}.from_dict", f"{var}x")),
                ("if", "else"))), f"{var} in {source}"), ("for",)),), "]")),
            (field, chain(("{}", f"len(data) == {length} or cls._wire_names.issuperset(data)",
                           "_rt.extras(data, cls._wire_names)"), ("if", "else"))),
        ]
        for count in (1, 2, 3):
            no_nulls = tests[0] if count == 1 else wrap.parenthesized(
                "", chain(tuple(tests[:count]), ("and",) * (count - 1)))
            wires = tuple([wire, f'"{name.lower()}"', '"a"'][:count])
            statements.append(("decoded._explicit_nulls", chain((
                "_rt.NO_NULLS", no_nulls, call("_rt.null_keys", "data", wrap.display(
                    "", "(", wires, ")"))), ("if", "else"))))
    return statements


def test_decoder_statements_are_laid_out_as_black_does() -> None:
    """Each statement `wrap` lays out is black's bytes; the rest (one line, too long) are left
    to black by the formatter."""
    import black

    from generator.render import wrap

    mode = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=100)
    laid_out = 0
    for target, value in _decoder_statements():
        indent = 0 if target.startswith("_decode_") else 8
        text = wrap.assignment(target, value, indent)
        if "\n" not in text and indent + len(text) > 100:
            continue
        laid_out += "\n" in text
        source = text + "\n" if not indent else f"def f():\n    if x:\n        {text}\n"
        assert black.format_str(source, mode=mode) == source
    assert laid_out > 60
