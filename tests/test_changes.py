"""`clientgen diff`: each kind of spec change, classified for a caller of the generated client."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import pytest

from generator.cli import main

BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Jobs", "version": "1"},
    "servers": [{"url": "https://jobs.example"}],
    "paths": {
        "/jobs": {
            "get": {
                "operationId": "listJobs",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                    {"name": "label", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/JobList"}}}}},
            },
            "post": {
                "operationId": "createJob",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/NewJob"}}}},
                "responses": {"201": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Job"}}}}},
            },
        },
        "/jobs/{job_id}": {
            "delete": {
                "operationId": "deleteJob",
                "parameters": [{"name": "job_id", "in": "path", "required": True,
                                "schema": {"type": "string"}}],
                "responses": {"204": {"description": "deleted"}},
            },
        },
    },
    "components": {"schemas": {
        "JobList": {"type": "object", "required": ["jobs"], "properties": {
            "jobs": {"type": "array", "items": {"$ref": "#/components/schemas/Job"}},
            "next_cursor": {"type": ["string", "null"]}}},
        "Job": {"type": "object", "required": ["id", "status"], "properties": {
            "id": {"type": "string"},
            "status": {"$ref": "#/components/schemas/Status"},
            "note": {"type": "string"}}},
        "NewJob": {"type": "object", "required": ["prompt"], "properties": {
            "prompt": {"type": "string"}, "seed": {"type": "number"}}},
        "Status": {"type": "string", "enum": ["queued", "running", "done"]},
    }},
}


def _schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    return spec["components"]["schemas"][name]


def _param(spec: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in spec["paths"]["/jobs"]["get"]["parameters"] if p["name"] == name)


def field_removed(spec: dict[str, Any]) -> None:
    del _schema(spec, "Job")["properties"]["note"]


def field_added(spec: dict[str, Any]) -> None:
    _schema(spec, "Job")["properties"]["priority"] = {"type": "integer"}


def required_field_added_to_a_request_model(spec: dict[str, Any]) -> None:
    _schema(spec, "NewJob")["properties"]["size"] = {"type": "string"}
    _schema(spec, "NewJob")["required"].append("size")


def enum_value_added(spec: dict[str, Any]) -> None:
    _schema(spec, "Status")["enum"].append("cancelled")


def enum_value_removed(spec: dict[str, Any]) -> None:
    _schema(spec, "Status")["enum"].remove("running")


def param_became_required(spec: dict[str, Any]) -> None:
    _param(spec, "label")["required"] = True


def type_narrowed(spec: dict[str, Any]) -> None:
    _param(spec, "label")["schema"] = {"type": "string", "enum": ["a", "b"]}


def type_widened(spec: dict[str, Any]) -> None:
    _schema(spec, "NewJob")["properties"]["seed"] = {"type": ["number", "null"]}


def response_type_widened(spec: dict[str, Any]) -> None:
    _schema(spec, "Job")["properties"]["id"] = {"type": ["string", "integer"]}


def operation_removed(spec: dict[str, Any]) -> None:
    del spec["paths"]["/jobs/{job_id}"]


def operation_added(spec: dict[str, Any]) -> None:
    spec["paths"]["/jobs/{job_id}"]["get"] = {
        "operationId": "getJob",
        "parameters": [{"name": "job_id", "in": "path", "required": True,
                        "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok"}}}


def pagination_changed(spec: dict[str, Any]) -> None:
    _param(spec, "cursor")["name"] = "offset"
    _param(spec, "offset")["schema"] = {"type": "integer"}


def pagination_removed(spec: dict[str, Any]) -> None:
    del _schema(spec, "JobList")["properties"]["next_cursor"]


def auth_added(spec: dict[str, Any]) -> None:
    spec["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    spec["security"] = [{"bearer": []}]


def path_renamed(spec: dict[str, Any]) -> None:
    spec["paths"]["/v2/jobs/{job_id}"] = spec["paths"].pop("/jobs/{job_id}")


CASES: list[tuple[Callable[[dict[str, Any]], None], str, str]] = [
    (field_removed, "breaking", "`Job.note` | field removed"),
    (field_added, "compatible", "`Job.priority` | optional field added"),
    (required_field_added_to_a_request_model, "breaking",
     "`NewJob.size` | required field added (callers build this model)"),
    (enum_value_added, "compatible", "`Status` | value 'cancelled' added"),
    (enum_value_removed, "breaking", "`Status` | value 'running' removed"),
    (param_became_required, "breaking", "`list_jobs` | parameter `label` became required"),
    (type_narrowed, "breaking", "`list_jobs(label=…)` | type str → ListJobsLabel (narrowed)"),
    (type_widened, "compatible", "`NewJob.seed` | type float → float \\| None (widened)"),
    (response_type_widened, "breaking", "`Job.id` | type str → str \\| int (widened"),
    (operation_removed, "breaking", "`delete_job` | operation removed"),
    (operation_added, "compatible", "`get_job` | operation added"),
    (pagination_changed, "breaking", "`list_jobs` | pagination changed: cursor"),
    (pagination_removed, "breaking", "`list_jobs` | no longer paginated"),
    (auth_added, "breaking", "`list_jobs` | now requires `bearer` credentials"),
    (path_renamed, "compatible", "`delete_job` | now `DELETE /v2/jobs/{job_id}`"),
]


def run_diff(tmp_path: Path, change: Callable[[dict[str, Any]], None], *flags: str,
             capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    new = copy.deepcopy(BASE)
    change(new)
    (tmp_path / "old.json").write_text(json.dumps(BASE))
    (tmp_path / "new.json").write_text(json.dumps(new))
    code = main(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), *flags])
    return code, capsys.readouterr().out


@pytest.mark.parametrize(("change", "severity", "row"), CASES, ids=[c[0].__name__ for c in CASES])
def test_change_is_classified(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
    change: Callable[[dict[str, Any]], None], severity: str, row: str,
) -> None:
    code, report = run_diff(tmp_path, change, "--fail-on", "breaking", capsys=capsys)
    section = report.split("## Breaking")[-1].split("## Compatible")[0] if severity == "breaking" \
        else report.split("## Compatible")[-1]
    assert row in section, report
    assert code == (1 if "## Breaking" in report else 0)
    if severity == "compatible":
        assert "## Breaking" not in report and code == 0, report


def test_no_change_reports_nothing_and_exits_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = run_diff(tmp_path, lambda spec: None, "--fail-on", "any", capsys=capsys)
    assert code == 0
    assert "No change to the generated client's public surface." in report


def test_fail_on_any_exits_one_for_a_compatible_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_diff(tmp_path, field_added, capsys=capsys)[0] == 0
    assert run_diff(tmp_path, field_added, "--fail-on", "any", capsys=capsys)[0] == 1


def test_generate_writes_the_report_next_to_the_package(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = project / "specs" / "krea.yaml"
    lines = spec.read_text().splitlines(keepends=True)
    lines.remove(next(line for line in lines if line.strip() == "- cancelled"))
    spec.write_text("".join(lines))
    assert main(["generate", "--changes", "--config", str(project / "pyproject.toml")]) == 0
    report = (project / "generated" / "krea.changes.md").read_text()
    assert "| enum | `ListJobsStatus` | value 'cancelled' removed |" in report
    unchanged = (project / "generated" / "depicta.changes.md").read_text()
    assert "No change" in unchanged
