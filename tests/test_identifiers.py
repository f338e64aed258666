"""Hostile names end to end: every one becomes a distinct valid identifier, deterministically,
and the wire name is kept for serialisation."""

from __future__ import annotations

import dataclasses
import importlib
import json
import keyword
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Reporter
from generator.pipeline import generate_package
from generator.writer import write_package

PROPERTIES = ["class", "from", "None", "str", "list", "1st", "", "ñame", "user-id", "user_id",
              "User Id", "additional_properties", "to_dict", "from_dict", "$ref", "__init__",
              "self", "match", "type", "中文"]
ENUM = ["a-b", "a_b", "A B", "", "1", "class", "None", "NAME", "value", "ñ"]
SCHEMAS = ["Client", "AsyncClient", "APIError", "NotFoundError", "JsonValue", "Page", "class",
           "1Thing", "", "Thing", "thing", "Ñandú", "List Jobs Page"]
OPERATIONS = ["close", "with_raw_response", "list-jobs", "listJobs", "1go", "class", ""]


def spec() -> dict[str, Any]:
    schemas: dict[str, Any] = {
        name: {"type": "object", "properties": {"x": {"type": "string"}}} for name in SCHEMAS}
    schemas["Weird"] = {"type": "object", "required": PROPERTIES,
                        "properties": {p: {"type": "string"} for p in PROPERTIES}}
    schemas["Choice"] = {"type": "string", "enum": ENUM}
    paths = {
        f"/p{index}": {"get": {
            **({"operationId": op} if op else {}),
            "parameters": [{"name": n, "in": "query", "schema": {"type": "string"}}
                           for n in ("timeout", "self", "class", "extra_headers", "q-1", "q_1")],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Weird"}}}}}}}
        for index, op in enumerate(OPERATIONS)
    }
    return {"openapi": "3.1.0", "info": {"title": "Names", "version": "1"},
            "servers": [{"url": "https://example.com"}], "paths": paths,
            "components": {"schemas": schemas}}


@pytest.fixture(scope="module")
def names_package(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("names")
    (folder / "names.json").write_text(json.dumps(spec()))
    _, files = generate_package(folder / "names.json", "names_pkg", Reporter())
    _, again = generate_package(folder / "names.json", "names_pkg", Reporter())
    assert files == again  # deterministic
    write_package(files, folder / "out" / "names_pkg")
    sys.path.insert(0, str(folder / "out"))
    return importlib.import_module("names_pkg")


def test_runtime_names_stay_the_runtimes(names_package: Any) -> None:
    from names_pkg import client, errors

    assert names_package.Client is client.Client
    assert names_package.AsyncClient is client.AsyncClient
    assert names_package.APIError is errors.APIError
    assert names_package.NotFoundError is errors.NotFoundError
    models = importlib.import_module("names_pkg.models")
    assert len(models.__all__) == len(set(models.__all__))
    for name in models.__all__:
        assert name.isidentifier() and not keyword.iskeyword(name)
    assert {"Client2", "AsyncClient2", "APIError2", "NotFoundError2"} <= set(models.__all__)


def test_properties_get_distinct_names_and_keep_wire_names(names_package: Any) -> None:
    weird = names_package.Weird
    attributes = [f.name for f in dataclasses.fields(weird) if f.name != "additional_properties_2"]
    assert len(attributes) == len(PROPERTIES)
    for name in attributes:
        assert name.isidentifier() and not keyword.iskeyword(name)
    payload = {p: f"value of {p!r}" for p in PROPERTIES}
    decoded = weird.from_dict(payload)
    assert decoded.to_dict() == payload
    assert decoded.additional_properties == f"value of {'additional_properties'!r}"


def test_enum_values_that_collide_after_sanitising(names_package: Any) -> None:
    members = list(names_package.Choice)
    assert [m.value for m in members] == ENUM
    assert len({m.name for m in members}) == len(ENUM)


def test_operation_names_do_not_replace_client_attributes(names_package: Any) -> None:
    client = names_package.Client(api_key="k")
    assert callable(client.close) and client.close.__name__ == "close"
    methods = [n for n in vars(type(client)) if not n.startswith("_")]
    assert len(methods) == len(set(methods))
    assert {"close_2", "with_raw_response_2", "list_jobs", "list_jobs_2"} <= set(methods)
