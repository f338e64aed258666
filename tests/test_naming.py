"""Table-driven tests of generator.naming: spec names -> valid, deterministic Python identifiers."""

from __future__ import annotations

import keyword

import pytest

from generator.naming import (
    Namespace,
    attribute_name,
    class_name,
    member_name,
    operation_name_from_path,
    pascal_case,
    snake_case,
    strip_fastapi_suffix,
)

# ------------------------------------------------------------------------ snake / pascal case


@pytest.mark.parametrize(
    ("text", "snake", "pascal"),
    [
        ("userId", "user_id", "UserId"),
        ("user_id", "user_id", "UserId"),
        ("user-id", "user_id", "UserId"),
        ("User ID", "user_id", "UserID"),
        ("HTTPServer", "http_server", "HTTPServer"),
        ("getHTTPResponse", "get_http_response", "GetHTTPResponse"),
        ("XMLHttpRequest", "xml_http_request", "XMLHttpRequest"),
        ("already_snake", "already_snake", "AlreadySnake"),
        ("Foo Bar", "foo_bar", "FooBar"),
        ("v2Item", "v2_item", "V2Item"),
        ("123abc", "123abc", "123abc"),
        ("/v1/jobs/{job_id}", "v1_jobs_job_id", "V1JobsJobId"),
        ("café", "cafe", "Cafe"),
        ("Ñandú", "nandu", "Nandu"),
        ("日本", "", ""),
        ("", "", ""),
        ("__", "", ""),
        ("--", "", ""),
    ],
)
def test_snake_and_pascal_case(text: str, snake: str, pascal: str) -> None:
    assert snake_case(text) == snake
    assert pascal_case(text) == pascal


# ---------------------------------------------------------------------------------- class_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pet", "Pet"),
        ("job_status", "JobStatus"),
        ("user-id", "UserId"),
        ("HTTPValidationError", "HTTPValidationError"),
        # keywords that pascal_case does not already change
        ("None", "None_"),
        ("True", "True_"),
        ("False", "False_"),
        # lower-case keywords and builtins become capitalised, which is no longer a keyword
        ("class", "Class"),
        ("str", "Str"),
        # digits first, empty and non-ASCII-only names fall back to "Model"
        ("123abc", "Model123abc"),
        ("3d", "Model3d"),
        ("", "Model"),
        ("日本", "Model"),
        ("!!!", "Model"),
        ("Ünïcödé", "Unicode"),
    ],
)
def test_class_name(text: str, expected: str) -> None:
    result = class_name(text)
    assert result == expected
    assert result.isidentifier()
    assert not keyword.iskeyword(result)


@pytest.mark.parametrize(
    ("text", "fallback", "expected"),
    [
        ("", "Item", "Item"),
        ("日本", "Item", "Item"),
        ("1st", "Item", "Item1st"),
    ],
)
def test_class_name_fallback(text: str, fallback: str, expected: str) -> None:
    assert class_name(text, fallback) == expected


# ------------------------------------------------------------------------------ attribute_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("userId", "user_id"),
        ("user-id", "user_id"),
        ("user_id", "user_id"),
        ("Content-Type", "content_type"),
        # hard keywords
        ("class", "class_"),
        ("from", "from_"),
        ("import", "import_"),
        ("lambda", "lambda_"),
        ("None", "none"),  # snake_case lowers it: `none` is not a keyword
        ("True", "true"),
        # soft keywords
        ("match", "match"),  # soft keywords are valid names
        ("case", "case"),
        # builtins the generated code uses in annotations
        ("str", "str_"),
        ("int", "int_"),
        ("float", "float_"),
        ("bool", "bool_"),
        ("bytes", "bytes_"),
        ("list", "list_"),
        ("dict", "dict_"),
        # names starting with digits
        ("1st", "field_1st"),
        ("2024-01-01", "field_2024_01_01"),
        ("123", "field_123"),
        # empty or without any ASCII word
        ("", "field"),
        ("_", "field"),
        ("日本", "field"),
        ("$", "field"),
        # non-ASCII letters are transliterated
        ("café", "cafe"),
        ("naïveScore", "naive_score"),
    ],
)
def test_attribute_name(text: str, expected: str) -> None:
    result = attribute_name(text)
    assert result == expected
    assert result.isidentifier()
    assert not keyword.iskeyword(result)


@pytest.mark.parametrize(
    ("text", "fallback", "expected"),
    [
        ("", "param", "param"),
        ("9lives", "param", "param_9lives"),
        ("class", "param", "class_"),
    ],
)
def test_attribute_name_fallback(text: str, fallback: str, expected: str) -> None:
    assert attribute_name(text, fallback) == expected


_SOFT_KEYWORDS_311 = ["_", "case", "match"]
_SOFT_KEYWORDS_312 = ["_", "case", "match", "type"]  # Python 3.12 added `type`


@pytest.mark.parametrize("text", ["type", "match", "case", "_", "status"])
def test_attribute_name_does_not_depend_on_the_python_version(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyproject allows Python >= 3.11 and the generated code must be byte-identical on every
    machine, so a name must not change with the interpreter's list of soft keywords."""
    results = []
    for soft in (_SOFT_KEYWORDS_311, _SOFT_KEYWORDS_312):
        monkeypatch.setattr(keyword, "softkwlist", soft)
        monkeypatch.setattr(keyword, "issoftkeyword", frozenset(soft).__contains__)
        results.append(attribute_name(text))
    assert results[0] == results[1]


# --------------------------------------------------------------------------------- member_name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("queued", "QUEUED"),
        ("in-progress", "IN_PROGRESS"),
        ("inProgress", "IN_PROGRESS"),
        ("NOT_STARTED", "NOT_STARTED"),
        ("a b", "A_B"),
        ("class", "CLASS"),
        ("from", "FROM"),
        ("None", "NONE"),
        ("str", "STR"),
        ("123", "VALUE_123"),
        ("1st", "VALUE_1ST"),
        ("", "EMPTY"),
        ("!!!", "VALUE"),
        ("日本", "VALUE"),
        ("éà", "EA"),
        (0, "VALUE_0"),
        (1, "VALUE_1"),
        (-3, "VALUE_MINUS_3"),
        (True, "TRUE"),
        (False, "FALSE"),
    ],
)
def test_member_name(value: object, expected: str) -> None:
    result = member_name(value)
    assert result == expected
    assert result.isidentifier()
    assert not keyword.iskeyword(result)


