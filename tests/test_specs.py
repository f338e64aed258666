"""Checks on the OpenAPI documents in specs/.

* The three published specs must be the providers' fenced YAML blocks, byte for byte.
* All five specs must pass openapi-spec-validator.
* Spot checks on the two documents transcribed from rendered reference pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
SEEDS = ROOT.parent / "shared" / "seeds"

# spec file in specs/ -> documentation page in ../shared/seeds that publishes it
PUBLISHED = {
    "aigenstudio-image.yaml": "aigenstudio-image-list-jobs.md",
    "aigenstudio-product-photo.yaml": "aigenstudio-product-photo-list-jobs.md",
    "krea.yaml": "krea-list-jobs.md",
}
TRANSCRIBED = ["depicta.yaml", "fashion-studio.yaml"]
ALL_SPECS = sorted([*PUBLISHED, *TRANSCRIBED])

DEPICTA_ERROR_STATUSES = [
    "400", "401", "402", "403", "404", "409",
    "422", "429", "451", "500", "502", "503",
]
FASHION_JOB_TYPES = [
    "MODEL_GENERATOR",
    "BACKGROUND_GENERATOR",
    "COMPLEMENTARY_GARMENT_GENERATOR",
    "PRODUCT_TO_MODEL_DIRECT",
    "PRODUCT_TO_MODEL_PHASED",
    "BACKGROUND_SWAP_WITH_IMAGE",
    "BACKGROUND_SWAP_WITH_SPEC",
    "MODEL_SWAP_WITH_IMAGE",
]


def extract_fenced_yaml(page: bytes) -> bytes:
    """The bytes between the end of the opening ````yaml line and the closing ```` fence."""
    start: int | None = None
    pos = 0
    for line in page.splitlines(keepends=True):
        if start is None:
            if line.startswith(b"````yaml"):
                start = pos + len(line)
        elif line.startswith(b"````"):
            return page[start:pos]
        pos += len(line)
    raise AssertionError("no complete ````yaml fenced block found")


def load(name: str) -> dict[str, Any]:
    with (SPECS / name).open("rb") as fh:
        doc = yaml.safe_load(fh)
    assert isinstance(doc, dict)
    return doc


def resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow local $refs until reaching a node that is not a pure reference."""
    seen = set()
    while "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"non-local $ref {ref!r}"
        assert ref not in seen, f"$ref cycle at {ref!r}"
        seen.add(ref)
        target: Any = doc
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


# --- (a) published specs are byte-identical to the providers' fenced blocks ---


@pytest.mark.parametrize(("spec", "page"), sorted(PUBLISHED.items()))
def test_published_spec_is_byte_identical_to_seed(spec: str, page: str) -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed pages not available: {SEEDS} does not exist")
    expected = extract_fenced_yaml((SEEDS / page).read_bytes())
    assert (SPECS / spec).read_bytes() == expected


# --- (b) every spec passes openapi-spec-validator ---


@pytest.mark.parametrize("spec", ALL_SPECS)
def test_spec_is_valid_openapi(spec: str) -> None:
    validate(load(spec))


# --- (c) spot checks on the transcriptions ---


@pytest.mark.parametrize("spec", TRANSCRIBED)
def test_transcription_is_openapi_3_1_with_operation_ids(spec: str) -> None:
    doc = load(spec)
    assert doc["openapi"] == "3.1.0"
    for path_item in doc["paths"].values():
        for method, op in path_item.items():
            if method in {"get", "put", "post", "delete", "patch", "head", "options", "trace"}:
                assert op.get("operationId"), f"{spec}: {method} has no operationId"


@pytest.fixture(scope="module")
def depicta() -> dict[str, Any]:
    return load("depicta.yaml")


@pytest.fixture(scope="module")
def fashion() -> dict[str, Any]:
    return load("fashion-studio.yaml")


