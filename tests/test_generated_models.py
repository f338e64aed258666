"""The generated models are typed as the specs say, and decode/encode the wire format."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
import typing
import uuid
from typing import Any

import pytest

from conftest import GENERATED

sys.path.insert(0, str(GENERATED))


def hints(module: str, cls: str) -> dict[str, Any]:
    models = importlib.import_module(f"{module}.models")
    return typing.get_type_hints(getattr(models, cls), vars(models))


def enum_values(module: str, cls: str) -> list[Any]:
    models = importlib.import_module(f"{module}.models")
    return [member.value for member in getattr(models, cls)]


@pytest.mark.parametrize(
    ("module", "cls", "field", "expected"),
    [
        ("aigenstudio_image", "JobSummary", "created_at", dt.datetime),
        ("aigenstudio_image", "JobSummary", "id", uuid.UUID),
        ("aigenstudio_image", "JobSummary", "completed_at", dt.datetime | None),
        ("aigenstudio_image", "JobListResponse", "next_cursor", str | None),
        ("aigenstudio_product_photo", "ProductPhotoJobListResponse", "next_cursor",
         dt.datetime | None),
        ("krea", "ListJobsResponse", "next_cursor", str | None),
        ("krea", "ListJobsResponseItemsItem", "created_at", dt.datetime),
        ("depicta", "GenerationJob", "created_at", dt.datetime | None),
        ("depicta", "GenerationJob", "completed_at", dt.datetime | None),
        ("depicta", "GenerationJobList", "total", int | None),
        ("fashion_studio", "JobSummaryResponse", "created_at", dt.datetime),
        ("fashion_studio", "JobListResponse", "count", int),
    ],
)
def test_field_types(module: str, cls: str, field: str, expected: object) -> None:
    assert hints(module, cls)[field] == expected


def test_status_enums_are_typed() -> None:
    image = importlib.import_module("aigenstudio_image.models")
    assert typing.get_type_hints(image.JobSummary, vars(image))["status"] is image.JobStatus
    assert enum_values("aigenstudio_image", "JobStatus") == [
        "queued", "processing", "completed", "failed", "cancelled", "partially_completed"]
    assert enum_values("fashion_studio", "JobStatus") == [
        "NOT_STARTED", "IN_PROGRESS", "SUCCESS", "FAILURE"]
    assert "intermediate-complete" in enum_values("krea", "ListJobsStatus")


def test_tenant_job_type_filter_is_a_typed_list() -> None:
    client = importlib.import_module("fashion_studio.client")
    models = importlib.import_module("fashion_studio.models")
    signature = typing.get_type_hints(client.Client.list_jobs, vars(client))
    assert signature["job_type"] == list[models.ListJobsJobTypeItem] | None
    assert "MODEL_SWAP_WITH_IMAGE" in enum_values("fashion_studio", "ListJobsJobTypeItem")


def test_operation_signatures_are_typed() -> None:
    client = importlib.import_module("aigenstudio_image.client")
    models = importlib.import_module("aigenstudio_image.models")
    signature = typing.get_type_hints(client.Client.list_jobs, vars(client))
    assert signature["status"] == models.JobStatus | None
    assert signature["cursor"] == dt.datetime | None
    assert signature["limit"] == int | None
    assert signature["x_request_id"] == str | None
    assert signature["return"] is client.ListJobsPage
    assert issubclass(client.ListJobsPage, models.JobListResponse)


JOB = {
    "id": "5f0c6f8e-8a53-4b0e-9a57-1d5f3c1f2b11",
    "api": "remove_background",
    "status": "completed",
    "sandbox": True,
    "total_results": 2,
    "credits_reserved": 4,
    "created_at": "2026-01-02T03:04:05Z",
    "completed_at": None,
}


def test_decode_and_encode_round_trip() -> None:
    models = importlib.import_module("aigenstudio_image.models")
    page = models.JobListResponse.from_dict(
        {"jobs": [JOB], "next_cursor": None, "request_id": "req_1"})
    job = page.jobs[0]
    assert job.id == uuid.UUID(JOB["id"])
    assert job.status is models.JobStatus.COMPLETED
    assert job.created_at == dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    assert job.to_dict() == JOB  # exactly what was received: the explicit null stays null
    assert models.JobListResponse.from_dict(page.to_dict()) == page


def test_unknown_fields_and_enum_values_are_kept() -> None:
    models = importlib.import_module("aigenstudio_image.models")
    job = models.JobSummary.from_dict({**JOB, "status": "archived", "new_field": [1, 2]})
    assert job.status.value == "archived"
    assert job.additional_properties == {"new_field": [1, 2]}
    assert job.to_dict()["new_field"] == [1, 2]
    assert job.to_dict()["status"] == "archived"


def test_fastapi_validation_error_decodes() -> None:
    models = importlib.import_module("fashion_studio.models")
    error = models.HTTPValidationError.from_dict(
        {"detail": [{"loc": ["query", "limit", 0], "msg": "too big", "type": "value_error"}]})
    assert error.detail is not None and error.detail[0].loc == ["query", "limit", 0]