# ------------------------------------------------------------------------ strip_fastapi_suffix


@pytest.mark.parametrize(
    ("operation_id", "method", "path", "expected"),
    [
        ("list_jobs_v1_jobs_get", "get", "/v1/jobs", "list_jobs"),
        ("get_job_v1_jobs__job_id__get", "get", "/v1/jobs/{job_id}", "get_job"),
        ("create_job_jobs_post", "POST", "/jobs", "create_job"),
        ("list_groups_user_groups_get", "get", "/user-groups", "list_groups"),
        ("read_root__get", "get", "/", "read_root"),
        # not a FastAPI id: only converted to snake case
        ("listJobs", "get", "/v1/jobs", "list_jobs"),
        # the suffix names another method: kept
        ("list_jobs_v1_jobs_post", "get", "/v1/jobs", "list_jobs_v1_jobs_post"),
        # nothing would be left: kept
        ("v1_jobs_get", "get", "/v1/jobs", "v1_jobs_get"),
        ("jobs_get", "get", "/jobs", "jobs_get"),
    ],
)
def test_strip_fastapi_suffix(operation_id: str, method: str, path: str, expected: str) -> None:
    assert strip_fastapi_suffix(operation_id, method, path) == expected


# -------------------------------------------------------------------- operation_name_from_path


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/v1/jobs", "list_jobs"),
        ("get", "/jobs", "list_jobs"),
        ("get", "/jobs/{id}", "get_job"),
        ("post", "/jobs", "create_job"),
        ("put", "/jobs/{id}", "update_job"),
        ("patch", "/jobs/{id}", "update_job"),
        ("delete", "/jobs/{id}", "delete_job"),
        ("get", "/api/v2/categories", "list_categories"),
        ("get", "/v1.2/boxes", "list_boxes"),
        ("get", "/categories/{id}", "get_category"),
        ("get", "/status", "list_status"),
        ("get", "/", "get_root"),
        ("post", "/", "post_root"),
        ("head", "/jobs", "head_jobs"),
    ],
)
def test_operation_name_from_path(method: str, path: str, expected: str) -> None:
    assert operation_name_from_path(method, path) == expected


# ---------------------------------------------------------------------------------- Namespace


@pytest.mark.parametrize(
    ("reserved", "requests", "expected"),
    [
        pytest.param(set(), ["user_id", "user_id", "user_id"],
                     ["user_id", "user_id_2", "user_id_3"], id="snake-suffix"),
        pytest.param(set(), ["Model", "Model", "Model"], ["Model", "Model2", "Model3"],
                     id="pascal-suffix"),
        pytest.param(set(), ["ID", "ID"], ["ID", "ID2"], id="upper-suffix"),
        pytest.param(set(), ["class_", "class_"], ["class_", "class_2"], id="keyword-suffix"),
        pytest.param({"from_dict", "to_dict"}, ["from_dict", "to_dict"],
                     ["from_dict_2", "to_dict_2"], id="reserved"),
        pytest.param({"Client"}, ["Client", "Client"], ["Client2", "Client3"],
                     id="reserved-pascal"),
        pytest.param({"x_2"}, ["x", "x"], ["x", "x_3"], id="reserved-suffix-skipped"),
        pytest.param(set(), ["x_2", "x", "x"], ["x_2", "x", "x_3"], id="taken-suffix-skipped"),
        pytest.param(set(), ["a", "b", "a", "b"], ["a", "b", "a_2", "b_2"], id="independent"),
    ],
)
def test_namespace_claim(reserved: set[str], requests: list[str], expected: list[str]) -> None:
    names = Namespace(frozenset(reserved))
    got = [names.claim(r) for r in requests]
    assert got == expected
    assert len(set(got)) == len(got)
    assert not set(got) & reserved
    # deterministic: the same requests in a fresh scope give the same names
    again = Namespace(frozenset(reserved))
    assert [again.claim(r) for r in requests] == got


@pytest.mark.parametrize(
    "wire_names",
    [
        ["user-id", "user_id"],
        ["user_id", "user-id"],
        ["userId", "user-id", "user_id", "USER_ID"],
        ["class", "class_"],
        ["str", "str_"],
    ],
)
def test_namespace_gives_colliding_wire_names_distinct_attributes(wire_names: list[str]) -> None:
    def names() -> list[str]:
        scope = Namespace(frozenset({"from_dict", "to_dict"}))
        return [scope.claim(attribute_name(w)) for w in wire_names]

    first = names()
    assert len(set(first)) == len(wire_names)
    assert all(n.isidentifier() and not keyword.iskeyword(n) for n in first)
    assert names() == first
    # the first claimant keeps the plain name
    assert first[0] == attribute_name(wire_names[0])


def test_namespace_contains() -> None:
    names = Namespace(frozenset({"reserved"}))
    names.claim("taken")
    assert "reserved" in names
    assert "taken" in names
    assert "free" not in names