def test_depicta_has_exactly_the_twelve_error_statuses(depicta: dict[str, Any]) -> None:
    responses = depicta["paths"]["/v1/jobs"]["get"]["responses"]
    assert sorted(code for code in responses if code != "200") == DEPICTA_ERROR_STATUSES


@pytest.mark.parametrize("status", DEPICTA_ERROR_STATUSES)
def test_depicta_error_status_uses_the_shared_error_schema(
    depicta: dict[str, Any], status: str
) -> None:
    response = depicta["paths"]["/v1/jobs"]["get"]["responses"][status]
    response = resolve(depicta, response)
    schema = response["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ErrorResponse"}


def test_depicta_error_schema(depicta: dict[str, Any]) -> None:
    props = depicta["components"]["schemas"]["ErrorResponse"]["properties"]
    assert set(props) == {"details", "error", "message", "request_id"}
    assert "type" not in props["details"]
    for name in ("error", "message", "request_id"):
        assert props[name]["type"] == "string"


def test_depicta_list_shape(depicta: dict[str, Any]) -> None:
    op = depicta["paths"]["/v1/jobs"]["get"]
    params = {p["name"]: p for p in op["parameters"]}
    assert params["limit"]["schema"]["default"] == 20
    assert params["offset"]["schema"]["default"] == 0
    body = resolve(depicta, op["responses"]["200"]["content"]["application/json"]["schema"])
    assert set(body["properties"]) == {"generations", "limit", "offset", "total"}
    assert sorted(body["properties"]["generations"]["type"]) == ["array", "null"]
    job = resolve(depicta, body["properties"]["generations"]["items"])
    for name in ("completed_at", "started_at"):
        assert sorted(job["properties"][name]["type"]) == ["null", "string"]
        assert job["properties"][name]["format"] == "date-time"
    assert "type" not in job["properties"]["result"]
    assert set(job["properties"]["error"]["properties"]) == {"code", "message"}


def test_fashion_job_type_is_repeatable_array_of_the_eight_types(
    fashion: dict[str, Any],
) -> None:
    params = {p["name"]: p for p in fashion["paths"]["/v1/jobs"]["get"]["parameters"]}
    job_type = params["job_type"]
    assert job_type["in"] == "query"
    # Repeatable: form style with explode (the query-parameter defaults, if not spelled out).
    assert job_type.get("style", "form") == "form"
    assert job_type.get("explode", True) is True
    variants = job_type["schema"]["anyOf"]
    assert {"type": "null"} in variants
    (array,) = [v for v in variants if v.get("type") == "array"]
    items = resolve(fashion, array["items"])
    assert items["type"] == "string"
    assert items["enum"] == FASHION_JOB_TYPES


def test_fashion_status_and_models(fashion: dict[str, Any]) -> None:
    schemas = fashion["components"]["schemas"]
    params = {p["name"]: p for p in fashion["paths"]["/v1/jobs"]["get"]["parameters"]}
    assert params["status"]["schema"]["anyOf"] == [
        {"$ref": "#/components/schemas/JobStatus"},
        {"type": "null"},
    ]
    limit = params["limit"]["schema"]["anyOf"][0]
    assert (limit["minimum"], limit["maximum"]) == (1, 200)
    assert schemas["JobStatus"]["enum"] == ["NOT_STARTED", "IN_PROGRESS", "SUCCESS", "FAILURE"]
    assert schemas["JobListResponse"]["required"] == ["limit", "offset", "count"]
    assert schemas["JobSummaryResponse"]["required"] == [
        "public_id", "job_type", "status", "created_at",
    ]
    loc_items = schemas["ValidationError"]["properties"]["loc"]["items"]
    assert loc_items == {"anyOf": [{"type": "string"}, {"type": "integer"}]}
    responses = fashion["paths"]["/v1/jobs"]["get"]["responses"]
    assert responses["200"]["description"] == "Successful Response"
    assert responses["422"]["description"] == "Validation Error"
