"""What the Prism contract tests found, pinned down on small specs: a generated client sends and
re-encodes exactly what the spec describes.

- an optional nullable property received as `null` is re-encoded as `null`, not dropped;
- an operation whose success body is not JSON asks for its media type (`Accept`), not JSON;
- a query parameter whose schema is a union with an array (`anyOf: [string, array]`) follows
  its `style`/`explode`, like a plain array parameter.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.diagnostics import Reporter
from generator.pipeline import generate_package
from generator.writer import write_package

SPEC = """\
openapi: 3.1.0
info: {title: Fidelity, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /jobs/{id}:
    get:
      operationId: getJob
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - name: tag
          in: query
          style: form
          explode: true
          schema:
            anyOf:
              - {type: string}
              - {type: array, items: {type: string}}
        - name: kind
          in: query
          style: form
          explode: false
          schema:
            anyOf:
              - {type: string}
              - {type: array, items: {type: string}}
              - {type: 'null'}
        - name: names
          in: query
          schema: {$ref: '#/components/schemas/Names'}
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Job'}
  /report:
    get:
      operationId: getReport
      responses:
        '200':
          description: CSV
          content:
            text/csv:
              schema: {type: string}
        '400':
          description: Bad
          content:
            application/json:
              schema: {type: object, properties: {error: {type: string}}}
  /archive:
    get:
      operationId: getArchive
      responses:
        '200':
          description: Bytes
          content:
            application/octet-stream:
              schema: {type: string, format: binary}
components:
  schemas:
    Names:
      type: array
      items: {type: string}
    Job:
      type: object
      required: [id, finished_at]
      properties:
        id: {type: string}
        finished_at: {type: ['null', string], format: date-time}
        started_at: {type: ['null', string], format: date-time}
        note: {type: string}
        result: {}
        parent: {anyOf: [{$ref: '#/components/schemas/Job'}, {type: 'null'}]}
"""


@pytest.fixture(scope="module")
def fidelity(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    folder = tmp_path_factory.mktemp("fidelity")
    spec = folder / "fidelity.yaml"
    spec.write_text(textwrap.dedent(SPEC), encoding="utf-8")
    name, files = generate_package(spec, "fidelity_client", Reporter())
    write_package(files, folder / "out" / name)
    sys.path.insert(0, str(folder / "out"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(folder / "out"))


# ------------------------------------------------------------------------- explicit nulls


@pytest.mark.parametrize(
    "body",
    [
        {"id": "a", "finished_at": None},
        {"id": "a", "finished_at": None, "started_at": None},
        {"id": "a", "finished_at": None, "result": None, "parent": None},
        {"id": "a", "finished_at": "2026-01-02T03:04:05Z", "started_at": "2026-01-02T03:04:05Z",
         "result": {"k": [1, None]}, "parent": {"id": "p", "finished_at": None,
                                                  "started_at": None}},
        {"id": "a", "finished_at": None, "x_extra": None},
    ],
)
def test_explicit_nulls_survive_decode_and_encode(fidelity: ModuleType, body: Any) -> None:
    job = fidelity.Job.from_dict(body)
    assert job.to_dict() == body
    assert fidelity.Job.from_dict(job.to_dict()) == job


def test_a_value_set_later_replaces_the_received_null(fidelity: ModuleType) -> None:
    job = fidelity.Job.from_dict({"id": "a", "finished_at": None, "started_at": None})
    job.started_at = None
    assert job.to_dict() == {"id": "a", "finished_at": None, "started_at": None}
    job.note = "n"
    job.result = [1]
    assert job.to_dict()["result"] == [1]
    built = fidelity.Job(id="b", finished_at=None)
    assert built.to_dict() == {"id": "b", "finished_at": None}  # absent stays absent
    assert "_explicit_nulls" not in repr(job)


def test_a_null_for_a_non_nullable_property_is_not_remembered(fidelity: ModuleType) -> None:
    job = fidelity.Job.from_dict({"id": "a", "finished_at": None, "note": None})
    assert "note" not in job.to_dict()


# ------------------------------------------------------------------------ requests on the wire


def _client(fidelity: ModuleType, seen: list[httpx.Request], answer: httpx.Response) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return fidelity.Client(base_url="http://127.0.0.1:9", http_client=http, max_retries=0)


@pytest.mark.parametrize(
    ("method", "answer", "accept", "expected"),
    [
        ("get_report", httpx.Response(200, text="a,b\n1,2\n"), "text/csv, application/json;q=0.9",
         "a,b\n1,2\n"),
        ("get_archive", httpx.Response(200, content=b"\x00\x01"),
         "application/octet-stream, application/json;q=0.9", b"\x00\x01"),
        ("get_job", httpx.Response(200, json={"id": "a", "finished_at": None}), "application/json",
         None),
    ],
)
def test_accept_names_the_success_media_type(
    fidelity: ModuleType, method: str, answer: httpx.Response, accept: str, expected: Any
) -> None:
    seen: list[httpx.Request] = []
    client = _client(fidelity, seen, answer)
    result = getattr(client, method)(*(["a"] if method == "get_job" else []))
    assert seen[-1].headers["accept"] == accept
    if expected is not None:
        assert result == expected


def test_a_json_error_of_a_csv_operation_still_decodes(fidelity: ModuleType) -> None:
    seen: list[httpx.Request] = []
    client = _client(fidelity, seen, httpx.Response(400, json={"error": "bad"}))
    with pytest.raises(fidelity.BadRequestError) as caught:
        client.get_report()
    assert caught.value.body.error == "bad"


@pytest.mark.parametrize(
    ("arguments", "query"),
    [
        ({"tag": ["a", "b"]}, "tag=a&tag=b"),  # explode: true → the key repeats
        ({"tag": "a"}, "tag=a"),
        ({"kind": ["a", "b"]}, "kind=a%2Cb"),  # explode: false → one comma-joined value
        ({"names": ["x", "y"]}, "names=x&names=y"),  # a named array schema: form's default
    ],
)
def test_union_array_parameters_follow_style_and_explode(
    fidelity: ModuleType, arguments: dict[str, Any], query: str
) -> None:
    seen: list[httpx.Request] = []
    client = _client(fidelity, seen, httpx.Response(200, json={"id": "a", "finished_at": None}))
    client.get_job("a", **arguments)
    assert seen[-1].url.query.decode() == query
